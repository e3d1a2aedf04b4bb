// The data model of collected rules-file items: lists, macros, rules, exceptions and
// version requirements, as the collector stores them (RULE-LANGUAGE.md §1.3–§1.8).
//
// `index` is the item counter at the item's first definition (it fixes the evaluation and
// substitution order); `visibility` is the counter at its latest definition or append
// (a macro sees the macros whose index is smaller than its visibility). Items are plain
// values, copied freely.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace saker::rules {

struct Version {
  uint32_t major = 0;
  uint32_t minor = 0;
  uint32_t patch = 0;
  auto operator<=>(const Version&) const = default;
  std::string to_string() const;
  // Falco's sscanf("%u.%u.%u") prefix parse; nullopt if the three numbers are not there.
  static std::optional<Version> parse(const std::string& text);
  // Same major and not older than `required`.
  bool compatible_with(const Version& required) const;
};

enum class Priority { kEmergency, kAlert, kCritical, kError, kWarning, kNotice, kInfo, kDebug };
// Case-insensitive; "info" and "informational" are both accepted.
std::optional<Priority> parse_priority(const std::string& text);
std::string_view priority_name(Priority p);  // "Emergency", ..., "Informational", "Debug"

// An exception's fields, comps or a value: a scalar string or a (nested) list.
struct Entry {
  bool is_list = false;
  std::string item;
  std::vector<Entry> items;
};

struct ExceptionInfo {
  Context ctx;
  std::string name;
  std::optional<Entry> fields;
  std::optional<Entry> comps;
  std::vector<Entry> values;
  bool has_values = false;
};

struct ListInfo {
  Context ctx;
  uint32_t index = 0;
  uint32_t visibility = 0;
  std::string name;
  std::vector<std::string> items;
};

struct MacroInfo {
  Context ctx;
  Context cond_ctx;
  uint32_t index = 0;
  uint32_t visibility = 0;
  std::string name;
  std::string cond;
};

struct RuleInfo {
  Context ctx;
  Context cond_ctx;
  Context output_ctx;
  uint32_t index = 0;
  uint32_t visibility = 0;
  bool unknown_source = false;
  std::string name;
  std::string cond;
  std::string output;
  std::string desc;
  std::string source = "syscall";
  Priority priority = Priority::kDebug;
  std::set<std::string> tags;
  std::vector<ExceptionInfo> exceptions;
  bool enabled = true;
  bool capture = false;
  uint32_t capture_duration = 0;
  bool warn_evttypes = true;
  bool skip_if_unknown_filter = false;
};

struct PluginRequirement {
  std::string name;
  std::string version;
};

// One required_plugin_versions entry: `alternatives[0]` is the entry itself.
struct PluginVersionInfo {
  Context ctx;
  std::vector<PluginRequirement> alternatives;
};

struct EngineVersionInfo {
  Context ctx;
  Version version;
};

}  // namespace saker::rules
