// The preprocess stage (RULE-LANGUAGE.md §1.9 steps 1–4, minus field compilation): over the
// whole collection, expand lists in lists, substitute lists into macro and rule conditions,
// synthesise exception conditions, parse, resolve macros with visibility, and warn about
// unused macros/lists and AST-level smells (<NA> comparisons on ka./jevt. fields,
// deprecated fields). The result is, per rule, a macro-free AST for the compiler.
//
// A ResolvedRuleSet is a self-contained value (it copies what it needs from the collector).
#pragma once

#include <string>
#include <vector>

#include "rules/syntax/ast.h"
#include "rules/collect/collector.h"

namespace saker::rules {

struct ResolvedList {
  std::string name;
  std::vector<std::string> items;  // after one-level list-in-list expansion
  bool used = false;
};

struct ResolvedMacro {
  std::string name;
  std::string condition;  // after list substitution
  ExprPtr ast;            // macro references resolved
  bool used = false;
};

struct ResolvedRule {
  RuleInfo info;                              // the collected rule (name, output, tags, ...)
  std::string condition;                      // text after exceptions + list substitution
  ExprPtr ast;                                // parsed, macros resolved (no Identifier nodes)
  std::vector<std::string> exception_fields;  // fields named by the rule's exceptions
};

struct ResolvedRuleSet {
  std::vector<ResolvedList> lists;
  std::vector<ResolvedMacro> macros;
  std::vector<ResolvedRule> rules;  // in evaluation order; unknown-source rules left out
};

// Throws LoadError at the first error; warnings are added to `result`.
ResolvedRuleSet preprocess(const Collector& collector, LoadResult& result,
                           uint32_t max_parse_depth);

// Parses `text` for an item; a ParseError becomes LOAD_ERR_COMPILE_CONDITION with a
// "condition expression" location mapped into the file through `cond_ctx`.
ExprPtr parse_item_condition(const std::string& text, const Context& cond_ctx,
                             uint32_t max_parse_depth);

// The AST-level warning pass on a resolved rule condition (LOAD_UNSAFE_NA_CHECK and
// LOAD_DEPRECATED_ITEM for deprecated fields).
void warn_condition(const Expr& ast, const Context& ctx, LoadResult& result);

}  // namespace saker::rules
