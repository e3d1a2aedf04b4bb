// Counters and the deferred log; see stats.h.
#include "stats.h"

namespace saker::k8saudit {
namespace {

struct CounterInfo {
  const char* name;
  const char* help;
};

constexpr CounterInfo kInfo[] = {
    {"webhook_requests_accepted", "Webhook requests whose events were queued"},
    {"webhook_events_accepted", "Audit events received through the webhook"},
    {"webhook_rejected_bad_request", "Requests refused with 400 (malformed or nested too deeply)"},
    {"webhook_rejected_unauthorized", "Requests refused with 401 (missing or wrong bearer token)"},
    {"webhook_rejected_not_found", "Requests for another path (404)"},
    {"webhook_rejected_method", "Requests refused with 405 (not POST)"},
    {"webhook_rejected_too_large", "Requests refused with 413 (body or event too large)"},
    {"webhook_rejected_content_type", "Requests refused with 415 (not application/json)"},
    {"webhook_rejected_busy", "Requests refused with 503 because the event queue was full"},
    {"webhook_rejected_header_too_large",
     "Requests refused with 431 (over max_header_bytes or max_header_count)"},
    {"webhook_header_timeouts", "Connections closed by header_timeout_ms (handshake or head)"},
    {"webhook_body_timeouts", "Requests refused with 408 (body_timeout_ms or read_timeout_ms)"},
    {"webhook_rejected_inflate",
     "Requests refused with 413 (over max_decompressed_bytes or max_compression_ratio)"},
    {"webhook_rejected_body_too_large", "Requests refused with 413 (over max_body_bytes)"},
    {"webhook_rejected_never_fits",
     "Requests refused with 413 (more events or bytes than the queue can ever hold)"},
    {"webhook_connections_refused", "Connections closed at once: max_connections all busy"},
    {"webhook_connections_evicted",
     "Idle connections closed to make room (max_idle_connections, max_connections)"},
    {"timestamp_out_of_range", "Events whose timestamp was out of range (receive time used)"},
    {"file_events", "Audit events read from files"},
    {"file_malformed", "Malformed documents skipped in files"},
    {"file_oversized", "Documents or events over their size bound skipped in files"},
    {"extract_errors", "Events the field extractor could not parse"},
};
static_assert(std::size(kInfo) == static_cast<size_t>(Counter::kCount));

}  // namespace

Stats::Stats(sdk::Host host) : host_(host) {
  for (size_t i = 0; i < ids_.size(); ++i)
    ids_[i] = host_.register_counter(kInfo[i].name, kInfo[i].help);
  queue_events_id_ = host_.register_gauge("queue_events", "Events waiting in the webhook queue");
  queue_bytes_id_ = host_.register_gauge("queue_bytes", "Bytes waiting in the webhook queue");
  connections_id_ = host_.register_gauge("webhook_connections", "Open webhook connections");
}

void Stats::add(Counter c, uint64_t n) {
  size_t i = static_cast<size_t>(c);
  values_[i] += n;
  host_.metric_add(ids_[i], n);
}

void Stats::set_queue_gauges(uint64_t events, uint64_t bytes) {
  host_.metric_set(queue_events_id_, events);
  host_.metric_set(queue_bytes_id_, bytes);
}

void Stats::set_connections_gauge(uint64_t open) { host_.metric_set(connections_id_, open); }

void Stats::warn(std::string line) {
  std::lock_guard lock(mu_);
  if (pending_.size() < kMaxPendingLogs) {
    pending_.push_back(std::move(line));
  } else {
    ++suppressed_;
  }
}

void Stats::flush_logs() {
  std::vector<std::string> lines;
  uint64_t suppressed = 0;
  {
    std::lock_guard lock(mu_);
    if (pending_.empty() && suppressed_ == 0) return;
    lines.swap(pending_);
    suppressed = suppressed_;
    suppressed_ = 0;
  }
  for (const auto& l : lines) host_.log(sdk::LogLevel::kWarning, l);
  if (suppressed) {
    host_.log(sdk::LogLevel::kWarning,
              std::to_string(suppressed) + " more rejected requests not logged (see metrics)");
  }
}

}  // namespace saker::k8saudit
