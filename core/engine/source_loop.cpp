// Per-source event loop.
#include "source_loop.h"

#include <chrono>

#include "log.h"

namespace saker::core {

namespace {
int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

SourceLoop::SourceLoop(PluginInstance& source, std::string open_params,
                       std::vector<PluginInstance*> parsers, EventSink* sink,
                       const FieldSlots& slots, Metrics& metrics)
    : source_(source),
      source_name_(source.source_name()),
      open_params_(std::move(open_params)),
      parsers_(std::move(parsers)),
      sink_(sink),
      ctx_(slots, source_name_),
      metrics_(metrics) {
  const std::string p = "source_" + source_name_ + "_";
  m_events_ = metrics_.add(p + "num_evts", MetricKind::kCounter, "Events processed");
  m_parse_errors_ = metrics_.add(p + "num_parse_errors", MetricKind::kCounter,
                                 "Events a parser plugin failed on");
  m_malformed_ = metrics_.add(p + "num_malformed_events", MetricKind::kCounter,
                              "Events a parser plugin found malformed (not evaluated)");
  m_inject_drops_ = metrics_.add(p + "num_inject_drops", MetricKind::kCounter,
                                 "Injected events dropped (queue full)");
  m_batch_errors_ = metrics_.add(p + "num_batch_errors", MetricKind::kCounter,
                                 "Failed next_batch calls");
}

SourceLoop::~SourceLoop() {
  request_stop();
  join();
}

void SourceLoop::start() {
  handle_ = source_.open_source(open_params_);
  last_progress_ms_ = steady_ms();
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void SourceLoop::join() {
  if (thread_.joinable()) thread_.join();
}

int64_t SourceLoop::ms_since_progress() const {
  if (finished_ || !running_) return 0;
  return steady_ms() - last_progress_ms_.load(std::memory_order_relaxed);
}

std::string SourceLoop::state() const {
  if (!finished_) return "running";
  return error().empty() ? "ended" : "failed";
}

std::string SourceLoop::error() const {
  std::lock_guard lock(mu_);
  return error_;
}

bool SourceLoop::inject(const saker_event& evt) {
  std::lock_guard lock(mu_);
  if (!running_ || injected_.size() >= kInjectCapacity) {
    metrics_.inc(m_inject_drops_);
    return false;
  }
  Injected& i = injected_.emplace_back();
  i.data.assign(evt.data, evt.data + evt.data_len);
  i.ev = evt;
  i.ev.size = sizeof(saker_event);
  i.ev.data = i.data.data();
  has_injected_.store(true, std::memory_order_release);
  return true;
}

void SourceLoop::process(const saker_event& in) noexcept {
  saker_event e = in;
  // The source's undelivered events before this one count in the numbering (see
  // saker_event.num).
  next_num_ += 1 + in.num;
  e.num = next_num_;
  ctx_.begin(&e);
  EventContext::set_current(&ctx_);
  const char* src = source_name_.c_str();
  bool malformed = false;
  for (PluginInstance* p : parsers_) {
    const int32_t rc = p->parse(src, &e);
    if (rc == SAKER_OK) continue;
    if (rc == SAKER_MALFORMED) {
      malformed = true;  // the other parsers still see it: their state stays in order
      metrics_.inc(m_malformed_);
    } else {
      metrics_.inc(m_parse_errors_);
    }
  }
  // A malformed event has no trustworthy fields: evaluated, a rule on evt.type alone or a
  // negated condition could fire on garbage.
  if (sink_ && !malformed) sink_->on_event(ctx_);
  EventContext::set_current(nullptr);
  // Only this thread writes the counter: a plain store, no locked read-modify-write.
  num_events_.store(num_events_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

void SourceLoop::drain_injected() noexcept {
  // After every batch: most sources never have injected events, and a std::deque allocates
  // even empty. The final call sees every inject(): it follows running_ = false, set under
  // mu_ after the last inject() released it.
  if (!has_injected_.load(std::memory_order_acquire)) return;
  std::deque<Injected> batch;
  {
    std::lock_guard lock(mu_);
    has_injected_.store(false, std::memory_order_relaxed);
    if (injected_.empty()) return;
    batch.swap(injected_);
  }
  for (auto& i : batch) process(i.ev);
  metrics_.inc(m_events_, batch.size());
}

void SourceLoop::run() noexcept {
  uint32_t consecutive_errors = 0;
  std::string last_why;  // a failure repeated call after call is logged once
  while (!stop_) {
    const saker_event* const* evts = nullptr;
    uint32_t n = 0;
    int32_t rc = source_.next_batch(handle_, 100, &evts, &n);
    if (rc == SAKER_FAILURE) {
      metrics_.inc(m_batch_errors_);
      std::string why = source_.last_error();
      if (why != last_why) log(LogLevel::kError, source_name_, "next_batch failed: " + why);
      last_progress_ms_.store(steady_ms(), std::memory_order_relaxed);  // failing, not stuck
      if (++consecutive_errors >= kMaxConsecutiveErrors) {
        log(LogLevel::kError, source_name_,
            "giving up after " + std::to_string(consecutive_errors) +
                " failed next_batch calls in a row: " + why);
        std::lock_guard lock(mu_);
        error_ = why;
        break;
      }
      last_why = std::move(why);
      continue;
    }
    consecutive_errors = 0;
    last_why.clear();
    for (uint32_t i = 0; i < n; ++i) {
      if (evts[i]) process(*evts[i]);
    }
    metrics_.inc(m_events_, n);
    drain_injected();
    last_progress_ms_.store(steady_ms(), std::memory_order_relaxed);
    if (rc == SAKER_EOF) break;
  }
  {
    std::lock_guard lock(mu_);
    running_ = false;
  }
  drain_injected();
  source_.close_source(handle_);
  handle_ = nullptr;
  finished_ = true;
  if (on_finish_) on_finish_();
}

}  // namespace saker::core
