// The containers the plugin knows, by full id: a bounded map shared by the event path
// (reads, and first sightings of a container) and the runtime worker (publishes metadata,
// evicts exited containers). Entries are immutable ContainerInfo objects behind
// shared_ptr: a reader keeps what it got even if the entry is replaced or evicted meanwhile.
// Every method is thread-safe; none does I/O, and the lock is only held for map operations.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cgroup_match.h"
#include "container_info.h"

namespace saker::container {

class MetadataStore {
 public:
  explicit MetadataStore(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  std::shared_ptr<const ContainerInfo> find(const std::string& id) const;

  // A container met on the event path (now_ms: a steady clock). Adds an entry with what the
  // cgroup told (id, type) when the container is new. True when a metadata lookup should be
  // requested now: new, or still without metadata and its retry time has come.
  bool note_seen(const CgroupMatch& m, uint64_t now_ms);

  // The runtime answered: replace the entry's info (adds it when absent: prefetch).
  void publish(ContainerInfo info);
  // The lookup could not be made or found nothing: retry no earlier than retry_at_ms.
  void lookup_failed(const std::string& id, uint64_t retry_at_ms);
  // The lookup request could not be queued (queue full): eligible again at retry_at_ms.
  void lookup_not_queued(const std::string& id, uint64_t retry_at_ms) {
    lookup_failed(id, retry_at_ms);
  }
  // The runtime reported the container's exit: evicted by sweep() once `grace_ms` passed
  // (events of its last processes may still be on their way). A later publish() (restart)
  // cancels it.
  void mark_exited(const std::string& id, uint64_t now_ms);
  // Evicts exited entries older than grace_ms; returns how many.
  size_t sweep(uint64_t now_ms, uint64_t grace_ms);
  void erase(const std::string& id);

  size_t size() const;
  uint64_t evictions() const { return evictions_.load(std::memory_order_relaxed); }

 private:
  struct Entry {
    std::shared_ptr<const ContainerInfo> info;
    uint64_t retry_at_ms = 0;
    uint64_t last_used_ms = 0;
    uint64_t exited_at_ms = 0;  // 0: running
    bool lookup_pending = false;
  };
  void make_room();  // mu_ held

  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> map_;
  std::atomic<uint64_t> evictions_{0};
};

}  // namespace saker::container
