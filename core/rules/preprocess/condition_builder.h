// Exception condition synthesis (RULE-LANGUAGE.md §1.8): Falco turns a rule's exceptions
// into condition *text* appended to the rule condition ("(cond) and not (...)"), which
// then goes through list substitution and parsing like any condition. The quoting is
// Falco's (a value is quoted only if it holds a space; nothing is escaped), so odd values
// produce the same parse errors and surprises as in Falco.
#pragma once

#include <string>
#include <vector>

#include "rules/collect/items.h"

namespace saker::rules {

// The condition text of `rule` with its exceptions. Throws LoadError(LOAD_ERR_VALIDATE) if
// a value's shape does not match its exception's fields.
std::string build_rule_condition(const RuleInfo& rule);

// The condition fragment of one exception ("" if it has no values).
std::string build_exception_condition(const ExceptionInfo& ex);

// The fields named by the rule's exceptions, in order, without duplicates.
std::vector<std::string> exception_fields(const RuleInfo& rule);

}  // namespace saker::rules
