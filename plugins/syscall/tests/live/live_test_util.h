// Helpers for the live driver tests (root): a driver filtered on the test's own process,
// and waiting for the events a test triggered.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/event_payload.h"
#include "engine/live_driver.h"
#include "engine/x86_64_syscalls.h"
#include "event_view.h"

namespace saker::syscall::testing {

inline std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n && i < 128; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
    if (i % 4 == 3) s += ' ';
  }
  return s;
}

inline bool running_as_root() { return geteuid() == 0; }

// One event copied out of the ring (views into the ring do not outlive the next read).
struct CapturedLive {
  std::vector<std::uint8_t> bytes;
  std::optional<std::uint16_t> cpu;
  scap::EventView view() const { return *scap::EventView::make(bytes); }
};

class LiveHarness {
 public:
  explicit LiveHarness(const std::vector<std::string>& syscalls, LiveDriverOptions opts = {}) {
    opts.target_tgid = static_cast<std::uint32_t>(getpid());
    opts.trace_self = true;
    if (opts.buffer_bytes == (8u << 20)) opts.buffer_bytes = 1u << 20;
    driver_ = std::make_unique<LiveDriver>(opts);
    std::vector<std::uint32_t> nrs;
    for (const auto& s : syscalls) nrs.push_back(*x86_64_syscall_nr(s));
    driver_->set_syscalls(nrs);
  }

  LiveDriver& driver() { return *driver_; }

  // Reads events until `pred` accepts one (returned) or `ms` pass.
  std::optional<CapturedLive> wait_for(const std::function<bool(const scap::EventView&)>& pred,
                                       int ms = 2000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::vector<RingRecord> recs;
    while (std::chrono::steady_clock::now() < deadline) {
      recs.clear();
      driver_->next(recs, 256, 50);
      for (const auto& r : recs) {
        auto parts = split_payload({r.data, r.size});
        std::string why;
        auto v = scap::EventView::make(parts.event, &why);
        REQUIRE_MESSAGE(v.has_value(), "the driver wrote an invalid event: " << why << " (type "
                                           << scap::load_le<std::uint16_t>(r.data + 20) << ", "
                                           << r.size << " bytes) " << hex(r.data, r.size));
        seen_.push_back(std::string(v->name()));
        if (pred(*v)) {
          return CapturedLive{std::vector<std::uint8_t>(parts.event.begin(), parts.event.end()),
                              parts.cpu};
        }
      }
    }
    return std::nullopt;
  }

  // Event names seen so far (for failure messages).
  std::string seen() const {
    std::string s;
    for (const auto& n : seen_) s += n + " ";
    return s;
  }

 private:
  std::unique_ptr<LiveDriver> driver_;
  std::vector<std::string> seen_;
};

// Convenience accessors by parameter name.
inline std::optional<std::int64_t> pint(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_int(*i) : std::nullopt;
}
inline std::optional<std::uint64_t> puint(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_uint(*i) : std::nullopt;
}
inline std::string pstr(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  auto s = i ? v.param_str(*i) : std::nullopt;
  return s ? std::string(*s) : std::string("<absent>");
}

}  // namespace saker::syscall::testing
