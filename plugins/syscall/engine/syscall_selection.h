// Which syscalls the live driver sends (kernel-side filtering). Falco's base_syscalls keys:
// custom_set (names, "!name" removes one), repair (add what the state engine needs), all
// (every syscall). By default: what the state engine needs plus the syscalls saker's event
// table describes, without the high-volume I/O family (read/write/send/recv...), which is
// sent only when a configuration or the loaded rules name it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace saker::syscall {

struct SyscallSelection {
  std::vector<std::string> custom_set;
  bool repair = false;
  bool all = false;
  bool rules_known = false;                // the host said which event types rules need
  std::vector<std::string> rule_syscalls;  // their syscall names (rules_known)
};

// Syscall names behind scap event type names where they differ ("pread" -> "pread64");
// the name itself when it is a syscall; nothing for non-syscall events (procexit...).
std::vector<std::string> syscalls_of_event(const std::string& event_name);

// Native syscall numbers to send; names that are no x86_64 syscall go to `unknown`.
std::vector<std::uint32_t> select_syscalls(const SyscallSelection& sel,
                                           std::vector<std::string>* unknown = nullptr);

// The syscalls the state engine needs to follow processes and descriptors.
const std::vector<std::string>& state_syscalls();

}  // namespace saker::syscall
