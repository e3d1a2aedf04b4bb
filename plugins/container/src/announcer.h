// Which container events the plugin puts into the syscall stream: one "container" event per
// container when its metadata first arrives (again after an exit, for a restart), and one
// "container_removed" when a container that was announced exits. The runtime worker
// publishes a container several times (create, init, start; the lookup of a first sighting)
// and reports one exit several times (die, remove): rules at container start must fire once.
// Thread-safe (called from the worker's threads). Bounded: past `capacity` containers the
// oldest announcement is forgotten (that container could be announced again).
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace saker::container {

class Announcer {
 public:
  explicit Announcer(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  // True the first time for `id` (until should_remove(id) says true).
  bool should_add(const std::string& id) {
    std::lock_guard lock(mu_);
    if (!announced_.emplace(id, ++seq_).second) return false;
    order_.emplace_back(id, seq_);
    while (announced_.size() > capacity_ && !order_.empty()) {
      forget_front();
    }
    if (order_.size() > 2 * capacity_ + 16) {  // many removed: drop their stale entries
      while (!order_.empty() && !current(order_.front())) order_.pop_front();
      std::deque<std::pair<std::string, uint64_t>> kept;
      for (auto& e : order_) {
        if (current(e)) kept.push_back(std::move(e));
      }
      order_.swap(kept);
    }
    return true;
  }
  // True when `id` was announced and not yet removed.
  bool should_remove(const std::string& id) {
    std::lock_guard lock(mu_);
    return announced_.erase(id) != 0;
  }

 private:
  bool current(const std::pair<std::string, uint64_t>& e) const {
    auto it = announced_.find(e.first);
    return it != announced_.end() && it->second == e.second;
  }
  void forget_front() {
    if (current(order_.front())) announced_.erase(order_.front().first);
    order_.pop_front();
  }

  const size_t capacity_;
  std::mutex mu_;
  uint64_t seq_ = 0;
  std::unordered_map<std::string, uint64_t> announced_;  // id -> its announcement
  std::deque<std::pair<std::string, uint64_t>> order_;   // oldest first (some stale)
};

}  // namespace saker::container
