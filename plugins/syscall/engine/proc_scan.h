// The /proc scan: what a live engine knows about the machine before its first event. Reads
// the process table (every thread of every process), each process's open descriptors,
// users and groups, machine info and network interfaces into the tables a .scap capture
// carries in its list blocks (scap::CaptureTables), so that State::seed() takes a live
// machine and a capture alike, and CaptureWriter::write_header() can start a live capture.
//
// Entries are filled as libscap's own /proc scan fills them, with these choices:
// * Kernel threads (no cmdline and no exe link) are skipped, as libscap does.
// * exepath is the target of /proc/PID/exe without the kernel's " (deleted)" marker (the
//   drivers report the path of the executable, built from its dentries, without it).
// * Descriptors are listed on each process's main thread only; threads share them.
// * Sockets are resolved by inode through <proc>/PID/net/{tcp,tcp6,udp,udp6,raw,raw6,unix,
//   netlink} (read once per network namespace); a socket found in none of them is skipped,
//   as libscap does. An IPv4/IPv6 socket without a remote address is a server socket.
// * Cgroups are given as seen from the scanner's cgroup namespace.
// * exe_upper_layer (the driver's EXE_UPPER_LAYER for processes started later): for an
//   executable on overlayfs, the overlay mounts of the process's mount namespace are read
//   once per namespace from its mountinfo, and the file is upper when its path relative to
//   the overlay's root exists in upperdir (no whiteout). Missed (false) when the layers are
//   on different filesystems without xino (the file's st_dev is then the layer's) or the
//   upperdir is out of the scanner's reach.
// Processes exit during the scan: an entry that vanishes (ENOENT, ESRCH) or cannot be read
// is skipped quietly and counted. Nothing throws for one bad entry.
//
// Thread-safety: the functions keep no state between calls; calls from several threads are
// independent.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "capture_writer.h"

namespace saker::syscall {

struct ProcScanOptions {
  std::string proc_root = "/proc";   // tests point these at fake trees
  std::string etc_root = "/etc";     // passwd and group are parsed from here
  std::size_t max_threads = 131072;  // process-table entries, threads included
  std::size_t max_fds_per_process = 4096;
  bool include_fds = true;
  bool include_env = true;
  bool include_interfaces = true;  // getifaddrs(): the scanner's network namespace
  // When set (by another thread) the scan stops at the next entry and returns what it has.
  const std::atomic<bool>* stop = nullptr;
};

struct ProcScanStats {
  std::uint64_t threads = 0;             // process-table entries returned
  std::uint64_t fds = 0;                 // descriptors returned
  std::uint64_t vanished = 0;            // entries gone or unreadable during the scan (skipped)
  std::uint64_t kernel_threads = 0;      // skipped like libscap does
  std::uint64_t fds_dropped = 0;         // fd entries past max_fds_per_process (not examined)
  std::uint64_t sockets_unresolved = 0;  // socket inodes in no /proc/net table (skipped)
  bool threads_truncated = false;        // max_threads reached: later processes are missing
  bool interrupted = false;              // `stop` was set
  std::chrono::nanoseconds elapsed{0};
};

// The whole machine. Never throws for /proc contents (std::bad_alloc aside).
scap::CaptureTables scan_host(const ProcScanOptions& opts = {}, ProcScanStats* stats = nullptr);

// One thread (for a live engine meeting a thread it does not know): its entry, with the
// process's descriptors when tid is the main thread. nullopt when it is gone or is a kernel
// thread.
std::optional<scap::ProcessEntry> scan_thread(const ProcScanOptions& opts, std::int64_t tid,
                                              ProcScanStats* stats = nullptr);

// The parts of scan_host, for callers that need only one.
scap::MachineInfo scan_machine(const ProcScanOptions& opts);
std::vector<scap::InterfaceEntry> scan_interfaces();
void read_users_and_groups(const std::string& etc_root, std::vector<scap::UserEntry>& users,
                           std::vector<scap::GroupEntry>& groups);

}  // namespace saker::syscall
