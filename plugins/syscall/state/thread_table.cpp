// The thread table (see thread_table.h).
#include "thread_table.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace saker::syscall {

ThreadInfo* ThreadTable::add(std::unique_ptr<ThreadInfo> t) {
  if (!t->fds) t->fds = new_fd_table();
  const std::int64_t tid = t->tid;
  note_parent(t->ptid);
  auto it = threads_.find(tid);
  if (it != threads_.end()) {
    it->second = std::move(t);
  } else {
    if (threads_.size() >= max_) evict_oldest();
    counters_->threads_added++;
    it = threads_.emplace(tid, std::move(t)).first;
  }
  slot(tid) = {tid, it->second.get(), true};
  shrink_parents();
  return it->second.get();
}

std::size_t ThreadTable::reparent_children(std::int64_t tid, std::int64_t new_parent) {
  if (maybe_parents_.erase(tid) == 0) return 0;
  std::size_t n = 0;
  for (auto& [child_tid, t] : threads_) {
    if (t->ptid == tid && child_tid != tid) {
      t->ptid = new_parent;
      ++n;
    }
  }
  if (n != 0) note_parent(new_parent);
  shrink_parents();
  return n;
}

// Parents that left without exiting (evicted, replaced) stay in the set: rebuild it from the
// table when it has grown well past the table (amortised O(1) per addition or exit).
void ThreadTable::shrink_parents() {
  if (maybe_parents_.size() <= 2 * threads_.size() + 1024) return;
  maybe_parents_.clear();
  for (const auto& [tid, t] : threads_) note_parent(t->ptid);
}

ThreadInfo* ThreadTable::find_slow(std::int64_t tid) const {
  CacheSlot& s = slot(tid);
  auto it = threads_.find(tid);
  s = {tid, it == threads_.end() ? nullptr : it->second.get(), true};
  return s.thread;
}

void ThreadTable::remove(std::int64_t tid) {
  forget(tid);
  if (threads_.erase(tid) != 0) counters_->threads_removed++;
}

ThreadInfo* ThreadTable::main_thread(ThreadInfo* t) const {
  if (!t || t->is_main_thread()) return t;
  ThreadInfo* m = find(t->pid);
  return m ? m : t;
}

ThreadInfo* ThreadTable::parent(const ThreadInfo* t) const {
  if (!t || t->ptid <= 0 || t->ptid == t->tid) return nullptr;
  return find(t->ptid);
}

// When the table is full, the longest-idle sixteenth of it goes at once: one pass over the
// table (nth_element on the idle times) per max/16 additions, so a stream of new threads
// costs O(1) per thread amortised, where evicting one thread per addition with a scan was
// quadratic (140k threads: 16 s). A secondary index ordered by last use would cost on every
// event instead.
void ThreadTable::evict_oldest() {
  const std::size_t n = std::max<std::size_t>(1, std::min(threads_.size(), max_ / 16));
  std::vector<std::pair<std::uint64_t, std::int64_t>> by_age;  // (last_ts, tid)
  by_age.reserve(threads_.size());
  for (const auto& [tid, t] : threads_) by_age.emplace_back(t->last_ts, tid);
  if (by_age.empty()) return;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(n - 1),
                   by_age.end());
  for (std::size_t i = 0; i < n; ++i) {
    forget(by_age[i].second);
    threads_.erase(by_age[i].second);
    counters_->threads_evicted++;
  }
}

}  // namespace saker::syscall
