// Native x86_64 syscall numbers and names (the kernel's syscall table: facts, one per
// number). The live driver's filter is indexed by these numbers; rules and
// base_syscalls.custom_set speak names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace saker::syscall {

// The name of native syscall `nr`, or "" for an unused or unknown number.
std::string_view x86_64_syscall_name(std::uint32_t nr) noexcept;
// The number of the syscall called `name`.
std::optional<std::uint32_t> x86_64_syscall_nr(std::string_view name) noexcept;
// One past the highest number in the table.
std::uint32_t x86_64_syscall_count() noexcept;

}  // namespace saker::syscall
