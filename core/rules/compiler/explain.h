// Explain mode: why a rule matched an event or not. Every node of the compiled
// condition is evaluated (no short-circuit) and annotated with its value and, for checks,
// the values of the fields it read; `decisive` marks the children that decided an
// and/or under normal short-circuit evaluation, `evaluated=false` those it would skip.
//
// Cold path (allocates freely); uses the caller's EventContext for the current event.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "evaluator.h"

namespace saker::rules {

struct ExplainNode {
  std::string kind;  // "and", "or", "not", "check"
  std::string text;  // the sub-expression in normal form: "proc.name in (bash, sh)"
  bool value = false;
  bool evaluated = true;  // false: short-circuit evaluation would not reach it
  bool decisive = false;  // this child decided its parent's value
  std::vector<std::pair<std::string, std::string>> fields;  // field as written -> value text
  std::vector<ExplainNode> children;
};

ExplainNode explain(const CompiledExpr& e, core::EventContext& ctx);
// Indented tree: "[true ] and" / "  [false] proc.name = bash   (proc.name=zsh)".
std::string explain_text(const ExplainNode& n);
nlohmann::json explain_json(const ExplainNode& n);

}  // namespace saker::rules
