// The thread table (see thread_table.h).
#include "thread_table.h"

namespace saker::syscall {

ThreadInfo* ThreadTable::add(std::unique_ptr<ThreadInfo> t) {
  if (!t->fds) t->fds = new_fd_table();
  const std::int64_t tid = t->tid;
  auto it = threads_.find(tid);
  if (it != threads_.end()) {
    it->second = std::move(t);
  } else {
    if (threads_.size() >= max_) evict_oldest();
    counters_->threads_added++;
    it = threads_.emplace(tid, std::move(t)).first;
  }
  slot(tid) = {tid, it->second.get(), true};
  return it->second.get();
}

ThreadInfo* ThreadTable::find(std::int64_t tid) const {
  CacheSlot& s = slot(tid);
  if (s.known && s.tid == tid) return s.thread;
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

// A linear scan, but only when the table is full: eviction is the rare path, and a
// secondary index ordered by last use would cost on every event instead.
void ThreadTable::evict_oldest() {
  auto oldest = threads_.end();
  for (auto it = threads_.begin(); it != threads_.end(); ++it) {
    if (oldest == threads_.end() || it->second->last_ts < oldest->second->last_ts) oldest = it;
  }
  if (oldest == threads_.end()) return;
  forget(oldest->first);
  threads_.erase(oldest);
  counters_->threads_evicted++;
}

}  // namespace saker::syscall
