// ThreadTable: every known thread by tid. Bounded: when `max_threads` are stored, adding
// one evicts the longest-idle sixteenth of the table (counted as evicted; amortised O(1)
// per added thread). Lookups of unknown tids are
// counted as misses by the callers that needed the thread. Not thread-safe; owned by the
// parsing thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "counters.h"
#include "thread_info.h"

namespace saker::syscall {

class ThreadTable {
 public:
  ThreadTable(std::size_t max_threads, std::size_t max_fds, StateCounters* counters)
      : max_(max_threads), max_fds_(max_fds), counters_(counters) {}

  // Insert (or replace) a thread; gives it an empty fd table when it has none.
  ThreadInfo* add(std::unique_ptr<ThreadInfo> t);
  // Inline: the cache answers nearly every lookup (one per event).
  ThreadInfo* find(std::int64_t tid) const {
    const CacheSlot& s = slot(tid);
    if (s.tid == tid) return s.thread;
    return find_slow(tid);
  }
  void remove(std::int64_t tid);
  // The main thread of t's process, or t itself when unknown.
  ThreadInfo* main_thread(ThreadInfo* t) const;
  // The parent of t (by ptid), or nullptr.
  ThreadInfo* parent(const ThreadInfo* t) const;
  // Change the parent of a stored thread. A thread's ptid is changed through here once it is
  // in the table (add() reads it for threads coming in), so that the table knows each tid's
  // children.
  void set_ptid(ThreadInfo* t, std::int64_t ptid) {
    if (t->ptid == ptid) return;
    unlink_child(t->ptid, t->tid);
    t->ptid = ptid;
    link_child(ptid, t->tid);
  }
  // Give every stored child of `tid` (ptid == tid, tid itself excepted) the parent
  // `new_parent`, as the kernel re-parents the children of an exiting thread. Returns how
  // many were. Costs a lookup and the children themselves: the table keeps each tid's
  // children, so no exit scans the whole table.
  std::size_t reparent_children(std::int64_t tid, std::int64_t new_parent);
  std::size_t size() const { return threads_.size(); }
  std::shared_ptr<FdTable> new_fd_table() const {
    return std::make_shared<FdTable>(max_fds_, counters_, pool_);
  }
  const std::unordered_map<std::int64_t, std::unique_ptr<ThreadInfo>>& entries() const {
    return threads_;
  }

 private:
  void evict_oldest();
  ThreadInfo* find_slow(std::int64_t tid) const;
  void link_child(std::int64_t ptid, std::int64_t tid) {
    if (ptid > 0) children_[ptid].push_back(tid);
  }
  void unlink_child(std::int64_t ptid, std::int64_t tid);
  std::size_t max_;
  std::size_t max_fds_;
  StateCounters* counters_;
  // Given to every descriptor table made here (and to their clones).
  std::shared_ptr<FdEntryPool> pool_ = std::make_shared<FdEntryPool>();
  std::unordered_map<std::int64_t, std::unique_ptr<ThreadInfo>> threads_;
  // The tids of the stored threads whose ptid is the key (an entry per parent with children;
  // the parent itself need not be stored: evicted, or not met yet). Kept by add(), remove(),
  // eviction and set_ptid(); reparent_children() checks each child's ptid before moving it.
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> children_;
  // A direct-mapped cache of lookups in front of the map (a lookup there costs a modulo
  // and a chain walk on every event), slot tid % kCacheSlots, remembering absent tids too
  // (thread == nullptr). Kept exact: add() stores the new pointer, remove() and eviction
  // record the tid as absent.
  struct CacheSlot {
    std::int64_t tid = kNoTid;  // kNoTid: the slot remembers nothing
    ThreadInfo* thread = nullptr;
  };
  static constexpr std::int64_t kNoTid = INT64_MIN;  // no thread has it (find() of it misses)
  // Sized for a busy host's thread count (a few thousand): with 256 slots, 740 threads
  // missed the cache on two events in three.
  static constexpr std::size_t kCacheSlots = 4096;
  CacheSlot& slot(std::int64_t tid) const {
    return cache_[static_cast<std::uint64_t>(tid) % kCacheSlots];
  }
  void forget(std::int64_t tid) { slot(tid) = {tid, nullptr}; }
  mutable std::vector<CacheSlot> cache_ = std::vector<CacheSlot>(kCacheSlots);  // 64 KiB: heap
};

}  // namespace saker::syscall
