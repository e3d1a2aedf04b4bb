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
    if (!dense_[i]) dense_[i] = std::make_unique<FdInfo>();
    reset(*dense_[i], fd);
    return dense_[i].get();
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
  FdInfo* f = find(fd);
  if (!f) return false;
  if (fd >= 0 && fd < kDenseFds) {
    f->fd = -1;  // the slot stays, with its name's buffer, for the next descriptor fd
  } else {
    sparse_.erase(fd);
  }
  --count_;
  counters_->fds_removed++;
  return true;
}

void FdTable::remove_cloexec() {
  for (auto& f : dense_) {
    if (f && f->fd >= 0 && (f->open_flags & kOCloexec)) remove(f->fd);
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
    if (dense_[i] && dense_[i]->fd >= 0) t->dense_[i] = std::make_unique<FdInfo>(*dense_[i]);
  }
  return t;
}

}  // namespace saker::syscall
