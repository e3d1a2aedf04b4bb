// Collector: versions, requirements, lists and macros; rules live in collector_rules.cpp.
#include "collector.h"

#include <set>

#include <cctype>
#include <cstdio>

namespace saker::rules {
namespace {

// Falco's define_info: a redefinition keeps the original slot but takes the new body and a
// new visibility stamp.
template <typename T>
void define_info(IndexedItems<T>& items, T info, uint32_t id) {
  info.visibility = id;
  if (T* prev = items.find(info.name)) {
    info.index = prev->index;
    *prev = std::move(info);
    return;
  }
  info.index = id;
  items.insert(std::move(info));
}

}  // namespace

std::string Version::to_string() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<Version> Version::parse(const std::string& text) {
  Version v;
  if (std::sscanf(text.c_str(), "%u.%u.%u", &v.major, &v.minor, &v.patch) != 3) {
    return std::nullopt;
  }
  return v;
}

bool Version::compatible_with(const Version& required) const {
  return major == required.major && *this >= required;
}

std::optional<Priority> parse_priority(const std::string& text) {
  static const std::pair<const char*, Priority> kNames[] = {
      {"emergency", Priority::kEmergency}, {"alert", Priority::kAlert},
      {"critical", Priority::kCritical},   {"error", Priority::kError},
      {"warning", Priority::kWarning},     {"notice", Priority::kNotice},
      {"informational", Priority::kInfo},  {"info", Priority::kInfo},
      {"debug", Priority::kDebug}};
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const auto& [name, p] : kNames) {
    if (lower == name) return p;
  }
  return std::nullopt;
}

std::string_view priority_name(Priority p) {
  static constexpr std::string_view kNames[] = {"Emergency", "Alert",  "Critical",      "Error",
                                                "Warning",   "Notice", "Informational", "Debug"};
  return kNames[static_cast<size_t>(p)];
}

bool Collector::is_known_source(const std::string& source) const {
  return !options_.is_known_source || options_.is_known_source(source);
}

void Collector::define_engine_version(const EngineVersionInfo& info) {
  if (!options_.engine_version.compatible_with(info.version)) {
    throw LoadError(LoadCode::kErrValidate,
                    "Rules require engine version " + info.version.to_string() +
                        ", but engine version is " + options_.engine_version.to_string(),
                    info.ctx);
  }
  if (info.version > required_engine_version_) required_engine_version_ = info.version;
}

void Collector::define_plugin_version(const PluginVersionInfo& info) {
  std::set<std::string> names;
  for (const auto& req : info.alternatives) {
    if (!Version::parse(req.version)) {
      throw LoadError(
          LoadCode::kErrValidate,
          "Invalid required version '" + req.version + "' for plugin '" + req.name + "'", info.ctx);
    }
    if (!names.insert(req.name).second) {
      throw LoadError(
          LoadCode::kErrValidate,
          "Defined multiple alternative version requirements for plugin '" + req.name + "'",
          info.ctx);
    }
  }
  plugin_versions_.push_back(info);
}

namespace {

const std::string& file_of(const Context& ctx) {
  static const std::string none;
  return ctx.locations.empty() ? none : ctx.locations.front().position.name;
}

}  // namespace

std::vector<std::string> Collector::check_plugin_requirements(
    const std::map<std::string, std::string>& loaded, bool skip_idle_files) const {
  std::set<std::string> files_with_rules, active_files;
  for (const auto& r : rules_.all()) {
    files_with_rules.insert(file_of(r.ctx));
    if (!r.unknown_source) active_files.insert(file_of(r.ctx));
  }
  std::vector<std::string> errors;
  for (const auto& entry : plugin_versions_) {
    const std::string& file = file_of(entry.ctx);
    if (skip_idle_files && files_with_rules.count(file) && !active_files.count(file)) continue;
    const PluginRequirement* decided = nullptr;
    for (const auto& req : entry.alternatives) {
      if (loaded.count(req.name)) {
        decided = &req;
        break;
      }
    }
    if (decided == nullptr) {
      std::string msg = "Plugin requirement not satisfied, must load one of: ";
      for (size_t i = 0; i < entry.alternatives.size(); ++i) {
        const auto& req = entry.alternatives[i];
        msg += (i ? ", " : "") + req.name + " (>= " + req.version + ")";
      }
      errors.push_back(msg);
      continue;
    }
    const std::string& have = loaded.at(decided->name);
    auto have_v = Version::parse(have);
    auto need_v = Version::parse(decided->version);
    if (!have_v || !need_v || !have_v->compatible_with(*need_v)) {
      errors.push_back("Plugin '" + decided->name + "' version '" + have +
                       "' is not compatible with required plugin version '" + decided->version +
                       "'");
    }
  }
  return errors;
}

void Collector::define_list(ListInfo info) { define_info(lists_, std::move(info), next_id_++); }

void Collector::append_list(const ListInfo& info) {
  ListInfo* prev = lists_.find(info.name);
  if (prev == nullptr) {
    throw LoadError(
        LoadCode::kErrValidate,
        "List uses 'append' or 'override.items: append' but no list by that name already exists",
        info.ctx);
  }
  prev->items.insert(prev->items.end(), info.items.begin(), info.items.end());
  prev->visibility = next_id_++;
}

void Collector::define_macro(MacroInfo info) { define_info(macros_, std::move(info), next_id_++); }

void Collector::append_macro(const MacroInfo& info) {
  MacroInfo* prev = macros_.find(info.name);
  if (prev == nullptr) {
    throw LoadError(LoadCode::kErrValidate,
                    "Macro uses 'append' or 'override.condition: append' but no macro by that "
                    "name already exists",
                    info.ctx);
  }
  prev->cond += " " + info.cond;
  prev->visibility = next_id_++;
}

}  // namespace saker::rules
