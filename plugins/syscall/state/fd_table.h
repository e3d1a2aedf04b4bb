// FdTable: the open descriptors of one process (shared by its threads when they were
// created with CLONE_FILES, hence held through shared_ptr by ThreadInfo). Bounded: once
// `max_fds` entries are stored, new descriptors are not stored and counted as dropped.
// Not thread-safe; owned by the parsing thread.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "counters.h"
#include "fd_info.h"

namespace saker::syscall {

class FdTable {
 public:
  FdTable(std::size_t max_fds, StateCounters* counters) : max_(max_fds), counters_(counters) {}

  // Store (or replace) `info` under info.fd; returns the stored entry, or nullptr when the
  // table is full.
  FdInfo* add(FdInfo info);
  FdInfo* find(std::int64_t fd);
  // Remove fd; returns true when it was there.
  bool remove(std::int64_t fd);
  // Remove every descriptor opened with O_CLOEXEC (what execve does).
  void remove_cloexec();
  std::size_t size() const { return fds_.size(); }
  const std::unordered_map<std::int64_t, FdInfo>& entries() const { return fds_; }

  // A copy for a child created without CLONE_FILES.
  std::shared_ptr<FdTable> clone() const { return std::make_shared<FdTable>(*this); }

 private:
  std::size_t max_;
  StateCounters* counters_;
  std::unordered_map<std::int64_t, FdInfo> fds_;
};

}  // namespace saker::syscall
