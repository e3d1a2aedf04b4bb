// What the web plugin answers, computed from the host's state (status_json): liveness
// (/healthz), readiness per source (/readyz), versions (/versions) and the Prometheus
// text exposition (/metrics). Pure functions of the state: tested without a server.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace saker::web {

struct HealthSettings {
  // A source loop that has not come back from its plugin for this long is stuck.
  uint64_t source_stall_timeout_ms = 10000;
  // An output with queued alerts whose plugin call has lasted this long is not draining.
  uint64_t output_stall_timeout_ms = 30000;
};

struct Answer {
  int status = 200;
  std::string body;
};

// Liveness: 200 {"status":"ok",...} when every source loop is moving (or ended
// normally) and every output is draining; 503 {"status":"unhealthy","reasons":[...]}.
Answer healthz(const nlohmann::json& state, const HealthSettings& s);
// Readiness: 200 when every open source (or only `source` when not empty) is running
// and moving; 503 otherwise (also before any source is open); 404 for an unknown source.
Answer readyz(const nlohmann::json& state, const HealthSettings& s, const std::string& source);
// Falco's /versions keys that falcoctl reads, plus saker's.
Answer versions(const nlohmann::json& state);

// Process figures read from /proc/self, for /metrics.
struct ProcessStats {
  double cpu_seconds = 0;
  uint64_t rss_bytes = 0, vsz_bytes = 0;
  uint64_t start_time_seconds = 0;
};
ProcessStats read_process_stats();

// The Prometheus text format (version 0.0.4) of every metric in `state`, prefixed
// "saker_" (counters end in "_total"), plus per-source/per-output liveness and the
// process figures. Names: plugins/web/README.md.
std::string prometheus_text(const nlohmann::json& state, const ProcessStats& p);

}  // namespace saker::web
