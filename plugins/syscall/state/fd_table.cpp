// The per-process descriptor table (see fd_table.h).
#include "fd_table.h"

namespace saker::syscall {

namespace {
constexpr std::uint32_t kOCloexec = 1u << 12;  // scap PPM_O_CLOEXEC
}  // namespace

FdInfo* FdTable::add(FdInfo info) {
  auto it = fds_.find(info.fd);
  if (it != fds_.end()) {
    it->second = std::move(info);
    return &it->second;
  }
  if (fds_.size() >= max_) {
    counters_->fds_dropped++;
    return nullptr;
  }
  counters_->fds_added++;
  std::int64_t fd = info.fd;
  return &fds_.emplace(fd, std::move(info)).first->second;
}

FdInfo* FdTable::find(std::int64_t fd) {
  auto it = fds_.find(fd);
  return it == fds_.end() ? nullptr : &it->second;
}

bool FdTable::remove(std::int64_t fd) {
  if (fds_.erase(fd) == 0) return false;
  counters_->fds_removed++;
  return true;
}

void FdTable::remove_cloexec() {
  for (auto it = fds_.begin(); it != fds_.end();) {
    if (it->second.open_flags & kOCloexec) {
      it = fds_.erase(it);
      counters_->fds_removed++;
    } else {
      ++it;
    }
  }
}

}  // namespace saker::syscall
