// The payload of a syscall-source event: one raw scap event, optionally followed by the
// enter event of the same syscall. Current Falco shows rules exit events only, with the
// enter parameters folded in; engines whose driver emits separate enter events (the capture
// replay) keep each thread's enter event and append it to the matching exit event, so the
// pair travels as one event and needs no side table. Consumers that only want the scap
// event read its header's `len` bytes and ignore the rest.
#pragma once

#include <cstdint>
#include <span>

#include "event_header.h"

namespace saker::syscall {

struct PayloadParts {
  std::span<const std::uint8_t> event;
  std::span<const std::uint8_t> enter;  // empty when none was folded in
};

inline PayloadParts split_payload(std::span<const std::uint8_t> payload) noexcept {
  PayloadParts p{payload, {}};
  if (payload.size() < scap::kEventHeaderSize) return p;
  std::uint32_t len = scap::load_le<std::uint32_t>(payload.data() + 16);
  if (len < scap::kEventHeaderSize || len >= payload.size()) return p;
  p.event = payload.first(len);
  p.enter = payload.subspan(len);
  return p;
}

}  // namespace saker::syscall
