// The bounded hand-over between the webhook's HTTP threads (producers) and the source
// thread's next_batch (the consumer). Bounded in events and in bytes: a request whose
// events do not fit as a whole is refused (the HTTP layer answers 503 and the API
// server retries later), so memory stays bounded however far the rules fall behind.
// Thread-safe: any number of producers, one consumer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace saker::k8saudit {

struct QueuedEvent {
  std::string json;  // one audit event's JSON text
  uint64_t ts = 0;   // ns since the epoch
};

class EventQueue {
 public:
  // What an event costs in the byte bound: its text and the bookkeeping around it, so
  // that many tiny events ({} items) are bounded in memory too, not just in bytes.
  static constexpr size_t kEventOverhead = 64;
  static size_t cost(const QueuedEvent& e) { return e.json.size() + kEventOverhead; }
  // Whether `events` events of `bytes` text in all could ever be queued at once (an
  // empty queue): a request for which this is false must not be told to retry.
  bool can_ever_hold(size_t events, size_t bytes) const {
    return events <= max_events_ && bytes + events * kEventOverhead <= max_bytes_;
  }

  EventQueue(size_t max_events, size_t max_bytes)
      : max_events_(max_events), max_bytes_(max_bytes) {}

  // All or nothing: false (and nothing queued) when the events would exceed a bound or
  // the queue is closed.
  bool push_all(std::vector<QueuedEvent>&& events);
  // Move up to `max` events into `out` (cleared first), waiting up to `timeout` for the
  // first one. Returns the number moved.
  size_t pop_batch(std::vector<QueuedEvent>* out, size_t max, std::chrono::milliseconds timeout);
  // Wake the consumer and refuse further pushes.
  void close();

  size_t size() const;
  size_t bytes() const;
  size_t high_water_events() const;
  size_t max_events() const { return max_events_; }
  size_t max_bytes() const { return max_bytes_; }

 private:
  const size_t max_events_, max_bytes_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<QueuedEvent> q_;
  size_t bytes_ = 0, high_water_ = 0;
  bool closed_ = false;
};

}  // namespace saker::k8saudit
