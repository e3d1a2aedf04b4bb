// Delivers alerts to output plugins: one bounded queue and one worker thread per
// opened output, so a slow output never blocks event processing or the others. When a
// queue is full the alert is dropped for that output and counted. stop() delivers
// everything already queued, then flushes and closes each output.
#pragma once

#include <condition_variable>
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
  OutputRouter(size_t queue_capacity, Metrics& metrics);
  ~OutputRouter();

  // Open `inst`'s output with `params` (throws PluginError) and start its worker.
  void add_output(PluginInstance& inst, const std::string& params);
  // Queue an alert for every output. Never blocks; thread-safe.
  void publish(std::shared_ptr<const AlertRecord> alert) noexcept;
  // Deliver what is queued, flush, close. Idempotent.
  void stop();
  size_t num_outputs() const { return outputs_.size(); }

 private:
  struct Output {
    PluginInstance* inst = nullptr;
    saker_output* handle = nullptr;
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::shared_ptr<const AlertRecord>> queue;
    bool stopping = false;
    std::thread worker;
  };
  void work(Output& o);
  void deliver(Output& o, const AlertRecord& a);

  size_t capacity_;
  Metrics& metrics_;
  uint32_t m_drops_, m_sent_, m_errors_;
  std::vector<std::unique_ptr<Output>> outputs_;
};

}  // namespace saker::core
