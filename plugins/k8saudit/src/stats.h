// The plugin's counters and its deferred log. Counters are exported as host metrics
// ("<instance>_<name>") and mirrored in atomics for tests. The host API allows log()
// only on the thread of a plugin callback, so HTTP threads queue their lines here
// (bounded: lines beyond kMaxPendingLogs are counted as suppressed) and next_batch
// writes them out. add()/warn() are thread-safe; flush_logs() is for the source thread.
#pragma once

#include <saker/sdk/host.h>

#include <array>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace saker::k8saudit {

enum class Counter {
  kRequestsAccepted,
  kEventsAccepted,
  kBadRequest,           // 400: malformed, too deep, not an event
  kUnauthorized,         // 401
  kNotFound,             // 404
  kBadMethod,            // 405
  kTooLarge,             // 413: body or one event over its bound
  kBadContentType,       // 415
  kBusy,                 // 503: the queue is full
  kHeaderTooLarge,       // 431: request line + headers over max_header_bytes / max_header_count
  kHeaderTimeout,        // connections closed by header_timeout_ms (handshake, request head)
  kBodyTimeout,          // 408: body not received within body_timeout_ms / read_timeout_ms
  kInflateRefused,       // 413: decoded body over max_decompressed_bytes / max_compression_ratio
  kBodyTooLarge,         // 413: body as sent over max_body_bytes (any transfer encoding)
  kNeverFits,            // 413: more events or bytes than the queue can ever hold
  kConnRefused,          // connections closed at accept: max_connections all busy
  kConnEvicted,          // idle connections closed for a new one (max_idle/max_connections)
  kTimestampOutOfRange,  // events whose timestamp was out of range (receive time used)
  kFileEvents,
  kFileMalformed,
  kFileOversized,
  kExtractErrors,  // events the extractor could not parse (should stay 0)
  kCount
};

class Stats {
 public:
  static constexpr size_t kMaxPendingLogs = 64;
  explicit Stats(sdk::Host host);
  void add(Counter c, uint64_t n = 1);
  uint64_t get(Counter c) const { return values_[static_cast<size_t>(c)].load(); }
  void set_queue_gauges(uint64_t events, uint64_t bytes);
  void set_connections_gauge(uint64_t open);
  void warn(std::string line);
  void flush_logs();
  const sdk::Host& host() const { return host_; }

 private:
  sdk::Host host_;
  std::array<std::atomic<uint64_t>, static_cast<size_t>(Counter::kCount)> values_{};
  std::array<uint32_t, static_cast<size_t>(Counter::kCount)> ids_{};
  uint32_t queue_events_id_ = 0, queue_bytes_id_ = 0, connections_id_ = 0;
  std::mutex mu_;
  std::vector<std::string> pending_;
  uint64_t suppressed_ = 0;
};

}  // namespace saker::k8saudit
