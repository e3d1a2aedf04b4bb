// Textual list handling (RULE-LANGUAGE.md §1.5, §1.9.1). Falco does not parse lists as
// expressions: list names are replaced by their items *in the condition text* before the
// condition is parsed, with a delimiter rule that also hits macro names, bare values and
// exception values equal to a list name. This reproduces that algorithm exactly.
#pragma once

#include <string>
#include <vector>

namespace saker::rules {

// Falco's item quoting: `"v"` if v contains a space and does not start with a quote; no
// escaping of anything.
std::string quote_item(const std::string& v);

// Replaces every occurrence of `name` delimited by blanks or `(),=` in `cond` with the
// comma-joined quoted items (eating blanks around it; an empty list also eats one adjacent
// comma). Returns true if at least one occurrence was replaced.
bool substitute_list(std::string& cond, const std::string& name,
                     const std::vector<std::string>& items);

}  // namespace saker::rules
