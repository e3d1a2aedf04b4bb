// EventView: typed, bounds-checked access to the parameters of one raw scap event, without
// copying it. The view is validated once when made (header, parameter-length array and values
// all inside the buffer, lengths adding up to the header's `len`); after that every accessor
// is noexcept and returns an empty optional/span instead of reading outside the event.
//
// Lifetime: a view borrows the bytes it was made from; it stays valid while they do (for
// events from CaptureReader: until the reader's next call to next()). It is cheap to copy
// (a pointer, a length and the parameter offsets). Not tied to any thread, but one view is
// used by one thread at a time: info() memoises the type's table entry.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "event_header.h"
#include "event_types.h"

namespace saker::syscall::scap {

// An IP endpoint from a sockaddr/socktuple parameter. IPv4 uses the first 4 bytes of addr.
struct IpEndpoint {
  std::array<std::uint8_t, 16> addr{};
  std::uint16_t port = 0;
};

// Decoded PT_SOCKADDR. family is the scap family code (1 unix, 2 inet, 10 inet6).
struct SockAddr {
  std::uint8_t family = 0;
  IpEndpoint ip;               // inet / inet6
  std::string_view unix_path;  // unix (borrowed from the event)
};

// Decoded PT_SOCKTUPLE (source -> destination). For unix sockets the two "addresses" are the
// kernel socket pointers and unix_path the path.
struct SockTuple {
  std::uint8_t family = 0;
  IpEndpoint src;
  IpEndpoint dst;
  std::uint64_t unix_src = 0;
  std::uint64_t unix_dst = 0;
  std::string_view unix_path;
};

struct FdListEntry {
  std::int64_t fd;
  std::uint16_t flags;
};

// Per event type, bit i set when its parameter i is a signed integer type (sign-extended
// when narrower than 8 bytes); the last entry stands for every type beyond the table.
// Defined with the event table (event_table.cpp), constant-initialised.
extern const std::array<std::uint32_t, std::size_t{kEventTypeCount} + 1> kSignedParamMasks;

class EventView {
 public:
  EventView() = default;

  // Validates `bytes` as one event in the v2 layout (26-byte header). On failure returns
  // nullopt and, if `why` is given, a short reason. `bytes` may be longer than the event.
  static std::optional<EventView> make(std::span<const std::uint8_t> bytes,
                                       std::string* why = nullptr) noexcept;
  // The same validation into this view, in place (no copy of the view, no clearing of the
  // offsets table): the hot path of the state, which re-points one view per event. On
  // failure returns false and leaves an empty view (no parameters).
  // Inline: the common case (u16 parameter lengths, a valid event) is a header read and one
  // pass over the lengths; anything else (large-payload types, a failure and its reason)
  // goes to assign_slow, which validates the same way.
  bool assign(std::span<const std::uint8_t> bytes, std::string* why = nullptr) noexcept {
    if (bytes.size() >= kEventHeaderSize) {
      // The header's fields are read one by one from the event and stored one by one: a
      // header struct built on the stack and copied whole made the copy's wide loads wait
      // for the narrow stores (a store-forwarding stall on every event).
      const std::uint8_t* b = bytes.data();
      const std::uint32_t len = load_le<std::uint32_t>(b + 16);
      const std::uint16_t type = load_le<std::uint16_t>(b + 20);
      const std::uint32_t nparams = load_le<std::uint32_t>(b + 22);
      if (len >= kEventHeaderSize && len <= bytes.size() && nparams <= kMaxEventParams &&
          !has_large_lengths(type)) {
        const std::uint8_t* lp = b + kEventHeaderSize;
        std::size_t off = kEventHeaderSize + 2 * std::size_t{nparams};
        // The sum cannot overflow (at most 32 lengths of 16 bits), so one check at the end.
        for (std::uint32_t i = 0; i < nparams; ++i, lp += 2) {
          offsets_[i] = static_cast<std::uint32_t>(off);
          off += load_le<std::uint16_t>(lp);
        }
        if (off == len) {
          offsets_[nparams] = static_cast<std::uint32_t>(off);
          data_ = b;
          hdr_.ts = load_le<std::uint64_t>(b);
          hdr_.tid = load_le<std::uint64_t>(b + 8);
          hdr_.len = len;
          hdr_.type = type;
          hdr_.nparams = nparams;
          large_ = false;
          info_ = nullptr;  // looked up when first asked for
          return true;
        }
      }
    }
    return assign_slow(bytes, why);
  }
  // The event types whose parameter lengths are u32 (kEfLargePayload in the event table;
  // event_view_test checks the two agree).
  static constexpr bool has_large_lengths(std::uint16_t type) noexcept {
    return type == kPlugineventE || type == kContainerJsonV2E || type == kAsynceventE;
  }

