// Alert delivery to output plugins.
#include "output_router.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "log.h"

namespace saker::core {

namespace {

// How often the monitor looks at the outputs, and how long a plugin call may take
// before the monitor says the output is stuck.
constexpr auto kMonitorPeriod = std::chrono::seconds(2);
constexpr int64_t kMonitorPeriodMs = 2000;
constexpr int64_t kStuckAfterMs = 5000;
// How long a worker sleeps before it looks at the reopen flag again.
constexpr auto kReopenPoll = std::chrono::milliseconds(100);
// Alerts a worker takes from its queue under one lock.
constexpr size_t kBatch = 256;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The router's own key in an output's params (the rest belongs to the plugin).
Priority minimum_priority_of(const std::string& name, const std::string& params) {
  if (params.empty() || params.front() != '{') return Priority::kDebug;
  nlohmann::json p = nlohmann::json::parse(params, nullptr, false);
  if (p.is_discarded() || !p.is_object() || !p.contains("minimum_priority")) {
    return Priority::kDebug;
  }
  const auto& v = p["minimum_priority"];
  try {
    if (!v.is_string()) throw std::invalid_argument("not a string");
    return parse_priority(v.get<std::string>());
  } catch (const std::exception&) {
    throw PluginError(name +
                      ".minimum_priority: expected a priority name (emergency, alert, "
                      "critical, error, warning, notice, informational, debug), got " +
                      v.dump());
  }
}

}  // namespace

OutputRouter::OutputRouter(size_t capacity, Metrics& metrics,
                           std::chrono::milliseconds drain_timeout)
    : capacity_(capacity ? capacity : 1), drain_timeout_(drain_timeout), metrics_(metrics) {
  m_drops_ = metrics_.add("outputs_queue_num_drops", MetricKind::kCounter,
                          "Alerts dropped because an output queue was full");
  m_sent_ = metrics_.add("outputs_num_sent", MetricKind::kCounter, "Alerts delivered to outputs");
  m_errors_ = metrics_.add("outputs_num_errors", MetricKind::kCounter,
                           "Alerts an output plugin failed to deliver");
}

OutputRouter::~OutputRouter() { stop(); }

void OutputRouter::add_output(PluginInstance& inst, const std::string& params) {
  auto o = std::make_unique<Output>();
  o->inst = &inst;
  o->name = inst.name();
  o->min_priority = minimum_priority_of(o->name, params);
  o->handle = inst.open_output(params);
  const std::string label = "{output=\"" + o->name + "\"}";
  o->m_depth = metrics_.add("output_queue_depth" + label, MetricKind::kGauge,
                            "Alerts waiting in the output's queue");
  o->m_sent =
      metrics_.add("output_num_sent" + label, MetricKind::kCounter, "Alerts the output took");
  o->m_errors = metrics_.add("output_num_errors" + label, MetricKind::kCounter,
                             "Alerts the output plugin failed to deliver");
  o->m_drops = metrics_.add("output_queue_num_drops" + label, MetricKind::kCounter,
                            "Alerts dropped because the output's queue was full");
  Output* raw = o.get();
  o->worker = std::thread([this, raw] { work(*raw); });
  {
    std::lock_guard lock(monitor_mu_);  // the monitor walks outputs_
    outputs_.push_back(std::move(o));
  }
  if (!monitor_.joinable()) monitor_ = std::thread([this] { monitor(); });
}

void OutputRouter::publish(std::shared_ptr<const AlertRecord> alert) noexcept {
  for (auto& o : outputs_) {
    if (alert->priority > o->min_priority) continue;
    size_t depth;
    {
      std::lock_guard lock(o->mu);
      if (o->stopping) continue;
      if (o->queue.size() >= capacity_) {
        o->drops.fetch_add(1, std::memory_order_relaxed);
        metrics_.inc(o->m_drops);
        metrics_.inc(m_drops_);
        continue;
      }
      o->queue.push_back(alert);
      depth = o->queue.size();
    }
    metrics_.set(o->m_depth, depth);
    if (depth == 1) o->cv.notify_one();  // the worker only sleeps on an empty queue
  }
}

void OutputRouter::request_reopen() noexcept {
  for (auto& o : outputs_) o->reopen.store(true, std::memory_order_relaxed);
}

void OutputRouter::deliver(Output& o, const AlertRecord& a) {
  std::vector<const char*> tags, names, values;
  for (const auto& t : a.tags) tags.push_back(t.c_str());
  for (const auto& f : a.fields) {
    names.push_back(f.name.c_str());
    values.push_back(f.text.c_str());
  }
  saker_alert c{};
  c.size = sizeof(c);
  c.priority = static_cast<uint32_t>(a.priority);
  c.time = a.time;
  c.rule = a.rule.c_str();
  c.source = a.source.c_str();
  c.hostname = a.hostname.c_str();
  c.priority_name = priority_name(a.priority);
  c.message = a.message.c_str();
  c.text = a.text.c_str();
  c.json = a.json.c_str();
  c.tags = tags.data();
  c.num_tags = static_cast<uint32_t>(tags.size());
  c.num_fields = static_cast<uint32_t>(names.size());
  c.field_names = names.data();
  c.field_values = values.data();
  o.busy_since_ms.store(now_ms(), std::memory_order_relaxed);
  const int32_t rc = o.inst->emit(o.handle, &c);
  o.busy_since_ms.store(0, std::memory_order_relaxed);
  if (rc == SAKER_OK) {
    o.sent.fetch_add(1, std::memory_order_relaxed);
    metrics_.inc(o.m_sent);
    metrics_.inc(m_sent_);
  } else {
    o.errors.fetch_add(1, std::memory_order_relaxed);
    metrics_.inc(o.m_errors);
    metrics_.inc(m_errors_);
    const std::string why = o.inst->last_error();
    const int64_t now = now_ms();
    if (now - o.last_error_log_ms.load(std::memory_order_relaxed) >= kMonitorPeriodMs) {
      o.last_error_log_ms.store(now, std::memory_order_relaxed);
      log(LogLevel::kWarning, o.name, "output failed: " + why);
    } else {
      o.unlogged_errors.fetch_add(1, std::memory_order_relaxed);
      std::lock_guard lock(o.error_mu);
      o.last_error = why;
    }
  }
}

void OutputRouter::work(Output& o) {
  std::vector<std::shared_ptr<const AlertRecord>> batch;
  batch.reserve(kBatch);
  for (;;) {
    size_t depth;
    {
      std::unique_lock lock(o.mu);
      while (!o.stopping && o.queue.empty() && !o.reopen.load(std::memory_order_relaxed)) {
        o.cv.wait_for(lock, kReopenPoll);
      }
      if (o.stopping && o.queue.empty()) break;  // stopping and drained
      while (!o.queue.empty() && batch.size() < kBatch) {
        batch.push_back(std::move(o.queue.front()));
        o.queue.pop_front();
      }
      depth = o.queue.size();
    }
    metrics_.set(o.m_depth, depth);
    if (o.reopen.exchange(false, std::memory_order_relaxed)) {
      o.busy_since_ms.store(now_ms(), std::memory_order_relaxed);
      int32_t rc = o.inst->reopen_output(o.handle);
      o.busy_since_ms.store(0, std::memory_order_relaxed);
      if (rc == SAKER_FAILURE) {
        log(LogLevel::kWarning, o.name, "reopen failed: " + o.inst->last_error());
      } else if (rc == SAKER_OK) {
        log(LogLevel::kInfo, o.name, "reopened");
      }
    }
    for (const auto& a : batch) deliver(o, *a);
    batch.clear();
  }
  o.inst->flush(o.handle);
  {
    std::lock_guard lock(o.mu);
    o.done = true;
  }
  o.cv.notify_all();
}

void OutputRouter::report(Output& o) {
  const uint64_t drops = o.drops.load(std::memory_order_relaxed);
  if (drops != o.drops_logged) {
    log(LogLevel::kWarning, o.name,
        std::to_string(drops - o.drops_logged) + " alert(s) dropped: the output's queue (" +
            std::to_string(capacity_) + ") was full; " + std::to_string(drops) +
            " dropped since start (metric output_queue_num_drops{output=\"" + o.name + "\"})");
    o.drops_logged = drops;
  }
  if (const uint64_t n = o.unlogged_errors.exchange(0, std::memory_order_relaxed)) {
    std::string why;
    {
      std::lock_guard lock(o.error_mu);
      why = o.last_error;
    }
    log(LogLevel::kWarning, o.name,
        std::to_string(n) + " more alert(s) failed (metric output_num_errors{output=\"" + o.name +
            "\"}); the last: " + why);
  }
  const int64_t since = o.busy_since_ms.load(std::memory_order_relaxed);
  const bool stuck = since != 0 && now_ms() - since > kStuckAfterMs;
  if (stuck && !o.stuck_logged) {
    log(LogLevel::kWarning, o.name,
        "output has been busy with one alert for " + std::to_string((now_ms() - since) / 1000) +
            " s; its queue holds the alerts meanwhile, other outputs are not affected");
  } else if (!stuck && o.stuck_logged) {
    log(LogLevel::kInfo, o.name, "output is moving again");
  }
  o.stuck_logged = stuck;
}

void OutputRouter::monitor() {
  std::unique_lock lock(monitor_mu_);
  while (!monitor_stop_) {
    monitor_cv_.wait_for(lock, kMonitorPeriod);
    for (auto& o : outputs_) report(*o);
  }
}

std::vector<OutputRouter::Status> OutputRouter::status() const {
  std::vector<Status> out;
  std::lock_guard guard(monitor_mu_);  // outputs_ may grow meanwhile (another thread)
  for (const auto& o : outputs_) {
    Status s;
    s.name = o->name;
    {
      std::lock_guard lock(o->mu);
      s.queue_depth = o->queue.size();
    }
    s.sent = o->sent.load();
    s.errors = o->errors.load();
    s.drops = o->drops.load();
    const int64_t since = o->busy_since_ms.load();
    s.busy_ms = since ? static_cast<uint64_t>(now_ms() - since) : 0;
    out.push_back(std::move(s));
  }
  return out;
}

void OutputRouter::stop() {
  for (auto& o : outputs_) {
    {
      std::lock_guard lock(o->mu);
      o->stopping = true;
    }
    o->cv.notify_all();
  }
  // Every output drains at the same time; one deadline for all.
  const auto deadline = std::chrono::steady_clock::now() + drain_timeout_;
  std::string stuck;
  size_t abandoned = 0;
  for (auto& o : outputs_) {
    if (!o->worker.joinable()) continue;
    std::unique_lock lock(o->mu);
    if (!o->cv.wait_until(lock, deadline, [&] { return o->done; })) {
      stuck += (stuck.empty() ? "" : ", ") + o->name;
      abandoned += o->queue.size() + 1;  // the queue and the alert in the plugin's hands
    }
  }
  if (!stuck.empty()) {
    for (auto& o : outputs_) {
      bool done;
      {
        std::lock_guard lock(o->mu);
        done = o->done;
      }
      if (done && o->worker.joinable()) {
        o->worker.join();
        if (o->handle) o->inst->close_output(o->handle);
        o->handle = nullptr;
      }
    }
    log(LogLevel::kError, "outputs",
        "still busy " + std::to_string(drain_timeout_.count()) + " ms after stop: " + stuck +
            "; about " + std::to_string(abandoned) +
            " alert(s) not delivered; exiting without waiting for them");
    std::fflush(nullptr);
    std::_Exit(1);
  }
  for (auto& o : outputs_) {
    if (o->worker.joinable()) o->worker.join();
    if (o->handle) o->inst->close_output(o->handle);
    o->handle = nullptr;
  }
  {
    std::lock_guard lock(monitor_mu_);
    monitor_stop_ = true;
  }
  monitor_cv_.notify_all();
  if (monitor_.joinable()) {
    monitor_.join();
    for (auto& o : outputs_) report(*o);  // the last drops, after the monitor has stopped
  }
}

}  // namespace saker::core
