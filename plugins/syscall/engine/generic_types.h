// Event type codes for syscalls without an event type of their own. Generic events (scap
// types 0/1) carry the syscall's code as their ID parameter; to the host, the syscall plugin
// numbers them kGenericTypeBase + that code and names those codes after the syscalls, so a
// rule's `evt.type = madvise` is indexed like any other type and the live driver can be
// told to send exactly that syscall. The scap payload itself is unchanged.
#pragma once

#include <cstdint>
#include <span>

#include "event_header.h"
#include "event_types.h"
#include "event_view.h"

namespace saker::syscall {

inline constexpr std::uint16_t kGenericTypeBase = scap::kEventTypeCount;

// The host-facing type of a raw scap event: its scap type, or the generic code.
inline std::uint16_t host_event_type(std::span<const std::uint8_t> ev) noexcept {
  if (ev.size() < scap::kEventHeaderSize) return 0;
  const auto type = scap::load_le<std::uint16_t>(ev.data() + 20);
  if (type == scap::kAsynceventE) {
    // Falco 0.41+ writes container metadata as async events named "container", and its
    // evt.type of an async event is the event's name: to the host such an event is scap's
    // own type named "container", so `evt.type = container` selects both.
    scap::EventView v;
    if (v.assign(ev) && v.param_str(1) == "container") return scap::kContainerJsonV2E;
    return type;
  }
  if (type != scap::kGenericE && type != scap::kGenericX) return type;
  const auto nparams = scap::load_le<std::uint32_t>(ev.data() + 22);
  const std::size_t first = scap::kEventHeaderSize + 2 * static_cast<std::size_t>(nparams);
  if (nparams == 0 || ev.size() < first + 2) return type;
  const auto len = scap::load_le<std::uint16_t>(ev.data() + scap::kEventHeaderSize);
  if (len != 2) return type;
  return static_cast<std::uint16_t>(kGenericTypeBase + scap::load_le<std::uint16_t>(ev.data() + first));
}

}  // namespace saker::syscall
