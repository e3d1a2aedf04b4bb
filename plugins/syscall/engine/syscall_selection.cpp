// Syscall selection for the live driver (see syscall_selection.h).
#include "syscall_selection.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "live_syscalls.h"
#include "x86_64_syscalls.h"

namespace saker::syscall {
namespace {

// Sent only when asked for: the volume would dominate the rings.
constexpr std::string_view kHighVolume[] = {"read",   "write",    "sendto", "recvfrom", "splice",
                                            "sendfile", "copy_file_range", "mmap", "mprotect",
                                            "kill",   "tkill",    "tgkill", "io_uring_enter"};

bool high_volume(std::string_view n) {
  return std::find(std::begin(kHighVolume), std::end(kHighVolume), n) != std::end(kHighVolume);
}

void add(std::set<std::uint32_t>& out, std::string_view name, std::vector<std::string>* unknown) {
  if (auto nr = x86_64_syscall_nr(name)) {
    out.insert(*nr);
  } else if (unknown) {
    unknown->emplace_back(name);
  }
}

}  // namespace

std::vector<std::string> syscalls_of_event(const std::string& event_name) {
  struct Alias {
    std::string_view event;
    std::string_view syscalls[3];
  };
  static constexpr Alias kAliases[] = {
      {"pread", {"pread64"}},           {"pwrite", {"pwrite64"}},
      {"umount", {"umount2"}},          {"accept", {"accept", "accept4"}},
      {"signalfd", {"signalfd", "signalfd4"}}, {"eventfd", {"eventfd", "eventfd2"}},
      {"inotify_init", {"inotify_init", "inotify_init1"}}, {"prlimit", {"prlimit64"}},
      {"select", {"select", "pselect6"}}, {"getrlimit", {"getrlimit", "prlimit64"}},
      {"fstatat", {"newfstatat"}},
  };
  std::vector<std::string> out;
  for (const auto& a : kAliases) {
    if (a.event != event_name) continue;
    for (auto s : a.syscalls) {
      if (!s.empty()) out.emplace_back(s);
    }
    return out;
  }
  if (x86_64_syscall_nr(event_name)) out.push_back(event_name);
  return out;
}

const std::vector<std::string>& state_syscalls() {
  static const std::vector<std::string> kState = {
      "clone",    "clone3",  "fork",      "vfork",     "execve",       "execveat",
      "open",     "openat",  "openat2",   "creat",     "open_by_handle_at", "close",
      "dup",      "dup2",    "dup3",      "fcntl",     "pipe",         "pipe2",
      "socket",   "socketpair", "bind",   "connect",   "accept",       "accept4",
      "chdir",    "fchdir",  "chroot",    "setuid",    "setgid",       "setresuid",
      "setresgid", "setsid", "setpgid",   "capset",    "prctl",        "unshare",
      "setns",    "memfd_create", "userfaultfd", "io_uring_setup"};
  return kState;
}

std::vector<std::uint32_t> select_syscalls(const SyscallSelection& sel,
                                           std::vector<std::string>* unknown) {
  std::set<std::uint32_t> out;
  if (sel.all) {
    for (std::uint32_t nr = 0; nr < x86_64_syscall_count(); ++nr) {
      if (!x86_64_syscall_name(nr).empty()) out.insert(nr);
    }
    return {out.begin(), out.end()};
  }
  std::vector<std::string> removed;
  bool positives = false;
  for (const auto& n : sel.custom_set) {
    if (!n.empty() && n[0] == '!') {
      removed.push_back(n.substr(1));
    } else {
      positives = true;
      add(out, n, unknown);
    }
  }
  if (!positives) {
    for (const auto& n : state_syscalls()) add(out, n, unknown);
    if (!sel.rules_known) {
      for (const auto& s : live_syscalls()) {
        if (!high_volume(s.name)) add(out, s.name, unknown);
      }
    }
  } else if (sel.repair) {
    for (const auto& n : state_syscalls()) add(out, n, unknown);
  }
  for (const auto& n : sel.rule_syscalls) {
    if (auto nr = x86_64_syscall_nr(n)) out.insert(*nr);
  }
  for (const auto& n : removed) {
    if (auto nr = x86_64_syscall_nr(n)) {
      out.erase(*nr);
    } else if (unknown) {
      unknown->push_back("!" + n);
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace saker::syscall