  const EventHeader& header() const noexcept { return hdr_; }
  std::uint64_t ts() const noexcept { return hdr_.ts; }
  std::uint64_t tid() const noexcept { return hdr_.tid; }
  std::uint16_t type() const noexcept { return hdr_.type; }
  std::uint32_t nparams() const noexcept { return hdr_.nparams; }
  // The type's table entry (looked up once, when the view is assigned).
  const EventInfo& info() const noexcept {
    if (!info_) info_ = &info_slow();
    return *info_;
  }
  std::string_view name() const noexcept;
  bool large_payload() const noexcept { return large_; }

  // The whole event (header included).
  std::span<const std::uint8_t> raw() const noexcept { return {data_, hdr_.len}; }

  // Raw bytes of parameter i; empty span when i >= nparams (or the parameter is empty).
  // Inline: every parser and extractor goes through it.
  std::span<const std::uint8_t> param(std::uint32_t i) const noexcept {
    if (i >= hdr_.nparams) return {};
    return {data_ + offsets_[i], offsets_[i + 1] - offsets_[i]};
  }
  bool has_param(std::uint32_t i) const noexcept { return i < hdr_.nparams; }

  // Integer value of parameter i read with its exact on-wire width (1, 2, 4 or 8 bytes);
  // signed types and PT_ERRNO/FD/PID are sign-extended. nullopt if absent or odd-sized.
  // The 8-byte case (errno, fd, pid, 64-bit values: most integer reads) needs no sign and is
  // answered inline; the narrower ones look up the parameter's type.
  std::optional<std::int64_t> param_int(std::uint32_t i) const noexcept {
    if (i < hdr_.nparams && offsets_[i + 1] - offsets_[i] == 8) {
      return load_le<std::int64_t>(data_ + offsets_[i]);
    }
    return param_int_narrow(i);
  }
  std::optional<std::uint64_t> param_uint(std::uint32_t i) const noexcept {
    auto v = param_int(i);
    if (!v) return std::nullopt;
    return static_cast<std::uint64_t>(*v);
  }

  // A string parameter without its terminating NUL (stops at the first NUL).
  std::optional<std::string_view> param_str(std::uint32_t i) const noexcept;

  std::optional<SockAddr> param_sockaddr(std::uint32_t i) const noexcept;
  std::optional<SockTuple> param_socktuple(std::uint32_t i) const noexcept;
  // Number of entries of a PT_FDLIST parameter and access to entry k.
  std::optional<std::uint16_t> param_fdlist_size(std::uint32_t i) const noexcept;
  std::optional<FdListEntry> param_fdlist_entry(std::uint32_t i, std::uint16_t k) const noexcept;

  // Lookups by parameter name (as in the event table).
  std::optional<std::uint32_t> param_index(std::string_view name) const noexcept;

 private:
  const std::uint8_t* data_ = nullptr;
  EventHeader hdr_{};
  bool large_ = false;
  mutable const EventInfo* info_ = nullptr;  // the type's entry, once looked up
  const EventInfo& info_slow() const noexcept;
  bool assign_slow(std::span<const std::uint8_t> bytes, std::string* why) noexcept;
  // The 1-, 2- and 4-byte cases of param_int (inline: opens read two of them).
  std::optional<std::int64_t> param_int_narrow(std::uint32_t i) const noexcept {
    if (i >= hdr_.nparams) return std::nullopt;
    const std::uint8_t* p = data_ + offsets_[i];
    const std::uint32_t size = offsets_[i + 1] - offsets_[i];
    const std::uint32_t mask = kSignedParamMasks[hdr_.type < kEventTypeCount
                                                     ? std::size_t{hdr_.type}
                                                     : std::size_t{kEventTypeCount}];
    const bool sign = i < 32 && ((mask >> i) & 1u) != 0;
    switch (size) {
      case 1:
        return sign ? std::int64_t{static_cast<std::int8_t>(p[0])} : std::int64_t{p[0]};
      case 2:
        return sign ? std::int64_t{load_le<std::int16_t>(p)}
                    : std::int64_t{load_le<std::uint16_t>(p)};
      case 4:
        return sign ? std::int64_t{load_le<std::int32_t>(p)}
                    : std::int64_t{load_le<std::uint32_t>(p)};
      case 8:
        return load_le<std::int64_t>(p);
      default:
        return std::nullopt;
    }
  }
  std::array<std::uint32_t, kMaxEventParams + 1> offsets_{};  // value offsets + end
};

}  // namespace saker::syscall::scap
