// The payload of a syscall-source event: one raw scap event, optionally followed by the
// enter event of the same syscall, optionally followed by a 4-byte trailer carrying the CPU
// the event was recorded on. Current Falco shows rules exit events only, with the enter
// parameters folded in; engines whose driver emits separate enter events (the capture
// replay) keep each thread's enter event and append it to the matching exit event, so the
// pair travels as one event and needs no side table. Consumers that only want the scap
// event read its header's `len` bytes and ignore the rest.
//
// Layout: event (len bytes) | [enter event (its own len bytes)] | [cpu u16, marker u16].
// The parts are told apart by the events' own lengths, so a payload without trailer (a
// bare event, or event + enter) stays valid.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "event_header.h"

namespace saker::syscall {

inline constexpr std::uint16_t kPayloadTrailerMarker = 0x5343;  // "CS"
inline constexpr std::size_t kPayloadTrailerSize = 4;

struct PayloadParts {
  std::span<const std::uint8_t> event;
  std::span<const std::uint8_t> enter;  // empty when none was folded in
  std::optional<std::uint16_t> cpu;     // empty when the engine did not record it
};

inline std::uint32_t payload_event_len(std::span<const std::uint8_t> p) noexcept {
  return p.size() < scap::kEventHeaderSize ? 0 : scap::load_le<std::uint32_t>(p.data() + 16);
}

inline PayloadParts split_payload(std::span<const std::uint8_t> payload) noexcept {
  PayloadParts p{payload, {}, std::nullopt};
  const std::uint32_t len = payload_event_len(payload);
  if (len < scap::kEventHeaderSize || len >= payload.size()) return p;
  p.event = payload.first(len);
  auto rest = payload.subspan(len);
  const std::uint32_t enter_len = payload_event_len(rest);
  const bool has_enter = enter_len >= scap::kEventHeaderSize && enter_len <= rest.size();
  if (has_enter && enter_len == rest.size()) {
    p.enter = rest;
    return p;
  }
  const std::size_t after_enter = has_enter ? enter_len : 0;
  if (rest.size() == after_enter + kPayloadTrailerSize &&
      scap::load_le<std::uint16_t>(rest.data() + after_enter + 2) == kPayloadTrailerMarker) {
    p.enter = rest.first(after_enter);
    p.cpu = scap::load_le<std::uint16_t>(rest.data() + after_enter);
    return p;
  }
  p.enter = rest;  // not ours: let the enter view's own validation reject it
  return p;
}

// Appends the CPU trailer to a payload under construction.
inline void append_payload_cpu(std::vector<std::uint8_t>& out, std::uint16_t cpu) {
  const std::uint16_t t[2] = {cpu, kPayloadTrailerMarker};
  const auto* b = reinterpret_cast<const std::uint8_t*>(t);
  out.insert(out.end(), b, b + sizeof t);  // little-endian hosts, like the scap format
}

}  // namespace saker::syscall
