// EventView: validation of one raw event and typed parameter access (see event_view.h).
#include "event_view.h"

#include "event_table.h"

namespace saker::syscall::scap {
namespace {

constexpr std::uint8_t kFamilyUnix = 1;
constexpr std::uint8_t kFamilyInet = 2;
constexpr std::uint8_t kFamilyInet6 = 10;

IpEndpoint read_endpoint(const std::uint8_t* p, std::size_t addr_len) {
  IpEndpoint e;
  std::memcpy(e.addr.data(), p, addr_len);
  e.port = load_le<std::uint16_t>(p + addr_len);
  return e;
}

}  // namespace

std::optional<EventView> EventView::make(std::span<const std::uint8_t> bytes,
                                         std::string* why) noexcept {
  EventView v;
  if (!v.assign(bytes, why)) return std::nullopt;
  return v;
}

bool EventView::assign_slow(std::span<const std::uint8_t> bytes, std::string* why) noexcept {
  auto fail = [this, why](const char* reason) {
    if (why) *why = reason;
    data_ = nullptr;
    hdr_ = {};
    large_ = false;
    info_ = nullptr;
    return false;
  };
  if (bytes.size() < kEventHeaderSize) return fail("event shorter than its header");
  const EventHeader h = decode_header(bytes.data());
  if (h.len < kEventHeaderSize || h.len > bytes.size())
    return fail("event length outside the buffer");
  if (h.nparams > kMaxEventParams) return fail("too many parameters");
  const EventInfo& info = event_info(h.type);
  const bool large = (info.flags & kEfLargePayload) != 0;
  const std::size_t lw = large ? 4 : 2;
  std::size_t off = kEventHeaderSize + lw * h.nparams;
  if (off > h.len) return fail("parameter lengths outside the event");
  const std::uint8_t* lp = bytes.data() + kEventHeaderSize;
  // Two loops so the common one (u16 lengths) has no width test per parameter; the sum
  // cannot overflow (at most 33 lengths of 32 bits in a 64-bit size_t), so one check at the
  // end replaces a check per parameter.
  if (large) {
    for (std::uint32_t i = 0; i < h.nparams; ++i, lp += 4) {
      offsets_[i] = static_cast<std::uint32_t>(off);  // checked below; unused on failure
      off += load_le<std::uint32_t>(lp);
    }
  } else {
    for (std::uint32_t i = 0; i < h.nparams; ++i, lp += 2) {
      offsets_[i] = static_cast<std::uint32_t>(off);  // checked below; unused on failure
      off += load_le<std::uint16_t>(lp);
    }
  }
  if (off > h.len) return fail("parameter value outside the event");
  offsets_[h.nparams] = static_cast<std::uint32_t>(off);
  if (off != h.len) return fail("parameter lengths do not add up to the event length");
  data_ = bytes.data();
  hdr_ = h;
  large_ = large;
  info_ = &info;
  return true;
}

const EventInfo& EventView::info_slow() const noexcept { return event_info(hdr_.type); }
std::string_view EventView::name() const noexcept { return info().name; }

std::optional<std::string_view> EventView::param_str(std::uint32_t i) const noexcept {
  if (i >= hdr_.nparams) return std::nullopt;
  auto p = param(i);
  std::string_view s(reinterpret_cast<const char*>(p.data()), p.size());
  const auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

std::optional<SockAddr> EventView::param_sockaddr(std::uint32_t i) const noexcept {
  auto p = param(i);
  if (p.empty()) return std::nullopt;
  SockAddr a;
  a.family = p[0];
  if (a.family == kFamilyInet && p.size() >= 7) {
    a.ip = read_endpoint(p.data() + 1, 4);
  } else if (a.family == kFamilyInet6 && p.size() >= 19) {
    a.ip = read_endpoint(p.data() + 1, 16);
  } else if (a.family == kFamilyUnix) {
    std::string_view s(reinterpret_cast<const char*>(p.data() + 1), p.size() - 1);
    a.unix_path = s.substr(0, s.find('\0'));
  } else if (a.family == kFamilyInet || a.family == kFamilyInet6) {
    return std::nullopt;  // truncated address
  }
  return a;
}

std::optional<SockTuple> EventView::param_socktuple(std::uint32_t i) const noexcept {
  auto p = param(i);
  if (p.empty()) return std::nullopt;
  SockTuple t;
  t.family = p[0];
  if (t.family == kFamilyInet && p.size() >= 13) {
    t.src = read_endpoint(p.data() + 1, 4);
    t.dst = read_endpoint(p.data() + 7, 4);
  } else if (t.family == kFamilyInet6 && p.size() >= 37) {
    t.src = read_endpoint(p.data() + 1, 16);
    t.dst = read_endpoint(p.data() + 19, 16);
  } else if (t.family == kFamilyUnix && p.size() >= 17) {
    t.unix_src = load_le<std::uint64_t>(p.data() + 1);
    t.unix_dst = load_le<std::uint64_t>(p.data() + 9);
    std::string_view s(reinterpret_cast<const char*>(p.data() + 17), p.size() - 17);
    t.unix_path = s.substr(0, s.find('\0'));
  } else {
    return std::nullopt;
  }
  return t;
}

std::optional<std::uint16_t> EventView::param_fdlist_size(std::uint32_t i) const noexcept {
  auto p = param(i);
  if (p.size() < 2) return std::nullopt;
  const std::uint16_t n = load_le<std::uint16_t>(p.data());
  if (p.size() < 2 + std::size_t{n} * 10) return std::nullopt;
  return n;
}

std::optional<FdListEntry> EventView::param_fdlist_entry(std::uint32_t i,
                                                         std::uint16_t k) const noexcept {
  auto n = param_fdlist_size(i);
  if (!n || k >= *n) return std::nullopt;
  const std::uint8_t* e = param(i).data() + 2 + std::size_t{k} * 10;
  return FdListEntry{load_le<std::int64_t>(e), load_le<std::uint16_t>(e + 8)};
}

std::optional<std::uint32_t> EventView::param_index(std::string_view name) const noexcept {
  auto idx = find_param(hdr_.type, name);
  if (!idx || *idx >= hdr_.nparams) return std::nullopt;
  return idx;
}

}  // namespace saker::syscall::scap
