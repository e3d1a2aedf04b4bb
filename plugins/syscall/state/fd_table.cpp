// The per-process descriptor table (see fd_table.h).
#include "fd_table.h"

#include <algorithm>

namespace saker::syscall {

namespace {
constexpr std::uint32_t kOCloexec = 1u << 12;  // scap PPM_O_CLOEXEC
}  // namespace

// Back to a default FdInfo, member by member: the name keeps its buffer for the next name.
void FdTable::reset(FdInfo& f, std::int64_t fd) {
  f.fd = fd;
  f.type = FdType::kUnknown;
  f.name.clear();
  f.name_raw.clear();
  f.open_flags = 0;
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

FdInfo* FdTable::find_sparse(std::int64_t fd) {
  if (sparse_.empty()) return nullptr;
  auto it = sparse_.find(fd);
  return it == sparse_.end() ? nullptr : &it->second;
}

FdTable::~FdTable() {
  for_each_slot([](std::size_t, std::uintptr_t v) { delete entry(v); });
}

FdInfo* FdTable::slot(std::int64_t fd) {
  if (FdInfo* f = find(fd)) {
    reset(*f, fd);
    return f;
  }
  if (count_ >= max_) {
    counters_->fds_dropped++;
    return nullptr;
  }
  counters_->fds_added++;
  ++count_;
  if (fd >= 0 && fd < kDenseFds) {
    std::uintptr_t* s = slot_of(fd);
    if (!s) {
      // Never past kDenseFds: find() looks a number beyond the slots up in sparse_.
      const std::size_t need = static_cast<std::size_t>(fd) - kLowFds + 1;
      high_.resize(std::min<std::size_t>(kDenseFds - kLowFds,
                                         std::max<std::size_t>(need, 2 * high_.size())));
      s = slot_of(fd);
    }
    FdInfo* f = entry(*s);
    if (!f) f = new FdInfo();
    reset(*f, fd);
    *s = reinterpret_cast<std::uintptr_t>(f) | kOpen;
    return f;
  }
  FdInfo& f = sparse_[fd];
  reset(f, fd);
  return &f;
}

FdInfo* FdTable::add(FdInfo info) {
  FdInfo* f = slot(info.fd);
  if (f) *f = std::move(info);
  return f;
}

bool FdTable::remove(std::int64_t fd) {
  if (std::uintptr_t* s = slot_of(fd)) {
    if (!(*s & kOpen)) return false;
    *s &= ~kOpen;  // the entry stays as it was (with its name's buffer) for the next fd
  } else if (sparse_.erase(fd) == 0) {
    return false;
  }
  --count_;
  counters_->fds_removed++;
  return true;
}

void FdTable::remove_cloexec() {
  for_each_slot([this](std::size_t fd, std::uintptr_t v) {
    if ((v & kOpen) && (entry(v)->open_flags & kOCloexec)) remove(static_cast<std::int64_t>(fd));
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

std::shared_ptr<FdTable> FdTable::clone() const {
  auto t = std::make_shared<FdTable>(max_, counters_);
  t->count_ = count_;
  t->sparse_ = sparse_;
  t->high_.resize(high_.size());
  for_each_slot([&t](std::size_t fd, std::uintptr_t v) {
    if (v & kOpen) {
      *t->slot_of(static_cast<std::int64_t>(fd)) =
          reinterpret_cast<std::uintptr_t>(new FdInfo(*entry(v))) | kOpen;
    }
  });
  return t;
}

}  // namespace saker::syscall
