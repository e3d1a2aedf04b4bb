// The rules part of the saker command: reading the rules configuration (rules_files,
// priority, rule_matching, rules:, append_output), loading rules files after the plugins
// and printing Falco-style results, -V validation, -L / -l listings, and --explain.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "config/config.h"
#include "engine.h"
#include "rules/runtime/rule_engine.h"

namespace saker::app {

// Options of the rule set and rule engine from the configuration. Throws
// std::runtime_error on an invalid value (priority name, rules: entry, ...).
rules::RuleSetOptions rule_set_options(const core::Config& config);
rules::RuleEngineOptions rule_engine_options(const core::Config& config);

// The rules files to load: -r paths (must exist) or rules_files (missing ones skipped
// with a warning), folders expanded to their .yaml/.yml files in alphabetical order.
std::vector<std::string> rules_files_to_load(const CliOptions& opts, const core::Config& config);

// Load `files` in order into `set`, reporting diagnostics to stderr unless `quiet` (see
// StartReport in load_report.h: each once, rules of sources not loaded summed up in one
// line unless `verbose`); stops at the first failing file. Returns every file's result.
std::vector<rules::LoadResult> load_rules_files(rules::RuleSet& set,
                                                const std::vector<std::string>& files, bool quiet,
                                                bool verbose);

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
