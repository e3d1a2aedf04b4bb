// The collector: one persistent store of every list, macro, rule and requirement read
// from rules files, applying Falco's define / append / override / enable-only semantics
// (RULE-LANGUAGE.md §1.3–§1.8). Later files see and may change what earlier files defined.
//
// Every mutating call either applies completely or throws LoadError (first error of a file
// wins); warnings go to the LoadResult passed in. Not thread-safe; one per engine.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "items.h"

namespace saker::rules {

struct CollectorOptions {
  Version engine_version{0, 63, 0};
  // Whether an event source is loaded; unset = every source is known.
  std::function<bool(const std::string& source)> is_known_source;
  // Whether `field` (e.g. "proc.name", "proc.aname[2]") is a field of `source`; unset = any
  // syntactically valid field is accepted (field tables belong to the compiler stage).
  std::function<bool(const std::string& source, const std::string& field)> is_valid_field;
};

// What an override, a legacy append or an enable-only item carries for an existing rule.
struct RuleUpdate {
  Context ctx;
  Context cond_ctx;
  Context output_ctx;
  std::string name;
  std::set<std::string> append_keys;   // override form: keys under `override:` with append
  std::set<std::string> replace_keys;  // override form: keys with replace
  std::optional<std::string> cond, output, desc, source;
  std::optional<Priority> priority;
  std::optional<std::set<std::string>> tags;
  std::optional<std::vector<ExceptionInfo>> exceptions;
  std::optional<bool> enabled, capture, warn_evttypes, skip_if_unknown_filter;
  std::optional<uint32_t> capture_duration;
};

// Items of one kind in definition order, also found by name.
template <typename T>
class IndexedItems {
 public:
  T* find(const std::string& name) {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &items_[it->second];
  }
  const T* find(const std::string& name) const {
    auto it = by_name_.find(name);
    return it == by_name_.end() ? nullptr : &items_[it->second];
  }
  void insert(T item) {
    by_name_[item.name] = items_.size();
    items_.push_back(std::move(item));
  }
  const std::vector<T>& all() const { return items_; }
  std::vector<T>& all() { return items_; }

 private:
  std::vector<T> items_;
  std::unordered_map<std::string, size_t> by_name_;
};

class Collector {
 public:
  explicit Collector(CollectorOptions options = {}) : options_(std::move(options)) {}

  void define_engine_version(const EngineVersionInfo& info);
  void define_plugin_version(const PluginVersionInfo& info);
  void define_list(ListInfo info);
  void append_list(const ListInfo& info);
  void define_macro(MacroInfo info);
  void append_macro(const MacroInfo& info);
  void define_rule(RuleInfo info, LoadResult& result);
  void append_rule(const RuleUpdate& update, LoadResult& result);    // legacy `append: true`
  void override_rule(const RuleUpdate& update, LoadResult& result);  // `override:` form
  void enable_rule(const RuleUpdate& update);                        // standalone `enabled`

  const std::vector<ListInfo>& lists() const { return lists_.all(); }
  const std::vector<MacroInfo>& macros() const { return macros_.all(); }
  const std::vector<RuleInfo>& rules() const { return rules_.all(); }
  const ListInfo* list(const std::string& name) const { return lists_.find(name); }
  const MacroInfo* macro(const std::string& name) const { return macros_.find(name); }
  const RuleInfo* rule(const std::string& name) const { return rules_.find(name); }
  const std::vector<PluginVersionInfo>& plugin_versions() const { return plugin_versions_; }
  const Version& required_engine_version() const { return required_engine_version_; }
  const CollectorOptions& options() const { return options_; }
  bool is_known_source(const std::string& source) const;

  // Falco's check_plugin_requirements: `loaded` maps plugin name -> version. Returns the
  // error messages (empty = satisfied). With `skip_idle_files`, the requirements of a file
  // none of whose rules has a loaded source are not checked: its rules are all skipped,
  // so the plugins it names are not needed (a cloud-log rules file on a node that only
  // watches syscalls).
  std::vector<std::string> check_plugin_requirements(
      const std::map<std::string, std::string>& loaded, bool skip_idle_files = false) const;

 private:
  void validate_exception(const ExceptionInfo& ex, const std::string& source) const;
  void merge_exceptions(RuleInfo& prev, const std::vector<ExceptionInfo>& added,
                        LoadResult& result) const;
  void apply_appends(RuleInfo& prev, const RuleUpdate& update, LoadResult& result) const;
  void apply_replaces(RuleInfo& prev, const RuleUpdate& update) const;
  void check_source(const RuleInfo& prev, const std::optional<std::string>& source,
                    const Context& ctx) const;

  CollectorOptions options_;
  uint32_t next_id_ = 0;
  IndexedItems<ListInfo> lists_;
  IndexedItems<MacroInfo> macros_;
  IndexedItems<RuleInfo> rules_;
  std::vector<PluginVersionInfo> plugin_versions_;
  Version required_engine_version_;
};

}  // namespace saker::rules
