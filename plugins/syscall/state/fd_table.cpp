// The per-process descriptor table (see fd_table.h).
#include "fd_table.h"

#include <algorithm>

namespace saker::syscall {

// Back to a default FdInfo for descriptor `fd` opened with `open_flags`, member by member:
// the name keeps its buffer for the next name.
void FdTable::reset(FdInfo& f, std::int64_t fd, std::uint32_t open_flags) {
  f.fd = fd;
  f.type = FdType::kUnknown;
  f.name.clear();
  f.name_raw.clear();
  f.open_flags = open_flags;
  f.dev = 0;
  f.ino = 0;
  f.cip = {};
  f.sip = {};
  f.cport = f.sport = 0;
  f.l4proto = 0;
  f.role = FdRole::kNone;
  f.unix_src = f.unix_dst = 0;
  f.connected = false;
  static_assert(sizeof(FdInfo) <= 168, "FdTable::reset: a member was added to FdInfo?");
}

const FdInfo* FdTable::find_sparse(std::int64_t fd) const {
  if (sparse_.empty()) return nullptr;
  auto it = sparse_.find(fd);
  return it == sparse_.end() ? nullptr : &it->second;
}

// Every table is gone (each holds the pool): no entry is held, and the slabs go with them.
FdEntryPool::~FdEntryPool() = default;

void FdEntryPool::grow() {
  auto slab = std::make_unique<FdEntry[]>(kSlab);
  for (std::size_t i = kSlab; i-- > 0;) ready_.push_back(&slab[i]);
  slabs_.push_back(std::move(slab));
}

void FdEntryPool::settle() {
  for (FdEntry* e : shared_) __builtin_prefetch(e, 1);
  for (FdEntry* e : shared_) {
    if (--e->refs == 0) put(e);  // may trim stale_, never shared_
  }
  shared_.clear();
}

void FdEntryPool::reclaim() {
  std::vector<FdEntry*>& from = stale_.empty() ? bare_ : stale_;
  const std::size_t n = std::min(kBatch, from.size());
  for (std::size_t i = from.size() - n; i < from.size(); ++i) prefetch_lines(from[i]);
  ready_.insert(ready_.end(), from.end() - static_cast<std::ptrdiff_t>(n), from.end());
  from.resize(from.size() - n);
}

void FdEntryPool::trim() {
  const std::size_t n = std::min(kBatch, stale_.size());
  for (std::size_t i = 0; i < n; ++i) prefetch_lines(stale_[i]);
  for (std::size_t i = 0; i < n; ++i) {
    FdInfo& f = stale_[i]->info;
    std::string().swap(f.name);
    std::string().swap(f.name_raw);
  }
  bare_.insert(bare_.end(), stale_.begin(), stale_.begin() + static_cast<std::ptrdiff_t>(n));
  stale_.erase(stale_.begin(), stale_.begin() + static_cast<std::ptrdiff_t>(n));
}

FdTable::~FdTable() {
  for_each_slot([this](std::size_t, std::uintptr_t v) { release(v); });
}

FdInfo* FdTable::fill(std::uintptr_t& s, std::int64_t fd, std::uint32_t open_flags) {
  Entry* e = entry_of(s);
  if (pool_) {  // maybe cold: to the pool unread (release), a ready one instead
    release(s);
    e = nullptr;
  } else if (e && (s & kShared)) {  // read only when it may be shared
    if (e->refs > 1) {              // another table holds it: left to that table as it is
      --e->refs;
      e = nullptr;
    }
  }
  if (!e) e = new_entry();
  reset(e->info, fd, open_flags);
  s = reinterpret_cast<std::uintptr_t>(e) | kOpen | ((open_flags & kOCloexec) ? kCloexec : 0);
  return &e->info;
}

FdInfo* FdTable::slot(std::int64_t fd, std::uint32_t open_flags) {
  std::uintptr_t* s = slot_of(fd);
  if (s && (*s & kOpen)) return fill(*s, fd, open_flags);  // replaced
  if (!s && !sparse_.empty()) {
    if (auto it = sparse_.find(fd); it != sparse_.end()) {
      reset(it->second, fd, open_flags);
      return &it->second;
    }
  }
  if (count_ >= max_) {
    counters_->fds_dropped++;
    return nullptr;
  }
  counters_->fds_added++;
  ++count_;
  if (!s) {
    if (fd < 0 || fd >= kDenseFds) {
      FdInfo& f = sparse_[fd];
      reset(f, fd, open_flags);
      return &f;
    }
    // Never past kDenseFds: find() looks a number beyond the slots up in sparse_.
    const std::size_t need = static_cast<std::size_t>(fd) - kLowFds + 1;
    high_.resize(std::min<std::size_t>(kDenseFds - kLowFds,
                                       std::max<std::size_t>(need, 2 * high_.size())));
    s = slot_of(fd);
  }
  return fill(*s, fd, open_flags);
}

FdInfo* FdTable::add(FdInfo info) {
  FdInfo* f = slot(info.fd, info.open_flags);
  if (f) *f = std::move(info);
  return f;
}

FdInfo* FdTable::find_mut(std::int64_t fd) {
  std::uintptr_t* s = slot_of(fd);
  if (!s) return const_cast<FdInfo*>(find_sparse(fd));
  if (!(*s & kOpen)) return nullptr;
  Entry* e = entry_of(*s);
  if (!(*s & kShared)) return &e->info;
  if (e->refs > 1) {  // shared: this table's own copy from now on
    --e->refs;
    Entry* c = new_entry();
    c->info = e->info;
    e = c;
  }
  *s = reinterpret_cast<std::uintptr_t>(e) | (*s & (kOpen | kCloexec));
  return &e->info;
}

bool FdTable::remove(std::int64_t fd) {
  if (std::uintptr_t* s = slot_of(fd)) {
    if (!(*s & kOpen)) return false;
    *s &= ~(kOpen | kCloexec);  // the entry stays as it was until the number is reused
  } else if (sparse_.erase(fd) == 0) {
    return false;
  }
  --count_;
  counters_->fds_removed++;
  return true;
}

void FdTable::remove_cloexec() {
  for_each_slot([this](std::size_t fd, std::uintptr_t v) {
    if ((v & (kOpen | kCloexec)) == (kOpen | kCloexec)) remove(static_cast<std::int64_t>(fd));
  });
  for (auto it = sparse_.begin(); it != sparse_.end();) {
    if (it->second.open_flags & kOCloexec) {
      it = sparse_.erase(it);
      --count_;
      counters_->fds_removed++;
    } else {
      ++it;
    }
  }
}

std::shared_ptr<FdTable> FdTable::clone() {
  auto t = std::make_shared<FdTable>(max_, counters_, pool_);
  t->count_ = count_;
  t->sparse_ = sparse_;
  t->high_.resize(high_.size());
  for (std::size_t fd = 0; fd < kLowFds + high_.size(); ++fd) {
    std::uintptr_t& v = fd < kLowFds ? low_[fd] : high_[fd - kLowFds];
    if (v & kOpen) {
      entry_of(v)->refs++;
      v |= kShared;
      *t->slot_of(static_cast<std::int64_t>(fd)) = v;
    }
  }
  return t;
}

}  // namespace saker::syscall
