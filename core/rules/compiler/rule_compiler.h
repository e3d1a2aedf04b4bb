// Compiling a whole resolved rule set for evaluation (RULE-LANGUAGE.md §1.9 step 3):
// per rule, the output (+ matching append_output entries, %container.info dropped), the
// output format against the source's fields (LOAD_ERR_COMPILE_OUTPUT), the condition
// (LOAD_ERR_COMPILE_CONDITION, compiler warnings as LOAD_COMPILE_CONDITION), the
// event-type set (LOAD_NO_EVTTYPE for syscall rules matching > 100 types), and Falco's
// skip-if-unknown-filter downgrade (LOAD_UNKNOWN_FILTER, rule dropped).
//
// Cold path: throws LoadError at the first error; warnings go to the LoadResult.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/preprocess/preprocessor.h"
#include "compiled_expr.h"
#include "field_registry.h"
#include "output_format.h"

namespace saker::rules {

// One falco.yaml `append_output` entry.
struct AppendOutput {
  std::optional<std::string> source;
  std::optional<std::string> rule;
  std::vector<std::string> tags;  // the rule must carry all of them
  std::string extra_output;       // appended to the output: output + " " + extra_output
  // output_fields additions: key -> format ("%proc.name") or a bare field name.
  std::vector<std::pair<std::string, std::string>> extra_fields;
};

struct RuleCompilerOptions {
  const core::FieldRegistry* registry = nullptr;
  core::FieldSlots* slots = nullptr;
  // The event type names of a source, by type code (empty: the source has none).
  std::function<std::vector<std::string>(const std::string& source)> event_types;
  std::vector<AppendOutput> append_output;
};

struct CompiledRule {
  RuleInfo info;
  std::string condition;  // the resolved condition text
  std::vector<std::string> exception_fields;
  std::string output;  // with append_output applied
  std::unique_ptr<CompiledExpr> expr;
  core::OutputFormat format;
  // append_output extra_fields: (key, format); a bare field keeps its typed JSON value.
  std::vector<std::pair<std::string, core::OutputFormat>> extra_fields;
  std::vector<bool> event_codes;  // by type code; empty: the source has no type names
  size_t num_event_names = 0;     // distinct names covered
};

struct CompiledRuleSet {
  std::vector<CompiledRule> rules;  // in evaluation order
  size_t num_macros = 0;
  size_t num_lists = 0;
};

CompiledRuleSet compile_rule_set(const ResolvedRuleSet& set, const RuleCompilerOptions& options,
                                 LoadResult& result);

// The output text of `rule` with the matching append_output entries applied and
// %container.info removed (warning).
std::string build_output(const RuleInfo& rule, const std::vector<AppendOutput>& entries,
                         LoadResult& result);

}  // namespace saker::rules
