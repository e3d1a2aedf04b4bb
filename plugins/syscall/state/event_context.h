// EventContext: the event being processed and what the state knows about it: the exit
// event, its enter event (folded into the payload by the engine, or remembered per thread),
// the thread and the descriptor it acts on. Filled by State::prepare() and read by the
// parsers and the field extractors. Views borrow the event payload: valid while the host's
// callback for that event runs.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

#include "event_table.h"
#include "event_view.h"
#include "fd_info.h"
#include "thread_info.h"

namespace saker::syscall {

// A parameter found by name in the exit event or, failing that, in its enter event.
struct ArgRef {
  const scap::EventView* view = nullptr;
  std::uint32_t index = 0;
  explicit operator bool() const { return view != nullptr; }
};

// A memo of parameter lookups by name. Parsers and extractors name the parameters they
// read (string literals, the same few per event type), so (type, name) pairs repeat on
// every event: a direct-mapped cache keyed by the type and the name's address answers
// them without hashing; a hit is confirmed by comparing the stored name, so a reused
// address can never give a wrong answer. Owned by one EventContext (no shared state).
class ParamNameCache {
 public:
  std::optional<std::uint32_t> find(std::uint16_t type, std::string_view name) const noexcept {
    if (name.size() > kMaxName) return scap::find_param(type, name);
    Slot& s = slots_[index(type, name.data())];
    if (s.type == type && s.len == name.size() && same(s.name, name)) {
      return s.index < 0 ? std::nullopt : std::optional<std::uint32_t>(s.index);
    }
    const auto r = scap::find_param(type, name);
    s.type = type;
    s.len = static_cast<std::uint8_t>(name.size());
    std::memcpy(s.name, name.data(), name.size());
    s.index = r ? static_cast<std::int8_t>(*r) : std::int8_t{-1};
    return r;
  }

 private:
  static constexpr std::size_t kSlots = 512;
  static constexpr std::size_t kMaxName = 21;
  struct Slot {
    std::uint16_t type = 0xffff;  // no event type: never matches
    std::uint8_t len = 0;
    std::int8_t index = -1;
    char name[kMaxName];
  };
  static std::size_t index(std::uint16_t type, const char* p) noexcept {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    return ((a >> 3) ^ (a >> 11) ^ (std::size_t{type} * 0x9e37u)) & (kSlots - 1);
  }
  static bool same(const char* a, std::string_view b) noexcept {
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  mutable std::array<Slot, kSlots> slots_{};
};

// A parameter name with its index in every event type, each found on the type's first
// lookup and kept: the parsers' frequent lookups cost a table read instead of a lookup by
// name (~80 instructions through ParamNameCache, exit then enter event). Keys live at
// namespace scope and are shared by every State of the process (their tables are filled
// lazily: nothing to do when the library loads); the entries are relaxed atomics, so two
// States parsing on two threads may fill the same entry (with the same value) safely.
class ParamKey {
 public:
  explicit constexpr ParamKey(const char* name) noexcept : name_(name) {}
  // The index of the parameter in `type`'s layout, or -1.
  std::int8_t index(std::uint16_t type) const noexcept {
    const std::size_t t = type < scap::kEventTypeCount ? std::size_t{type}
                                                       : std::size_t{scap::kEventTypeCount};
    const std::int8_t v = idx_[t].load(std::memory_order_relaxed);
    return v != kUnknown ? static_cast<std::int8_t>(v - kBias) : find(t);
  }
  std::string_view name() const noexcept { return name_; }

