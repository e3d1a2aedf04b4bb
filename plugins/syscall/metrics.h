// StateMetrics: publishes the state tables' counters and sizes as plugin metrics through
// the SDK Host ("syscall_threads_added", ...). Counters are published as deltas since the
// last publish, sizes as gauges. Called from the parsing thread only.
#pragma once

#include <saker/sdk/host.h>

#include <array>

#include "state/state.h"

namespace saker::syscall {

class StateMetrics {
 public:
  explicit StateMetrics(const sdk::Host& host);
  void publish(const State& state);

 private:
  static constexpr std::size_t kCounters = 10;
  sdk::Host host_;
  std::array<std::uint32_t, kCounters> counter_ids_{};
  std::array<std::uint64_t, kCounters> published_{};
  std::uint32_t threads_gauge_ = 0, users_gauge_ = 0;
};

}  // namespace saker::syscall
