// ThreadTable: every known thread by tid. Bounded: when `max_threads` are stored, adding
// one evicts the thread idle for longest (counted as evicted). Lookups of unknown tids are
// counted as misses by the callers that needed the thread. Not thread-safe; owned by the
// parsing thread.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "counters.h"
#include "thread_info.h"

namespace saker::syscall {

class ThreadTable {
 public:
  ThreadTable(std::size_t max_threads, std::size_t max_fds, StateCounters* counters)
      : max_(max_threads), max_fds_(max_fds), counters_(counters) {}

  // Insert (or replace) a thread; gives it an empty fd table when it has none.
  ThreadInfo* add(std::unique_ptr<ThreadInfo> t);
  ThreadInfo* find(std::int64_t tid) const;
  void remove(std::int64_t tid);
  // The main thread of t's process, or t itself when unknown.
  ThreadInfo* main_thread(ThreadInfo* t) const;
  // The parent of t (by ptid), or nullptr.
  ThreadInfo* parent(const ThreadInfo* t) const;
  std::size_t size() const { return threads_.size(); }
  std::shared_ptr<FdTable> new_fd_table() const {
    return std::make_shared<FdTable>(max_fds_, counters_);
  }
  const std::unordered_map<std::int64_t, std::unique_ptr<ThreadInfo>>& entries() const {
    return threads_;
  }

 private:
  void evict_oldest();
  std::size_t max_;
  std::size_t max_fds_;
  StateCounters* counters_;
  std::unordered_map<std::int64_t, std::unique_ptr<ThreadInfo>> threads_;
  // The last thread found: consecutive events, and an event's thread and its process,
  // mostly ask for the same tids. Cleared by every change of the table.
  mutable std::int64_t cached_tid_ = 0;
  mutable ThreadInfo* cached_ = nullptr;
};

}  // namespace saker::syscall
