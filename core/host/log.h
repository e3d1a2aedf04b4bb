// The core's operational log (not alerts): leveled lines on stderr, optionally syslog.
// Thread-safe. Configured once at start-up from log_level / log_stderr / log_syslog.
#pragma once

#include <string>
#include <string_view>

namespace saker::core {

enum class LogLevel { kEmergency, kAlert, kCritical, kError, kWarning, kNotice, kInfo, kDebug };

struct LogSettings {
  LogLevel level = LogLevel::kInfo;
  bool to_stderr = true;
  bool to_syslog = false;
  // Falco's time_format_iso_8601: stderr lines start "2026-12-06T14:37:44+0000: " (UTC)
  // instead of the local asctime() form "Sun Dec  6 14:37:44 2026: ".
  bool time_format_iso_8601 = false;
};

void log_configure(const LogSettings& s);
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view component, std::string_view msg);
// Parse "warning", "info", ... (Falco's names); throws std::invalid_argument.
LogLevel parse_log_level(std::string_view name);
const char* log_level_name(LogLevel l);

}  // namespace saker::core
