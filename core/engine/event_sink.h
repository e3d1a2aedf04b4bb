// Where the rule engine plugs into routing: each source loop hands every event, after
// the parsers have seen it, to the sink. The sink evaluates rules and publishes alerts.
// Called concurrently from several source threads, each with its own EventContext.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "event_context.h"

namespace saker::core {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(EventContext& ctx) noexcept = 0;
  // The event type codes of `source` this sink can act on (nullopt: every type). The
  // engine passes them to the source before opening it.
  virtual std::optional<std::vector<uint16_t>> interesting_types(const std::string& source) const {
    (void)source;
    return std::nullopt;
  }
};

}  // namespace saker::core
