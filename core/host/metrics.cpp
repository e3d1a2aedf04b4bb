// Metrics registry.
#include "metrics.h"

namespace saker::core {

uint32_t Metrics::add(const std::string& name, MetricKind kind, const std::string& help) {
  std::lock_guard lock(mu_);
  for (uint32_t i = 0; i < metrics_.size(); ++i) {
    if (metrics_[i].name == name) return i;
  }
  Metric& m = metrics_.emplace_back();
  m.name = name;
  m.kind = kind;
  m.help = help;
  count_.store(static_cast<uint32_t>(metrics_.size()), std::memory_order_release);
  return static_cast<uint32_t>(metrics_.size() - 1);
}

void Metrics::set(uint32_t id, uint64_t v) {
  if (id < count_.load(std::memory_order_acquire)) metrics_[id].value.store(v);
}

void Metrics::inc(uint32_t id, uint64_t d) {
  if (id < count_.load(std::memory_order_acquire)) metrics_[id].value.fetch_add(d);
}

uint64_t Metrics::get(uint32_t id) const {
  return id < count_.load(std::memory_order_acquire) ? metrics_[id].value.load() : 0;
}

std::vector<std::pair<std::string, uint64_t>> Metrics::snapshot() const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const auto& m : metrics_) out.emplace_back(m.name, m.value.load());
  return out;
}

std::vector<Metrics::Info> Metrics::describe() const {
  std::lock_guard lock(mu_);
  std::vector<Info> out;
  for (const auto& m : metrics_) out.push_back({m.name, m.help, m.kind, m.value.load()});
  return out;
}

uint64_t Metrics::value_of(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const auto& m : metrics_) {
    if (m.name == name) return m.value.load();
  }
  return 0;
}

}  // namespace saker::core
