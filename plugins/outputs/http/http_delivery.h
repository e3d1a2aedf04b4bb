// Delivery of alert bodies to one HTTP endpoint, in order, none lost while it is down.
//
// send() (called by the core's worker for this output, one alert at a time) posts the
// body directly while nothing is spooled. When a post fails in a way a retry can fix
// (no connection, timeout, 408/429/5xx), the body goes to the on-disk spool, and so
// does every later body until the spool is empty again: order is kept. A retry thread
// sends the spool's oldest record, with exponential backoff between failed attempts
// (retry_backoff_initial_ms doubling up to retry_backoff_max_ms), and removes it once
// the endpoint took it. A spool left by a previous run is delivered first.
// A body the endpoint rejects (other 4xx) is not retried: send() throws (the core
// counts and logs it), the retry thread counts and logs it. A full spool makes send()
// throw (counted, logged by the core): never a silent loss.
//
// Thread-safety: send() from one thread at a time; the retry thread is internal.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "http_client.h"
#include "spool.h"

namespace saker::outputs::http {

// What the delivery reports to its plugin: log lines and counters.
struct DeliveryHooks {
  std::function<void(bool warning, const std::string&)> log;
  std::function<void(const char* counter, uint64_t delta)> count;  // "num_retries", ...
  std::function<void(uint64_t records, uint64_t bytes)> spool_gauge;
};

class HttpDelivery {
 public:
  HttpDelivery(HttpSettings settings, DeliveryHooks hooks);  // throws std::runtime_error
  ~HttpDelivery();  // stops the retry thread; what is spooled stays on disk

  void send(const std::string& body);  // throws std::runtime_error
  uint64_t spooled() const;

 private:
  void spool_locked(const std::string& body);
  void retry_loop();

  HttpSettings s_;
  DeliveryHooks hooks_;
  HttpClient direct_;  // the worker's connection
  HttpClient retry_;   // the retry thread's connection
  mutable std::mutex mu_;
  std::condition_variable cv_;
  Spool spool_;
  bool stopping_ = false;
  bool outage_logged_ = false;
  std::thread thread_;
};

}  // namespace saker::outputs::http