 private:
  // Stored as index + kBias (-1, none, is 1), so that the zero a table starts with means
  // "not looked up yet".
  static constexpr std::int8_t kUnknown = 0, kBias = 2;
  std::int8_t find(std::size_t t) const noexcept {
    std::int8_t i = -1;  // types beyond the table: no parameters known
    if (t < scap::kEventTypeCount) {
      const auto k = scap::find_param(static_cast<std::uint16_t>(t), name_);
      if (k && *k < 64) i = static_cast<std::int8_t>(*k);
    }
    idx_[t].store(static_cast<std::int8_t>(i + kBias), std::memory_order_relaxed);
    return i;
  }
  const char* name_;
  mutable std::atomic<std::int8_t> idx_[scap::kEventTypeCount + 1] = {};
};

struct EventContext {
  scap::EventView evt;
  std::optional<scap::EventView> enter;
  std::optional<std::uint16_t> cpu;    // the CPU the event was recorded on, when known
  const std::uint8_t* data = nullptr;  // identity of the payload this context describes
  std::uint64_t data_len = 0;
  ThreadInfo* thread = nullptr;
  std::int64_t fd_num = -1;
  bool has_fd = false;
  const FdInfo* fd = nullptr;
  FdInfo fd_scratch;  // a descriptor that is no longer (or never was) in the table
  // The open flags the evt.is_open_* fields read, once worked out for this event (-1: not
  // yet): a rule asks is_open_read and is_open_write of the same open.
  mutable std::int64_t open_flags_memo = -1;
  ParamNameCache names;

  // The parameter `name`: from the event itself when it carries it, else from the enter
  // event (Falco's exit events with the enter parameters folded in).
  ArgRef arg(std::string_view name) const noexcept {
    if (auto i = param_index(evt, name); i && evt.has_param(*i)) return {&evt, *i};
    if (enter) {
      if (auto i = param_index(*enter, name); i && enter->has_param(*i)) return {&*enter, *i};
    }
    return {};
  }
  // The same, by a key whose indexes were found once.
  ArgRef arg(const ParamKey& key) const noexcept {
    if (const std::int8_t i = key.index(evt.type()); i >= 0 && evt.has_param(i)) {
      return {&evt, static_cast<std::uint32_t>(i)};
    }
    if (enter) {
      if (const std::int8_t j = key.index(enter->type()); j >= 0 && enter->has_param(j)) {
        return {&*enter, static_cast<std::uint32_t>(j)};
      }
    }
    return {};
  }
  // Always inlined: an out-of-line copy (GCC made one) returns the optional through the
  // stack, written with a one-byte store of its flag and read back whole, a
  // store-forwarding stall on every call; inlined, it stays in registers.
  [[gnu::always_inline]] std::optional<std::int64_t> arg_int(const ParamKey& key) const noexcept {
    if (ArgRef a = arg(key)) return a.view->param_int(a.index);
    return std::nullopt;
  }
  [[gnu::always_inline]] std::optional<std::uint64_t> arg_uint(const ParamKey& key) const noexcept {
    if (ArgRef a = arg(key)) return a.view->param_uint(a.index);
    return std::nullopt;
  }
  std::optional<std::string_view> arg_str(const ParamKey& key) const noexcept {
    if (ArgRef a = arg(key)) return a.view->param_str(a.index);
    return std::nullopt;
  }
  // v.param_index(name), memoised.
  std::optional<std::uint32_t> param_index(const scap::EventView& v,
                                           std::string_view name) const noexcept {
    auto i = names.find(v.type(), name);
    if (!i || *i >= v.nparams()) return std::nullopt;
    return i;
  }
  [[gnu::always_inline]] std::optional<std::int64_t> arg_int(std::string_view name) const noexcept {
    if (ArgRef a = arg(name)) return a.view->param_int(a.index);
    return std::nullopt;
  }
  [[gnu::always_inline]] std::optional<std::uint64_t> arg_uint(std::string_view name) const noexcept {
    if (ArgRef a = arg(name)) return a.view->param_uint(a.index);
    return std::nullopt;
  }
  std::optional<std::string_view> arg_str(std::string_view name) const noexcept {
    if (ArgRef a = arg(name)) return a.view->param_str(a.index);
    return std::nullopt;
  }
  // The return value (parameter 0 of an exit event when it is res/fd-like).
  std::optional<std::int64_t> res() const noexcept {
    return result_first ? evt.param_int(0) : std::nullopt;
  }
  // Whether parameter 0 of evt's type is its result (set with evt by State::prepare).
  bool result_first = false;
};

}  // namespace saker::syscall
