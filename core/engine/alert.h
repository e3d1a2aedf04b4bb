// An alert as the core builds it and hands it to output plugins: Falco's text line and
// JSON object (keys: hostname, output, output_fields, priority, rule, source, tags,
// time), plus the parts for outputs that want them separately.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "output_format.h"

namespace saker::core {

// Falco's priorities, in syslog order (0 = most severe).
enum class Priority : uint32_t {
  kEmergency, kAlert, kCritical, kError, kWarning, kNotice, kInformational, kDebug
};
const char* priority_name(Priority p);  // "Emergency", ..., "Informational", "Debug"
// Case-insensitive; accepts "info" for Informational. Throws std::invalid_argument.
Priority parse_priority(std::string_view s);

struct AlertRecord {
  uint64_t time = 0;
  Priority priority = Priority::kDebug;
  std::string rule;
  std::string source;
  std::string hostname;
  std::string message;  // rendered rule output
  std::string text;     // "<time>: <Priority> <message>"
  std::string json;     // one JSON object, no newline
  std::vector<std::string> tags;
  std::vector<RenderedField> fields;
};

struct AlertFormatSettings {
  bool time_format_iso_8601 = false;
  bool json_include_output_property = true;
  bool json_include_output_fields_property = true;
  bool json_include_tags_property = true;
  bool json_include_message_property = false;
};

// Fills text and json of an alert whose other members are set. The time prefix field
// (evt.time or evt.time.iso8601) is added to `fields` as Falco does.
void finish_alert(const AlertFormatSettings& s, AlertRecord* a);

}  // namespace saker::core
