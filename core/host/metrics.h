// Named counters and gauges, registered by the core and by plugins (through the host
// API), read by the metrics/health plugins and --support. Registration locks; updates
// are lock-free atomics on storage that never moves.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace saker::core {

enum class MetricKind { kCounter, kGauge };

struct Metric {
  std::string name;
  std::string help;
  MetricKind kind = MetricKind::kCounter;
  std::atomic<uint64_t> value{0};
};

class Metrics {
 public:
  // Register (or find) a metric; returns a stable id.
  uint32_t add(const std::string& name, MetricKind kind, const std::string& help);
  void set(uint32_t id, uint64_t v);
  void inc(uint32_t id, uint64_t delta = 1);
  uint64_t get(uint32_t id) const;
  // A copy of every metric (name, kind, help, value), in registration order. Names may
  // carry Prometheus labels: `rules_matches_total{rule_name="x"}`.
  struct Info {
    std::string name, help;
    MetricKind kind;
    uint64_t value;
  };
  std::vector<Info> describe() const;
  // A copy of (name, value) pairs, in registration order.
  std::vector<std::pair<std::string, uint64_t>> snapshot() const;
  // Value of a metric by name (0 if absent); for tests and --dry-run summaries.
  uint64_t value_of(const std::string& name) const;

 private:
  mutable std::mutex mu_;
  std::deque<Metric> metrics_;  // deque: addresses stable under growth
  std::atomic<uint32_t> count_{0};
};

}  // namespace saker::core
