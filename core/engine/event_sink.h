// Where the rule engine plugs into routing: each source loop hands every event, after
// the parsers have seen it, to the sink. The sink evaluates rules and publishes alerts.
// Called concurrently from several source threads, each with its own EventContext.
#pragma once

#include "event_context.h"

namespace saker::core {

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(EventContext& ctx) noexcept = 0;
};

}  // namespace saker::core
