// Which container each thread is in, as the event path learned it (from the cgroups on a
// thread's first event, refreshed on clone/execve, dropped at procexit). Keys are interned:
// the threads of one container share one ContainerKey. Bounded: when max_threads is
// reached the cache starts afresh (threads are then re-learned from their next event) and
// the reset is counted. Used only on the plugin's callback thread: not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "cgroup_match.h"

namespace saker::container {

struct ContainerKey {
  std::string id;        // full id; empty for the host
  std::string short_id;  // first 12 characters, or "host"
  std::string type;      // from the cgroup: docker, podman, containerd, cri-o, cri; "host"
  bool is_host() const { return id.empty(); }
};

class ProcessCache {
 public:
  explicit ProcessCache(size_t max_threads) : max_threads_(max_threads ? max_threads : 1) {}

  bool contains(int64_t tid) const { return threads_.count(tid) != 0; }
  std::shared_ptr<const ContainerKey> find(int64_t tid) const {
    auto it = threads_.find(tid);
    return it == threads_.end() ? nullptr : it->second;
  }
  // Records where `tid` runs; returns the (shared) key.
  std::shared_ptr<const ContainerKey> assign(int64_t tid, const CgroupMatch& m);
  // The key for `m` without recording a thread.
  std::shared_ptr<const ContainerKey> key_for(const CgroupMatch& m);
  void erase(int64_t tid) { threads_.erase(tid); }

  size_t size() const { return threads_.size(); }
  uint64_t resets() const { return resets_; }
  static const ContainerKey& host_key();

 private:
  std::shared_ptr<const ContainerKey> intern(const CgroupMatch& m);

  size_t max_threads_;
  std::unordered_map<int64_t, std::shared_ptr<const ContainerKey>> threads_;
  std::unordered_map<std::string, std::shared_ptr<const ContainerKey>> keys_;
  uint64_t resets_ = 0;
};

// /proc/TID/cgroup of a live thread ("" when it cannot be read). `proc_root` is for tests.
std::string read_proc_cgroup(int64_t tid, const std::string& proc_root = "/proc");

}  // namespace saker::container
