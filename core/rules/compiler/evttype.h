// Event-type inference (RULE-LANGUAGE.md §2.9): the set of event types for which a
// condition can be true, used to index rules by (source, event type) and for
// LOAD_NO_EVTTYPE. Negation is pushed to the leaves: `evt.type = x` / `!=` / `in` checks
// give their named types, `evt.type exists` all, the `evt.num` invariants none or all,
// anything else all types (never complemented).
//
// Sets are over the source's event type *codes* (`names[code]`; several codes may share
// a name, e.g. a syscall's enter and exit events). Pure functions; throw CompileError
// for `evt.type` compared with a field or through a transformer.
#pragma once

#include <string>
#include <vector>

#include "rules/syntax/ast.h"

namespace saker::rules {

// codes[c] == true when the condition may match events of type code c.
std::vector<bool> infer_event_types(const Expr& ast, const std::vector<std::string>& names);
// How many distinct names the set covers (what LOAD_NO_EVTTYPE counts).
size_t count_event_names(const std::vector<bool>& codes, const std::vector<std::string>& names);

}  // namespace saker::rules
