// Alert text and JSON, as Falco writes them.
#include "alert.h"

#include <algorithm>
#include <stdexcept>

#include "core_fields.h"

namespace saker::core {

namespace {
constexpr const char* kPriorityNames[] = {"Emergency", "Alert",  "Critical",      "Error",
                                          "Warning",   "Notice", "Informational", "Debug"};
}

const char* priority_name(Priority p) { return kPriorityNames[static_cast<uint32_t>(p)]; }

Priority parse_priority(std::string_view s) {
  std::string l(s);
  std::transform(l.begin(), l.end(), l.begin(), [](unsigned char c) { return std::tolower(c); });
  if (l == "info") return Priority::kInformational;
  for (uint32_t i = 0; i < 8; ++i) {
    std::string n = kPriorityNames[i];
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (l == n) return static_cast<Priority>(i);
  }
  throw std::invalid_argument("Invalid priority '" + std::string(s) + "'");
}

void finish_alert(const AlertFormatSettings& s, AlertRecord* a) {
  const char* time_field = s.time_format_iso_8601 ? "evt.time.iso8601" : "evt.time";
  std::string prefix = s.time_format_iso_8601 ? CoreFields::time_iso8601_tz(a->time)
                                              : CoreFields::time_hms(a->time);
  a->text = prefix + ": " + priority_name(a->priority) + " " + a->message;
  nlohmann::json j;
  j["hostname"] = a->hostname;
  if (s.json_include_output_property) j["output"] = a->text;
  if (s.json_include_message_property) j["message"] = a->message;
  if (s.json_include_output_fields_property) {
    nlohmann::json f = nlohmann::json::object();
    f[time_field] = a->time;
    for (const auto& rf : a->fields) f[rf.name] = rf.json;
    j["output_fields"] = std::move(f);
  }
  j["priority"] = priority_name(a->priority);
  j["rule"] = a->rule;
  j["source"] = a->source;
  if (s.json_include_tags_property) {
    std::vector<std::string> tags = a->tags;
    std::sort(tags.begin(), tags.end());
    j["tags"] = tags;
  }
  j["time"] = CoreFields::time_iso8601(a->time);
  // Invalid UTF-8 in field values is replaced, never fatal.
  a->json = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace saker::core
