// Delivers alerts to output plugins: one bounded queue and one worker thread per
// opened output, so a slow or stuck output never blocks event processing or the
// others. What an output could not take (its queue was full) is counted per output and
// in total, and a monitor thread reports it in a log line at most every few seconds —
// also when the output's worker is stuck inside the plugin, which the monitor reports
// too. Each output may set `minimum_priority` in its params: alerts below it are not
// queued for that output. stop() delivers everything already queued, then flushes and
// closes each output.
//
// Thread-safety: publish() and request_reopen() may be called from any thread;
// request_reopen() is async-signal-safe. add_output() and stop() belong to the owner.
#pragma once

#include <chrono>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "alert.h"
#include "metrics.h"
#include "plugin_instance.h"

namespace saker::core {

class OutputRouter {
 public:
  // `drain_timeout`: how long stop() waits for the outputs to deliver what is queued.
  OutputRouter(size_t queue_capacity, Metrics& metrics,
               std::chrono::milliseconds drain_timeout = std::chrono::seconds(10));
  ~OutputRouter();

  // Open `inst`'s output with `params` (throws PluginError, naming the bad key) and
  // start its worker. Reads the router's own key from the JSON params:
  // "minimum_priority" (a priority name, default: every alert).
  void add_output(PluginInstance& inst, const std::string& params);
  // Queue an alert for every output that wants its priority. Never blocks; thread-safe.
  void publish(std::shared_ptr<const AlertRecord> alert) noexcept;
  // Ask every output to reopen (file reopened, program respawned) before its next
  // alert. Async-signal-safe: only sets flags the workers poll.
  void request_reopen() noexcept;
  // Deliver what is queued, flush, close. Idempotent. An output still busy after the
  // drain timeout (a program that stopped reading, an endpoint that hangs) is given up:
  // its undelivered alerts are counted in a log line and the process exits with status 1
  // at once (the output's thread is inside the plugin and cannot be stopped, so neither
  // it nor its library can be released): SIGTERM always stops saker in bounded time.
  void stop();
  size_t num_outputs() const { return outputs_.size(); }

  // A point-in-time view of one output, for health checks and tests.
  struct Status {
    std::string name;
    size_t queue_depth = 0;
    uint64_t sent = 0, errors = 0, drops = 0;
    uint64_t busy_ms = 0;  // time the worker has been inside the plugin's current call
  };
  std::vector<Status> status() const;

 private:
  struct Output {
    PluginInstance* inst = nullptr;
    saker_output* handle = nullptr;
    std::string name;
    Priority min_priority = Priority::kDebug;
    mutable std::mutex mu;
    std::condition_variable cv;
    std::deque<std::shared_ptr<const AlertRecord>> queue;
    bool stopping = false;
    std::atomic<bool> reopen{false};
    std::atomic<uint64_t> sent{0}, errors{0}, drops{0};
    std::atomic<int64_t> busy_since_ms{0};  // 0: not inside the plugin
    uint64_t drops_logged = 0;              // monitor thread only
    // Failures are logged at most once per monitor period; the rest are summed up by
    // the monitor (an endpoint refusing everything must not flood the log).
    std::atomic<int64_t> last_error_log_ms{0};
    std::atomic<uint64_t> unlogged_errors{0};
    std::mutex error_mu;
    std::string last_error;     // guarded by error_mu
    bool stuck_logged = false;  // monitor thread only
    uint32_t m_depth = 0, m_sent = 0, m_errors = 0, m_drops = 0;
    bool done = false;  // the worker has drained, flushed and returned (guarded by mu)
    std::thread worker;
  };
  void work(Output& o);
  void deliver(Output& o, const AlertRecord& a);
  void monitor();
  void report(Output& o);

  size_t capacity_;
  std::chrono::milliseconds drain_timeout_;
  Metrics& metrics_;
  uint32_t m_drops_, m_sent_, m_errors_;
  std::vector<std::unique_ptr<Output>> outputs_;
  mutable std::mutex monitor_mu_;  // guards outputs_ growth against monitor()/status()
  std::condition_variable monitor_cv_;
  bool monitor_stop_ = false;
  std::thread monitor_;
};

}  // namespace saker::core
