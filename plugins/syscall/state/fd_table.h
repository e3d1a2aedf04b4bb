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
// not two). Other numbers go to a map.
//
// Copy on write: a forked child's table (clone()) shares its parent's entries, each entry
// counting the tables that hold it, so a fork copies the slots, not the descriptors, and
// an exit frees only what no other table holds. A shared entry is never written: find()
// gives it read-only; a writer asks find_mut(), which first gives the table a private copy
// of that one entry, and slot()/add() build a new descriptor in a private entry.
// A slot also keeps the descriptor's O_CLOEXEC bit, so that execve (remove_cloexec) reads
// the slots, not the entries: an entry's open_flags is therefore written only through
// slot()/add(), never through find_mut().
//
// Entries never move: a pointer returned by add()/find()/find_mut()/slot() stays valid until
// that descriptor is removed or replaced, or (find()'s) until find_mut() of that descriptor.
// Not thread-safe; owned by the parsing thread (and so are the entries' shared counts).
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
  static constexpr std::uint32_t kOCloexec = 1u << 12;  // scap PPM_O_CLOEXEC

  FdTable(std::size_t max_fds, StateCounters* counters) : max_(max_fds), counters_(counters) {}
  FdTable(const FdTable&) = delete;  // clone() copies
  FdTable& operator=(const FdTable&) = delete;
  ~FdTable();

  // Store (or replace) `info` under info.fd; returns the stored entry, or nullptr when the
  // table is full.
  FdInfo* add(FdInfo info);
  // The entry for `fd`, reset to a default FdInfo with fd and open_flags set (an existing
  // descriptor with that number is replaced), for the caller to fill in place (open_flags
  // excepted); nullptr when the table is full.
  FdInfo* slot(std::int64_t fd, std::uint32_t open_flags = 0);
  // Inline, and without touching the entry: the open bit is in the slot (one event in two
  // looks its descriptor up; the entry is read only by those that need it). Read-only: the
  // entry may be shared with other tables.
  const FdInfo* find(std::int64_t fd) const {
    if (const std::uintptr_t* s = slot_of(fd)) return (*s & kOpen) ? info_of(*s) : nullptr;
    return find_sparse(fd);
  }
  // The entry of an open `fd`, for the caller to change (its open_flags excepted): this
  // table's own copy, made now if the entry was shared.
  FdInfo* find_mut(std::int64_t fd);
  // Start loading the entry fd would reuse (an open's result), while the event's path is
  // being resolved: the entry is then written in place.
  void prefetch(std::int64_t fd) const {
    if (const std::uintptr_t* s = slot_of(fd); s && *s) __builtin_prefetch(entry_of(*s), 1);
  }
  // Whether a removed fd's entry stays where it was, unchanged, until a descriptor with that
  // number is added (every number below kDenseFds that had a slot): a pointer to it can
  // describe the closed descriptor for the rest of the event.
  bool keeps_closed(std::int64_t fd) const { return slot_of(fd) != nullptr; }
  // Remove fd; returns true when it was there.
  bool remove(std::int64_t fd);
  // Remove every descriptor opened with O_CLOEXEC (what execve does).
  void remove_cloexec();
  std::size_t size() const { return count_; }

  // A copy for a child created without CLONE_FILES: it shares this table's entries.
  std::shared_ptr<FdTable> clone();

 private:
  static constexpr std::size_t kLowFds = 64;
  // An entry with the number of tables whose slots hold it (open or closed).
  struct Entry {
    std::uint32_t refs = 1;
    FdInfo info;
  };
  const FdInfo* find_sparse(std::int64_t fd) const;
  static void reset(FdInfo& f, std::int64_t fd);
  // Slot of fd: the address of its Entry (held, and kept after close, as it was, for the
  // next descriptor with that number), with kOpen set while fd is open and kCloexec while
  // it is open with O_CLOEXEC; in low_ below kLowFds, in high_ (index fd - kLowFds) up to
  // kDenseFds.
  static constexpr std::uintptr_t kOpen = 1, kCloexec = 2, kBits = kOpen | kCloexec;
  static_assert(alignof(Entry) >= 4, "FdTable: the slot bits need aligned entries");
  static Entry* entry_of(std::uintptr_t v) { return reinterpret_cast<Entry*>(v & ~kBits); }
  static FdInfo* info_of(std::uintptr_t v) { return &entry_of(v)->info; }
  // Fill slot `s` with a private entry reset for fd (reusing its entry when not shared).
  static FdInfo* fill(std::uintptr_t& s, std::int64_t fd, std::uint32_t open_flags);
  static void release(std::uintptr_t v) {
    if (Entry* e = entry_of(v); e && --e->refs == 0) delete e;
  }
  // The slot of fd when there is one (a negative number has none).
  std::uintptr_t* slot_of(std::int64_t fd) {
    return const_cast<std::uintptr_t*>(static_cast<const FdTable*>(this)->slot_of(fd));
  }
  const std::uintptr_t* slot_of(std::int64_t fd) const {
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
  std::unordered_map<std::int64_t, FdInfo> sparse_;  // never shared: copied by clone()
};

}  // namespace saker::syscall
