// One event loop per open source, on its own thread: pull batches from the source
// plugin, number each event, hand it to the parsers (in plugin load order), then to
// the event sink (rules). Events injected by plugins (host API) are queued here and
// processed between batches, in arrival order.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "event_context.h"
#include "event_sink.h"
#include "metrics.h"
#include "plugin_instance.h"

namespace saker::core {

class SourceLoop {
 public:
  static constexpr size_t kInjectCapacity = 65536;
  // The source ends as failed after this many failed next_batch calls in a row.
  static constexpr uint32_t kMaxConsecutiveErrors = 100;

  SourceLoop(PluginInstance& source, std::string open_params,
             std::vector<PluginInstance*> parsers, EventSink* sink, const FieldSlots& slots,
             Metrics& metrics);
  ~SourceLoop();

  const std::string& source_name() const { return source_name_; }
  PluginInstance& plugin() { return source_; }
  // Open the source now (throws PluginError), then start the thread.
  void start();
  void request_stop() { stop_ = true; }
  void join();
  bool finished() const { return finished_; }
  // Called on the loop's thread right after finished() turns true (set before start()).
  void on_finish(std::function<void()> f) { on_finish_ = std::move(f); }
  // Thread-safe; false when the queue is full or the loop is not running.
  bool inject(const saker_event& evt);

  uint64_t num_events() const { return num_events_; }
  // Liveness: milliseconds since the loop last came back from the source with a batch
  // (or a timeout) and processed it; a loop stuck in a plugin call grows this. 0 once
  // the loop has ended. Thread-safe.
  int64_t ms_since_progress() const;
  // "running", "ended" (end of stream or stop) or "failed" (see error()). Thread-safe.
  std::string state() const;
  std::string error() const;  // why the loop ended abnormally ("" if it did not)

 private:
  struct Injected {
    saker_event ev;
    std::vector<uint8_t> data;
  };
  void run() noexcept;
  void process(const saker_event& e) noexcept;
  void drain_injected() noexcept;

  PluginInstance& source_;
  std::string source_name_;
  std::string open_params_;
  std::vector<PluginInstance*> parsers_;
  EventSink* sink_;
  EventContext ctx_;
  Metrics& metrics_;
  uint32_t m_events_, m_parse_errors_, m_malformed_, m_inject_drops_, m_batch_errors_;
  saker_source* handle_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> finished_{false};
  std::function<void()> on_finish_;
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> num_events_{0};
  std::atomic<int64_t> last_progress_ms_{0};  // steady clock
  uint64_t next_num_ = 0;
  mutable std::mutex mu_;
  std::deque<Injected> injected_;
  std::atomic<bool> has_injected_{false};  // injected_ may hold events (set under mu_)
  std::string error_;
};

}  // namespace saker::core
