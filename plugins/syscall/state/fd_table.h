// FdTable: the open descriptors of one process (shared by its threads when they were
// created with CLONE_FILES, hence held through shared_ptr by ThreadInfo). Bounded: once
// `max_fds` entries are stored, new descriptors are not stored and counted as dropped.
//
// Layout, for the event path: descriptors below kDenseFds (nearly all of them: the kernel
// hands out the lowest free number) live in slots indexed by their number, so a lookup is
// an array access; a slot's FdInfo stays allocated after close and is reused by the next
// descriptor with that number (its name keeps its capacity), so opening and closing files
// allocates nothing in the steady state. The slots of the first kLowFds numbers are inside
// the table object (a lookup there is one memory access after the thread's table pointer,
// not two). Other numbers go to a map. Entries never move:
// a pointer returned by add()/find()/slot() stays valid until that descriptor is removed
// or replaced.
// Not thread-safe; owned by the parsing thread.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "counters.h"
#include "fd_info.h"

namespace saker::syscall {

class FdTable {
 public:
  static constexpr std::int64_t kDenseFds = 1024;

  FdTable(std::size_t max_fds, StateCounters* counters) : max_(max_fds), counters_(counters) {}
  FdTable(const FdTable&) = delete;  // clone() copies
  FdTable& operator=(const FdTable&) = delete;
  ~FdTable();

  // Store (or replace) `info` under info.fd; returns the stored entry, or nullptr when the
  // table is full.
  FdInfo* add(FdInfo info);
  // The entry for `fd`, reset to a default FdInfo with fd set (an existing descriptor with
  // that number is replaced), for the caller to fill in place; nullptr when the table is
  // full.
  FdInfo* slot(std::int64_t fd);
  // Inline, and without touching the entry: the open bit is in the slot (one event in two
  // looks its descriptor up; the entry is read only by those that need it).
  FdInfo* find(std::int64_t fd) {
    if (const std::uintptr_t* s = slot_of(fd)) return (*s & kOpen) ? entry(*s) : nullptr;
    return find_sparse(fd);
  }
  // Start loading the entry fd would reuse (an open's result), while the event's path is
  // being resolved: the entry is then written in place.
  void prefetch(std::int64_t fd) {
    if (const std::uintptr_t* s = slot_of(fd); s && *s) __builtin_prefetch(entry(*s), 1);
  }
  // Whether a removed fd's entry stays where it was, unchanged, until a descriptor with that
  // number is added (every number below kDenseFds that had a slot): a pointer to it can
  // describe the closed descriptor for the rest of the event.
  bool keeps_closed(std::int64_t fd) { return slot_of(fd) != nullptr; }
  // Remove fd; returns true when it was there.
  bool remove(std::int64_t fd);
  // Remove every descriptor opened with O_CLOEXEC (what execve does).
  void remove_cloexec();
  std::size_t size() const { return count_; }

  // A copy for a child created without CLONE_FILES.
  std::shared_ptr<FdTable> clone() const;

 private:
  static constexpr std::size_t kLowFds = 64;
  FdInfo* find_sparse(std::int64_t fd);
  static void reset(FdInfo& f, std::int64_t fd);
  // Slot of fd (an address of its FdInfo, owned and kept after close, as it was, for the next
  // descriptor with that number, with kOpen set while fd is open): in low_ below kLowFds, in
  // high_ (index fd - kLowFds) up to kDenseFds.
  static constexpr std::uintptr_t kOpen = 1;
  static FdInfo* entry(std::uintptr_t v) { return reinterpret_cast<FdInfo*>(v & ~kOpen); }
  // The slot of fd when there is one (a negative number has none).
  std::uintptr_t* slot_of(std::int64_t fd) {
    const auto u = static_cast<std::uint64_t>(fd);
    if (u < kLowFds) return &low_[u];
    const std::uint64_t i = u - kLowFds;  // wraps for negative numbers: past high_
    return i < high_.size() ? &high_[i] : nullptr;
  }
  template <typename F>
  void for_each_slot(F&& f) const {
    for (std::size_t i = 0; i < kLowFds; ++i) f(i, low_[i]);
    for (std::size_t i = 0; i < high_.size(); ++i) f(kLowFds + i, high_[i]);
  }

  std::uintptr_t low_[kLowFds] = {};  // first: next to the object's start
  std::size_t max_;
  StateCounters* counters_;
  std::size_t count_ = 0;
  std::vector<std::uintptr_t> high_;
  std::unordered_map<std::int64_t, FdInfo> sparse_;
};

}  // namespace saker::syscall
