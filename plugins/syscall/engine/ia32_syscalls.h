// i386 (ia32) syscall numbers and their x86_64 counterparts. A 64-bit kernel runs 32-bit
// programs' syscalls, and `int $0x80` from 64-bit ones, in compat mode with the i386
// numbers and argument registers: the live driver translates them to the x86_64 syscall
// they are, so that an `int $0x80` open is reported as an open (not as x86_64 number 5,
// fstat). Pure functions over constant tables; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace saker::syscall {

// The i386 name of `nr` ("" when unused or unknown).
std::string_view ia32_syscall_name(std::uint32_t nr) noexcept;

// The x86_64 syscall the i386 syscall `nr` is reported as, or nullopt when there is none
// with the same arguments (old calling conventions: socketcall, ipc, old mmap/select,
// 16-bit uid calls, 32-bit file offsets); such syscalls are not reported at all.
std::optional<std::uint32_t> ia32_to_x86_64(std::uint32_t nr) noexcept;

}  // namespace saker::syscall
