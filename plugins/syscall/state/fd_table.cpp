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
  for (const std::uintptr_t v : dense_) delete entry(v);
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
    const auto i = static_cast<std::size_t>(fd);
    // Never past kDenseFds: find() looks a number beyond dense_ up in sparse_.
    if (i >= dense_.size()) {
      dense_.resize(std::min<std::size_t>(kDenseFds, std::max<std::size_t>(i + 1, 2 * dense_.size())));
    }
    FdInfo* f = entry(dense_[i]);
    if (!f) f = new FdInfo();
    reset(*f, fd);
    dense_[i] = reinterpret_cast<std::uintptr_t>(f) | kOpen;
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
  if (fd >= 0 && fd < static_cast<std::int64_t>(dense_.size())) {
    std::uintptr_t& v = dense_[static_cast<std::size_t>(fd)];
    if (!(v & kOpen)) return false;
    entry(v)->fd = -1;  // the slot stays, with its name's buffer, for the next descriptor fd
    v &= ~kOpen;
  } else if (sparse_.erase(fd) == 0) {
    return false;
  }
  --count_;
  counters_->fds_removed++;
  return true;
}

void FdTable::remove_cloexec() {
  for (std::size_t i = 0; i < dense_.size(); ++i) {
    if ((dense_[i] & kOpen) && (entry(dense_[i])->open_flags & kOCloexec)) {
      remove(static_cast<std::int64_t>(i));
    }
  }
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
  t->dense_.resize(dense_.size());
  for (std::size_t i = 0; i < dense_.size(); ++i) {
    if (dense_[i] & kOpen) {
      t->dense_[i] = reinterpret_cast<std::uintptr_t>(new FdInfo(*entry(dense_[i]))) | kOpen;
    }
  }
  return t;
}

}  // namespace saker::syscall
