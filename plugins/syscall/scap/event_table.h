// The scap event table: for every event type code, its name, direction, category, flags and
// parameter layout (names, types, print formats, flag tables). It is a constant table indexed
// by type code, not a switch: code that needs to know "what is parameter 2 of an openat exit
// event" looks it up here.
//
// The table covers every code up to kEventTypeCount, including the old layouts (EF_OLD_VERSION)
// that captures written by older drivers contain. Events that a newer driver extended with
// trailing parameters are described with their newest layout; an event that carries fewer
// parameters (as its header's nparams says) is still valid, the missing ones are absent.
//
// Thread-safety: immutable after static initialisation; safe to read from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "event_header.h"
#include "event_types.h"

namespace saker::syscall::scap {

// The entry for `type`; codes beyond the table get a shared "unknown" entry (name "unknown",
// no parameters), so callers never index out of bounds.
const EventInfo& event_info(std::uint16_t type) noexcept;

// True when `type` is inside the table and not an unused placeholder slot.
bool is_known_event(std::uint16_t type) noexcept;

// The whole table, indexed by type code (size kEventTypeCount).
std::span<const EventInfo> event_table() noexcept;

// The other half of an enter/exit pair (enter <-> exit).
constexpr std::uint16_t paired_event(std::uint16_t type) noexcept {
  return static_cast<std::uint16_t>(type ^ 1u);
}

// The current (non-old-version) code for a syscall-style name and direction, e.g.
// ("openat", enter) -> kOpenatV2E. Empty when no such event exists.
std::optional<std::uint16_t> find_event(std::string_view name, bool enter) noexcept;

// Index of the parameter called `param` in events of `type`, if any.
std::optional<std::uint32_t> find_param(std::uint16_t type, std::string_view param) noexcept;

}  // namespace saker::syscall::scap
