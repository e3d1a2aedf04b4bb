// What the live eBPF driver sends for each syscall it knows: the scap exit event type and
// how its parameters are filled — by a program of its own (exec, clone, open, sockets) or by
// the table-driven program from a list of parameter kinds (bpf/driver_shared.h). Syscalls
// not in this table are sent as generic events when asked for.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "driver_shared.h"

namespace saker::syscall {

struct LiveParam {
  std::uint8_t kind;  // enum saker_param_kind
  std::uint8_t arg = 0;
};

struct LiveSyscall {
  std::string_view name;       // native syscall name (x86_64_syscalls.h)
  std::uint16_t event_type;    // scap exit event type
  std::uint8_t drop_category;  // enum saker_drop_category
  std::string_view program;    // the BPF program's name, or "" for a table-driven layout
  std::span<const LiveParam> params;  // the table-driven layout (empty with a program)
};

std::span<const LiveSyscall> live_syscalls() noexcept;
const LiveSyscall* find_live_syscall(std::string_view name) noexcept;

}  // namespace saker::syscall
