// Test helper: builds raw scap events (v2 layout) parameter by parameter, so parser tests
// can feed exactly the events they need.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "event_header.h"
#include "event_table.h"

namespace saker::syscall::testing {

class EventBuilder {
 public:
  EventBuilder(std::string_view name, bool enter, std::uint64_t tid, std::uint64_t ts = 1000)
      : tid_(tid), ts_(ts) {
    type_ = *scap::find_event(name, enter);
  }
  EventBuilder& i64(std::int64_t v) { return raw(&v, 8); }
  EventBuilder& u64(std::uint64_t v) { return raw(&v, 8); }
  EventBuilder& u32(std::uint32_t v) { return raw(&v, 4); }
  EventBuilder& u16(std::uint16_t v) { return raw(&v, 2); }
  EventBuilder& u8(std::uint8_t v) { return raw(&v, 1); }
  EventBuilder& str(std::string_view s) {
    std::vector<std::uint8_t> b(s.begin(), s.end());
    b.push_back(0);
    params_.push_back(std::move(b));
    return *this;
  }
  EventBuilder& bytes(std::string_view s) {  // NUL-separated lists: pass "a\0b\0"
    params_.emplace_back(s.begin(), s.end());
    return *this;
  }
  EventBuilder& empty() {
    params_.emplace_back();
    return *this;
  }
  // An IPv4 socktuple (family 2): src ip:port -> dst ip:port (host-order ports).
  EventBuilder& tuple4(std::uint32_t sip, std::uint16_t sport, std::uint32_t dip,
                       std::uint16_t dport) {
    std::vector<std::uint8_t> b(13);
    b[0] = 2;
    std::memcpy(&b[1], &sip, 4);
    std::memcpy(&b[5], &sport, 2);
    std::memcpy(&b[7], &dip, 4);
    std::memcpy(&b[11], &dport, 2);
    params_.push_back(std::move(b));
    return *this;
  }
  std::vector<std::uint8_t> build() const {
    std::size_t len = scap::kEventHeaderSize + 2 * params_.size();
    for (const auto& p : params_) len += p.size();
    std::vector<std::uint8_t> out(len);
    scap::encode_header(out.data(), {ts_, tid_, static_cast<std::uint32_t>(len), type_,
                                     static_cast<std::uint32_t>(params_.size())});
    std::size_t pos = scap::kEventHeaderSize;
    for (const auto& p : params_) {
      scap::store_le(out.data() + pos, static_cast<std::uint16_t>(p.size()));
      pos += 2;
    }
    for (const auto& p : params_) {
      std::memcpy(out.data() + pos, p.data(), p.size());
      pos += p.size();
    }
    return out;
  }
  std::uint16_t type() const { return type_; }

 private:
  EventBuilder& raw(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    params_.emplace_back(b, b + n);
    return *this;
  }
  std::uint64_t tid_, ts_;
  std::uint16_t type_ = 0;
  std::vector<std::vector<std::uint8_t>> params_;
};

// An exit event with its enter event folded in (engine/event_payload.h).
inline std::vector<std::uint8_t> folded(const EventBuilder& exit, const EventBuilder& enter) {
  auto a = exit.build();
  auto b = enter.build();
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

}  // namespace saker::syscall::testing
