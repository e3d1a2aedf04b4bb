// FdTable: the open descriptors of one process (shared by its threads when they were
// created with CLONE_FILES, hence held through shared_ptr by ThreadInfo). Bounded: once
// `max_fds` entries are stored, new descriptors are not stored and counted as dropped.
//
// Layout, for the event path: descriptors below kDenseFds (nearly all of them: the kernel
// hands out the lowest free number) live in slots indexed by their number, so a lookup is
// an array access; a slot's entry stays after close, unchanged, until a descriptor with that
// number replaces it, and entries are recycled (see Memory below: a reused entry's name keeps
// its capacity), so opening and closing files allocates nothing in the steady state. The
// slots of the first kLowFds numbers are inside
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
// Memory: an entry is often cold when its number is reused (closed long ago) or its process
// exits, and touching it was a cache miss on the event path. So a private entry a table gives
// up (a new descriptor over a closed one, an exit) goes to the FdEntryPool its thread table
// gives every table without being read; the pool loads such entries a batch at a time (their
// misses overlap) and hands them out for the next new descriptors. A slot whose entry may be
// shared has kShared; such an entry a table gives up goes to the pool too, which lowers its
// count later, a batch at a time (FdEntryPool::put_shared). Tables without a pool read and
// lower the count at once.
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

// An FdTable entry: a descriptor and the number of tables whose slots hold it.
struct FdEntry {
  std::uint32_t refs = 1;
  FdInfo info;
};

// Where the entries of a ThreadTable's tables come from, and go back to (see FdTable).
// Entries are made kSlab at a time in slabs of their own, off the general heap: the
// descriptor churn of a busy host (opens, forks, exits) then leaves no holes between other
// objects, and a long replay's heap stays close to its live size. A slab lives as long as
// the pool, so the entries are bounded by the most ever held at once; beyond kMaxKept
// free entries (~100 KiB with their names), the oldest give their names' buffers back.
// Not thread-safe.
class FdEntryPool {
 public:
  static constexpr std::size_t kBatch = 32;
  static constexpr std::size_t kMaxKept = 512;
  static constexpr std::size_t kSlab = 64;
  FdEntryPool() = default;
  FdEntryPool(const FdEntryPool&) = delete;
  FdEntryPool& operator=(const FdEntryPool&) = delete;
  ~FdEntryPool();
  // An entry with refs 1 and unspecified contents (its name keeps its buffer).
  FdEntry* get() {
    if (ready_.empty()) reclaim();
    if (ready_.empty()) grow();
    FdEntry* e = ready_.back();
    ready_.pop_back();
    e->refs = 1;
    return e;
  }
  // Start loading the entry get() gives next.
  void prefetch_next() const {
    if (!ready_.empty()) prefetch_lines(ready_.back());
  }
  // An entry no table holds any more; not read here.
  void put(FdEntry* e) {
    stale_.push_back(e);
    if (stale_.size() + ready_.size() > kMaxKept) trim();
  }
  // An entry a table gives up while other tables may hold it too (a slot marked shared):
  // its count is lowered later, a batch of entries at a time (their misses overlap), not
  // now; it is put() when the count reaches 0. Until then the count is higher than the
  // tables holding the entry, which only makes find_mut() copy where it could have taken.
  void put_shared(FdEntry* e) {
    shared_.push_back(e);
    if (shared_.size() >= kBatch) settle();
  }

 private:
  static void prefetch_lines(const FdEntry* e) {
    const auto* p = reinterpret_cast<const char*>(e);
    for (std::size_t off = 0; off < sizeof(FdEntry); off += 64) __builtin_prefetch(p + off, 1);
  }
  void reclaim();  // up to kBatch stale (else bare) entries become ready, loaded together
  void trim();     // kBatch stale entries give their names' buffers back and become bare
  void settle();   // the counts of shared_ lowered, loaded together
  void grow();     // a new slab's entries become ready
  std::vector<FdEntry*> ready_, stale_, bare_, shared_;
  std::vector<std::unique_ptr<FdEntry[]>> slabs_;
};

class FdTable {
 public:
  static constexpr std::int64_t kDenseFds = 1024;
  static constexpr std::uint32_t kOCloexec = 1u << 12;  // scap PPM_O_CLOEXEC

  // Without a pool, entries are allocated and freed one by one.
  FdTable(std::size_t max_fds, StateCounters* counters,
          std::shared_ptr<FdEntryPool> pool = nullptr)
      : max_(max_fds), counters_(counters), pool_(std::move(pool)) {}
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
    const std::uintptr_t* s = slot_of(fd);
    if (s && (*s & kShared)) {
      __builtin_prefetch(entry_of(*s), 1);
    } else if (pool_) {
      pool_->prefetch_next();
    }
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
  using Entry = FdEntry;
  const FdInfo* find_sparse(std::int64_t fd) const;
  static void reset(FdInfo& f, std::int64_t fd, std::uint32_t open_flags);
  // Slot of fd: the address of its Entry (held, and kept after close, as it was, for the
  // next descriptor with that number), with kOpen set while fd is open and kCloexec while
  // it is open with O_CLOEXEC, and kShared once another table may hold the entry too (set by
  // clone(), on both tables); in low_ below kLowFds, in high_ (index fd - kLowFds) up to
  // kDenseFds.
  static constexpr std::uintptr_t kOpen = 1, kCloexec = 2, kShared = 4;
  static constexpr std::uintptr_t kBits = kOpen | kCloexec | kShared;
  static_assert(alignof(Entry) >= 8, "FdTable: the slot bits need aligned entries");
  static Entry* entry_of(std::uintptr_t v) { return reinterpret_cast<Entry*>(v & ~kBits); }
  static FdInfo* info_of(std::uintptr_t v) { return &entry_of(v)->info; }
  // Fill slot `s` with a private entry reset for fd.
  FdInfo* fill(std::uintptr_t& s, std::int64_t fd, std::uint32_t open_flags);
  Entry* new_entry() { return pool_ ? pool_->get() : new Entry(); }
  // Give up this table's hold on slot value v's entry.
  void release(std::uintptr_t v) {
    Entry* e = entry_of(v);
    if (!e) return;
    if (pool_) {
      if (v & kShared) {
        pool_->put_shared(e);
      } else {
        pool_->put(e);
      }
      return;
    }
    if (!(v & kShared) || --e->refs == 0) delete e;
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
  std::shared_ptr<FdEntryPool> pool_;
};

}  // namespace saker::syscall
