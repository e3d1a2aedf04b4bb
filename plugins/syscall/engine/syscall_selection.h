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
  std::vector<std::string> rule_syscalls;  // event types the loaded rules need, when known
};

// Native syscall numbers to send; names that are no x86_64 syscall go to `unknown`.
std::vector<std::uint32_t> select_syscalls(const SyscallSelection& sel,
                                           std::vector<std::string>* unknown = nullptr);

// The syscalls the state engine needs to follow processes and descriptors.
const std::vector<std::string>& state_syscalls();

}  // namespace saker::syscall
