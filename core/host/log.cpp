// Operational logging.
#include "log.h"

#include <syslog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <stdexcept>

namespace saker::core {

namespace {
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<bool> g_stderr{true};
std::atomic<bool> g_syslog{false};
std::atomic<bool> g_iso8601{false};
std::mutex g_mu;
constexpr const char* kNames[] = {"emergency", "alert",  "critical", "error",
                                  "warning",   "notice", "info",     "debug"};
}  // namespace

void log_configure(const LogSettings& s) {
  g_level = static_cast<int>(s.level);
  g_stderr = s.to_stderr;
  g_syslog = s.to_syslog;
  g_iso8601 = s.time_format_iso_8601;
}

bool log_enabled(LogLevel level) { return static_cast<int>(level) <= g_level.load(); }

const char* log_level_name(LogLevel l) { return kNames[static_cast<int>(l)]; }

LogLevel parse_log_level(std::string_view name) {
  if (name == "informational") return LogLevel::kInfo;
  for (int i = 0; i < 8; ++i) {
    if (name == kNames[i]) return static_cast<LogLevel>(i);
  }
  throw std::invalid_argument("unknown log level '" + std::string(name) + "'");
}

void log(LogLevel level, std::string_view component, std::string_view msg) {
  if (!log_enabled(level)) return;
  if (g_syslog) {
    syslog(static_cast<int>(level), "%.*s: %.*s", static_cast<int>(component.size()),
           component.data(), static_cast<int>(msg.size()), msg.data());
  }
  if (!g_stderr) return;
  auto now = std::chrono::system_clock::now();
  time_t t = std::chrono::system_clock::to_time_t(now);
  struct tm tm {};
  char ts[40];
  if (g_iso8601) {
    gmtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%FT%T%z", &tm);
  } else {
    localtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%a %b %e %H:%M:%S %Y", &tm);
  }
  std::lock_guard lock(g_mu);
  fprintf(stderr, "%s: [%s] %.*s: %.*s\n", ts, kNames[static_cast<int>(level)],
          static_cast<int>(component.size()), component.data(), static_cast<int>(msg.size()),
          msg.data());
}

}  // namespace saker::core
