// The thread table (see thread_table.h).
#include "thread_table.h"

#include <mutex>
#include <new>

#include <algorithm>
#include <utility>
#include <vector>

namespace saker::syscall {

namespace {

// The blocks ThreadInfo is made in: slabs of kSlabThreads, a free list threaded through
// the free blocks' first bytes.
class ThreadBlocks {
 public:
  static constexpr std::size_t kBlock = sizeof(ThreadInfo);
  static constexpr std::size_t kSlabThreads = 32;
  void* get() {
    std::lock_guard lock(mu_);
    if (!free_) grow();
    void* p = free_;
    free_ = *static_cast<void**>(free_);
    return p;
  }
  void put(void* p) {
    std::lock_guard lock(mu_);
    *static_cast<void**>(p) = free_;
    free_ = p;
  }

 private:
  void grow() {
    auto* slab = static_cast<char*>(
        ::operator new(kBlock * kSlabThreads, std::align_val_t{alignof(ThreadInfo)}));
    slabs_.push_back(slab);  // held from its start: reachable, as a leak checker sees it
    for (std::size_t i = kSlabThreads; i-- > 0;) {
      void* b = slab + i * kBlock;
      *static_cast<void**>(b) = free_;
      free_ = b;
    }
  }
  std::mutex mu_;
  void* free_ = nullptr;
  std::vector<void*> slabs_;
};

// Never destroyed: a ThreadInfo may be freed during static destruction.
ThreadBlocks& thread_blocks() {
  static auto* b = new ThreadBlocks();
  return *b;
}

}  // namespace

void* ThreadInfo::operator new(std::size_t n, std::align_val_t a) {
  if (n != ThreadBlocks::kBlock || static_cast<std::size_t>(a) > alignof(ThreadInfo)) {
    return ::operator new(n, a);
  }
  return thread_blocks().get();
}

void ThreadInfo::operator delete(void* p, std::size_t n, std::align_val_t a) noexcept {
  if (!p) return;
  if (n != ThreadBlocks::kBlock || static_cast<std::size_t>(a) > alignof(ThreadInfo)) {
    ::operator delete(p, a);
    return;
  }
  thread_blocks().put(p);
}

ThreadInfo* ThreadTable::add(std::unique_ptr<ThreadInfo> t) {
  if (!t->fds) t->fds = new_fd_table();
  const std::int64_t tid = t->tid;
  const std::int64_t ptid = t->ptid;
  auto it = threads_.find(tid);
  if (it != threads_.end()) {
    unlink_child(it->second->ptid, tid);
    it->second = std::move(t);
  } else {
    if (threads_.size() >= max_) evict_oldest();
    counters_->threads_added++;
    it = threads_.emplace(tid, std::move(t)).first;
  }
  link_child(ptid, tid);
  slot(tid) = {tid, it->second.get()};
  return it->second.get();
}

void ThreadTable::unlink_child(std::int64_t ptid, std::int64_t tid) {
  if (ptid <= 0) return;
  auto it = children_.find(ptid);
  if (it == children_.end()) return;
  std::vector<std::int64_t>& v = it->second;
  auto c = std::find(v.begin(), v.end(), tid);
  if (c != v.end()) {
    *c = v.back();
    v.pop_back();
  }
  if (v.empty()) children_.erase(it);
}

std::size_t ThreadTable::reparent_children(std::int64_t tid, std::int64_t new_parent) {
  auto it = children_.find(tid);
  if (it == children_.end()) return 0;
  std::vector<std::int64_t> kids = std::move(it->second);
  children_.erase(it);
  std::size_t n = 0;
  for (const std::int64_t c : kids) {
    ThreadInfo* t = find(c);
    if (!t || t->ptid != tid) continue;  // not (or no longer) its child
    if (c == tid) {                       // its own parent: stays so
      link_child(tid, c);
      continue;
    }
    t->ptid = new_parent;
    link_child(new_parent, c);
    ++n;
  }
  return n;
}

ThreadInfo* ThreadTable::find_slow(std::int64_t tid) const {
  CacheSlot& s = slot(tid);
  auto it = threads_.find(tid);
  s = {tid, it == threads_.end() ? nullptr : it->second.get()};
  return s.thread;
}

void ThreadTable::remove(std::int64_t tid) {
  forget(tid);
  auto it = threads_.find(tid);
  if (it == threads_.end()) return;
  unlink_child(it->second->ptid, tid);
  threads_.erase(it);
  counters_->threads_removed++;
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
    auto it = threads_.find(by_age[i].second);
    unlink_child(it->second->ptid, it->first);
    threads_.erase(it);
    counters_->threads_evicted++;
  }
}

}  // namespace saker::syscall
