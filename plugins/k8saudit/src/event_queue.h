// The bounded hand-over between the webhook's HTTP threads (producers) and the source
// thread's next_batch (the consumer). Bounded in events and in bytes: a request whose
// events do not fit as a whole is refused (the HTTP layer answers 503 and the API
// server retries later), so memory stays bounded however far the rules fall behind.
// Thread-safe: any number of producers, one consumer.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saker::k8saudit {

struct QueuedEvent {
  std::string json;  // one audit event's JSON text
  uint64_t ts = 0;   // ns since the epoch
  // The event already parsed by the HTTP thread that received it (the source thread,
  // the pipeline's serial stage, is then spared the parse); null when it was not.
  std::unique_ptr<nlohmann::json> doc;
};

// What a parsed document is reckoned to cost in memory, from its text's size
// (nlohmann's tree: map nodes, keys, 16-byte values, heap strings).
inline size_t parsed_cost(size_t text_bytes) { return 8 * text_bytes; }

class EventQueue {
 public:
  EventQueue(size_t max_events, size_t max_bytes)
      : max_events_(max_events), max_bytes_(max_bytes) {}

  // All or nothing: false (and nothing queued) when the events would exceed a bound or
  // the queue is closed. Parsed documents are kept only while their reckoned cost
  // (parsed_cost) stays within max_bytes too; beyond, they are dropped and the source
  // thread parses those events itself.
  bool push_all(std::vector<QueuedEvent>&& events);
  // Whether documents of `text_bytes` of text would likely be kept (a hint for
  // producers: no lock, may be stale).
  bool room_for_parsed(size_t text_bytes) const {
    return parsed_bytes_.load(std::memory_order_relaxed) + parsed_cost(text_bytes) <= max_bytes_;
  }
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
  std::atomic<size_t> parsed_bytes_{0};  // reckoned cost of the queued documents
  bool closed_ = false;
};

}  // namespace saker::k8saudit
