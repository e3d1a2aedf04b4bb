// ThreadInfo: what the state engine knows about one thread (and, for a process's main
// thread, about the process): identity, parent, executable, arguments, credentials,
// session, terminal and its process's descriptor table. Seeded from a capture's process
// list, updated by clone/execve/exit and credential syscalls. Owned by the ThreadTable;
// pointers to it stay valid until the thread is removed or evicted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <memory>
#include <string>
#include <vector>

#include "fd_table.h"
#include "string_list.h"

namespace saker::syscall {

struct alignas(64) ThreadInfo {  // 64: the fields every event touches share one cache line
  // ptid: set it before the thread is added to its ThreadTable, later through
  // ThreadTable::set_ptid (the table tracks which tids may have children).
  std::int64_t tid = -1, pid = -1, ptid = -1;
  // What every event reads or writes, in the first cache line with the ids: the table finds
  // the thread by tid and sets last_ts, and the event's descriptor is looked up in fds.
  std::uint64_t last_ts = 0;  // last event seen (eviction order)
  std::shared_ptr<FdTable> fds;
  bool exited = false;
  std::int64_t sid = -1, vpgid = -1, vtid = -1, vpid = -1;
  std::string comm;     // proc.name (the kernel's comm, 16 chars)
  std::string exe;      // proc.exe (argv[0] as given)
  std::string exepath;  // proc.exepath (full path of the executable)
  StringList args;  // shared with the threads that have the same (a clone copies a pointer)
  std::string cmdline;  // comm + " " + args (proc.cmdline), rebuilt by update_cmdline()
  StringList env;
  std::string cwd;
  std::string cgroups;  // "subsys=path" entries, NUL-separated as in the scap format
  std::uint32_t uid = 0, gid = 0;
  std::uint32_t loginuid = UINT32_MAX;
  std::uint32_t tty = 0;
  std::uint64_t fdlimit = 0;
  std::uint64_t cap_inheritable = 0, cap_permitted = 0, cap_effective = 0;
  bool exe_writable = false, exe_upper_layer = false, exe_from_memfd = false;
  std::uint64_t exe_ino = 0, exe_ino_ctime = 0, exe_ino_mtime = 0;
  std::uint64_t clone_ts = 0;  // when the thread was created (0: before the capture)
  std::uint64_t pidns_init_start_ts = 0;
  std::uint32_t vmsize_kb = 0, vmrss_kb = 0, vmswap_kb = 0;

  // Made on every clone and freed on every exit: from slabs of their own, off the general
  // heap (thread_table.cpp), where this over-aligned size left holes that a long replay's
  // heap kept resident. Freed blocks are reused, never given back: bounded by the most
  // threads ever held at once. Thread-safe.
  static void* operator new(std::size_t n, std::align_val_t a);
  static void operator delete(void* p, std::size_t n, std::align_val_t a) noexcept;

  bool is_main_thread() const { return tid == pid; }
  // Call after changing comm or args: proc.cmdline is read for most events, so it is built
  // once per exec rather than per extraction.
  void update_cmdline() {
    cmdline = comm;
    for (const auto& a : args) {
      cmdline += ' ';
      cmdline += a;
    }
  }
};

}  // namespace saker::syscall
