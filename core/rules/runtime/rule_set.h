// The loaded rules of one engine, cold path: rules files read in order into one
// collector (RulesLoader), the whole collection recompiled against the host's field
// tables after each file (compile_rule_set), then the runtime selection of Falco's
// falco.yaml: rules less severe than `priority:` are left out, `enabled:` flags apply,
// then the `rules:` enable/disable entries (rule name with `*` wildcards, or tag), in order.
//
// Not thread-safe; RuleEngine reads it (immutably) once activated.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "rules/compiler/rule_compiler.h"
#include "rules/loader/rules_loader.h"
#include "alert.h"
#include "metrics.h"

namespace saker::rules {

// What the rule engine needs from its host (core::Engine in saker; fakes in tests).
struct RuleEngineHost {
  const core::FieldRegistry* registry = nullptr;
  core::FieldSlots* slots = nullptr;
  core::Metrics* metrics = nullptr;
  std::function<void(core::AlertRecord)> publish;
  // Event type names of a source by type code; unset or empty: no names.
  std::function<std::vector<std::string>(const std::string& source)> event_types;
  // Whether a source is loaded; unset: every source is.
  std::function<bool(const std::string& source)> is_known_source;
};

// One `rules:` entry of the configuration.
struct RuleSelection {
  bool enable = true;
  std::optional<std::string> rule;  // name pattern, `*` matches any text
  std::optional<std::string> tag;
};

struct RuleSetOptions {
  core::Priority min_priority = core::Priority::kDebug;
  std::vector<RuleSelection> selections;
  std::vector<AppendOutput> append_output;
};

// Falco's wildcard rule-name match: `*` matches any run of characters, nothing else is special.
bool wildcard_match(std::string_view pattern, std::string_view name);

class RuleSet {
 public:
  RuleSet(RuleEngineHost host, RuleSetOptions options);

  LoadResult load_file(const std::string& path);
  LoadResult load_content(const std::string& name, const std::string& content);

  const CompiledRuleSet& compiled() const { return compiled_; }
  const RulesLoader& loader() const { return loader_; }
  const RuleEngineHost& host() const { return host_; }
  const RuleSetOptions& options() const { return options_; }
  // Rules that pass the priority threshold and are enabled after the selections, in order.
  std::vector<const CompiledRule*> active_rules() const;
  const CompiledRule* find(const std::string& name) const;

 private:
  RuleEngineHost host_;
  RuleSetOptions options_;
  RulesLoader loader_;
  CompiledRuleSet compiled_;
};

// Expands rules files and folders (.yaml/.yml, alphabetical) into the files to load.
std::vector<std::string> expand_rules_paths(const std::vector<std::string>& paths);

}  // namespace saker::rules
