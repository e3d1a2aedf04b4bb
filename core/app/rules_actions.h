// The rules part of the saker command: reading the rules configuration (rules_files,
// priority, rule_matching, rules:, append_output), loading rules files after the plugins
// and printing Falco-style results, -V validation, -L / -l listings, and --explain.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "config/config.h"
#include "engine.h"
#include "rules/engine/rule_engine.h"

namespace saker::app {

// Options of the rule set and rule engine from the configuration. Throws
// std::runtime_error on an invalid value (priority name, rules: entry, ...).
rules::RuleSetOptions rule_set_options(const core::Config& config);
rules::RuleEngineOptions rule_engine_options(const core::Config& config);

// The rules files to load: -r paths (must exist) or rules_files (missing ones skipped
// with a warning), folders expanded to their .yaml/.yml files in alphabetical order.
std::vector<std::string> rules_files_to_load(const CliOptions& opts, const core::Config& config);

// Load `files` in order into `set`, printing errors and warnings (text, or nothing when
// `quiet`); stops at the first failing file. Rules skipped because their source is not
// loaded are not warned about one by one unless `verbose` (see log_skipped_rules).
// Returns every file's result.
std::vector<rules::LoadResult> load_rules_files(rules::RuleSet& set,
                                                const std::vector<std::string>& files, bool quiet,
                                                bool verbose);

// Rules whose source is not loaded (LOAD_UNKNOWN_SOURCE: kept, never compiled), counted by
// source: over everything loaded into `set`, or only those `result` (one file) defined.
using SkippedRules = std::map<std::string, size_t>;
SkippedRules skipped_rules(const rules::RuleSet& set);
SkippedRules skipped_rules(const rules::RuleSet& set, const rules::LoadResult& result);
// "skipped 3 rules of sources not loaded: aws_cloudtrail (1), k8s_audit (2)"; "" if none.
std::string skipped_rules_text(const SkippedRules& skipped);
// Logs skipped_rules_text(skipped_rules(set)) at info level: one line per run.
void log_skipped_rules(const rules::RuleSet& set);

// One file's result as text: "NAME: Ok", "NAME: Ok, with warnings" or "NAME: Invalid", then
// each error and warning. Unless `verbose`, LOAD_UNKNOWN_SOURCE warnings are replaced by
// one line carrying `skipped` (skipped_rules_text; no line when empty).
std::string result_text(const rules::LoadResult& r, bool verbose, const std::string& skipped);

// -V FILE...: load and print each result (JSON with json_output); exit code 1 on error.
int validate_rules(core::Engine& engine, const CliOptions& opts, const core::Config& config);
// -L / -l RULE over the loaded rules (JSON with json_output).
int list_rules(const rules::RuleSet& set, const CliOptions& opts, const core::Config& config);

// --explain RULE: prints, for every event of the rule's source, the rule's condition tree
// with the value of every sub-expression (JSON lines with json_output).
class ExplainSink : public core::EventSink {
 public:
  ExplainSink(const rules::RuleSet& set, const rules::CompiledRule& rule, bool json);
  void on_event(core::EventContext& ctx) noexcept override;

 private:
  const rules::CompiledRule& rule_;
  std::vector<std::string> names_;
  bool json_;
};

}  // namespace saker::app
