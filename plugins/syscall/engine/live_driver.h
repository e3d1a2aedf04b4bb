// LiveDriver: the userspace half of the eBPF driver. Loads the programs of bpf/ (libbpf
// skeleton), sizes the ring buffers and the per-CPU areas, fills the syscall filter, attaches
// to sys_exit and sched_process_exit, and reads events from the rings in timestamp order.
//
// Events are handed out as views into the rings (no copy); a batch's views stay valid until
// the next call of next() (the consumer positions only move then). Destruction detaches and
// frees every program and map; a killed process leaves nothing attached either (the kernel
// drops the links with the last file descriptor).
//
// Errors at start-up throw DriverError with what is missing (root, BTF, kernel features).
// Thread-safety: one thread uses a driver; counters() may be called from that thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver_shared.h"

namespace saker::syscall {

class DriverError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LiveDriverOptions {
  std::uint64_t buffer_bytes = 8u << 20;  // per ring buffer; a power of two >= the page size
  std::uint32_t cpus_per_buffer = 1;      // CPUs sharing one ring; 0 = one ring for all
  bool drop_failed = false;               // skip the events of failed syscalls in the kernel
  bool raw_open_path = true;              // a successful open keeps the caller's argument too
  std::uint32_t snaplen = 80;             // bytes of I/O data copied
  std::uint32_t target_tgid = 0;          // only this process (tests); 0 = every process
  bool target_children = false;           // with target_tgid: also its direct children
  bool trace_self = false;                // also trace saker's own process
};

struct DriverCounters {
  std::uint64_t events = 0;
  std::uint64_t drops[SAKER_DROP_CATEGORIES] = {};
  std::uint64_t truncated = 0;
  std::uint64_t ring_resyncs = 0;  // unfinished records the reader gave up on (a driver bug)
  std::uint64_t drops_total() const {
    std::uint64_t t = 0;
    for (auto d : drops) t += d;
    return t;
  }
};

// One event as it sits in the ring: the scap event plus its CPU trailer.
struct RingRecord {
  const std::uint8_t* data;
  std::uint32_t size;
};

class LiveDriver {
 public:
  explicit LiveDriver(const LiveDriverOptions& opts);
  ~LiveDriver();
  LiveDriver(const LiveDriver&) = delete;
  LiveDriver& operator=(const LiveDriver&) = delete;

  // Which syscalls are sent, by native number (x86_64_syscalls.h): those with an entry in
  // live_syscalls() get their own layout, others a generic event. May be called any time.
  void set_syscalls(const std::vector<std::uint32_t>& nrs);

  // Appends up to `max` records, oldest first across all rings, waiting at most
  // `timeout_ms` when none is ready. Releases the records of the previous call first.
  std::size_t next(std::vector<RingRecord>& out, std::size_t max, int timeout_ms);

  DriverCounters counters() const;
  std::uint32_t num_buffers() const;
  std::uint32_t num_cpus() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The current boot time in epoch ns (event timestamps are boot-relative in the kernel).
std::uint64_t boot_time_epoch_ns();

}  // namespace saker::syscall
