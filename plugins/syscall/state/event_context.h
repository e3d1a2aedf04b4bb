// EventContext: the event being processed and what the state knows about it: the exit
// event, its enter event (folded into the payload by the engine, or remembered per thread),
// the thread and the descriptor it acts on. Filled by State::prepare() and read by the
// parsers and the field extractors. Views borrow the event payload: valid while the host's
// callback for that event runs.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

  // The parameter `name`: from the event itself when it carries it, else from the enter
  // event (Falco's exit events with the enter parameters folded in).
  ArgRef arg(std::string_view name) const noexcept {
    if (auto i = evt.param_index(name); i && evt.has_param(*i)) return {&evt, *i};
    if (enter) {
      if (auto i = enter->param_index(name); i && enter->has_param(*i)) return {&*enter, *i};
    }
    return {};
  }
  std::optional<std::int64_t> arg_int(std::string_view name) const noexcept {
    ArgRef a = arg(name);
    return a ? a.view->param_int(a.index) : std::nullopt;
  }
  std::optional<std::uint64_t> arg_uint(std::string_view name) const noexcept {
    ArgRef a = arg(name);
    return a ? a.view->param_uint(a.index) : std::nullopt;
  }
  std::optional<std::string_view> arg_str(std::string_view name) const noexcept {
    ArgRef a = arg(name);
    return a ? a.view->param_str(a.index) : std::nullopt;
  }
  // The return value (parameter 0 of an exit event when it is res/fd-like).
  std::optional<std::int64_t> res() const noexcept;
};

}  // namespace saker::syscall
