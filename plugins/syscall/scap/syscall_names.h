// Names of the driver's portable syscall codes (the `ID` parameter of the generic
// "syscall" events, type PT_SYSCALLID), so a syscall without a dedicated event type still
// shows its own name in evt.type, as libsinsp does (e.g. "mprotect" rather than "syscall").
// The codes are an append-only numbering shared by every scap capture; code 0 and codes
// beyond the table are "<unknown>".
#pragma once

#include <cstdint>
#include <string_view>

namespace saker::syscall::scap {

std::string_view syscall_code_name(std::uint64_t code) noexcept;

// The code of the syscall called `name` (generic events' ID parameter); 0 if unknown.
std::uint16_t syscall_code_of(std::string_view name) noexcept;

// Number of syscall codes (one past the highest).
std::uint32_t syscall_code_count() noexcept;

}  // namespace saker::syscall::scap
