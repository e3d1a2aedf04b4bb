// How rules loading is reported to the user, with Falco's habits: -V prints one status
// per file ("Ok", "Ok, with warnings", "Invalid") and its diagnostics; a start prints
// each new diagnostic once. Rules whose source is not loaded (LOAD_UNKNOWN_SOURCE: kept,
// never compiled) are not warned about one by one, nor are the macros and lists only
// they use reported as unused: one line sums them up ("skipped 3 rules of sources not
// loaded: aws_cloudtrail (1), k8s_audit (2)"). -v (verbose) shows every diagnostic.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>

#include "rules/runtime/rule_set.h"

namespace saker::app {

// What the rules of sources that are not loaded leave behind in a rule set.
class SkippedRules {
 public:
  // Everything loaded into `set` so far (the set is only read during the call).
  explicit SkippedRules(const rules::RuleSet& set);

  // Skipped rules counted by source: all of them, or those `r` (one file's result) defined.
  const std::map<std::string, size_t>& by_source() const { return by_source_; }
  std::map<std::string, size_t> by_source(const rules::LoadResult& r) const;
  // True for a diagnostic that only echoes the skip: LOAD_UNKNOWN_SOURCE, or an unused
  // macro/list warning for a name that skipped rules refer to (directly or through
  // macros and lists).
  bool is_noise(const rules::Diagnostic& d) const;

 private:
  std::map<std::string, std::string> source_of_;  // skipped rule name → source
  std::map<std::string, size_t> by_source_;
  std::set<std::string> used_names_;  // macro/list names skipped rules refer to
};

// "skipped 3 rules of sources not loaded: aws_cloudtrail (1), k8s_audit (2)"; "" if none.
std::string skipped_rules_text(const std::map<std::string, size_t>& by_source);

// -V: one file's result as text. Unless `verbose`, the skip's noise is replaced by one
// LOAD_UNKNOWN_SOURCE line.
std::string validation_text(const rules::LoadResult& r, const SkippedRules& skipped, bool verbose);

// A start: prints each file's diagnostics to stderr, each at most once across files (the
// loader recomputes warnings over everything after every file), unused macro/list
// warnings only after the last file (a later file may use them), and, unless verbose,
// without the skip's noise; then one info log line for the skipped rules.
class StartReport {
 public:
  explicit StartReport(bool verbose) : verbose_(verbose) {}
  void file_loaded(const rules::RuleSet& set, const rules::LoadResult& r, bool last);
  void done(const rules::RuleSet& set) const;

 private:
  bool verbose_;
  std::set<std::string> shown_;
};

}  // namespace saker::app
