// Running a compiled condition against the event in an EventContext (RULE-LANGUAGE.md
// §2.4, §2.8.5): short-circuit and/or/not; a check whose left field has no value is
// false for every operator but `exists`; `in` on a list field needs every value in the
// set, `intersects` one; modifiers count the right-hand values that satisfy the op.
//
// Hot path: noexcept; field values come memoised from the context; transformers write
// into the caller's EvalScratch (one per thread), so nothing allocates in the steady state.
#pragma once

#include <vector>

#include "compiled_expr.h"

namespace saker::rules {

struct EvalScratch {
  std::vector<core::FieldValue> bufs;
  // Results of shared checks for the current event: cache[id] = stamp << 1 | result,
  // valid when its stamp is `stamp` (RuleEngine bumps it per event). nullptr: no cache
  // (check nodes with an id are then evaluated every time).
  uint64_t* cache = nullptr;
  uint64_t stamp = 0;
  std::vector<uint64_t> cache_buf;  // storage for `cache` (RuleEngine)
  void reserve_for(const CompiledExpr& e) {
    if (bufs.size() < e.scratch_needed) bufs.resize(e.scratch_needed);
  }
};

// `scratch` must have been reserve_for()'d for `e` (RuleEngine does it once per rule set).
bool evaluate(const CompiledExpr& e, core::EventContext& ctx, EvalScratch& scratch) noexcept;
// Run a (possibly specialised) program of `e`.
bool run(const Program& p, const CompiledExpr& e, core::EventContext& ctx,
         EvalScratch& scratch) noexcept;
// The flat program of `e`; with `code` >= 0, specialised for events of that type code:
// evt.type checks become constants and and/or/not are folded.
Program specialize(const CompiledExpr& e, int32_t code);
// Link programs (each with the Check array of its CompiledExpr) into one branch program
// that tries them in order; the match of programs[k] is the terminal with entry k.
struct LinkedProgram {
  const Program* program;
  const Check* checks;
};
BranchProgram link(const std::vector<LinkedProgram>& programs);
// Jump threading (link() does it): within one event a shared check has one result (see
// EvalScratch::cache), so an edge into a shared check that every path to that edge has
// already decided goes straight to the branch the known result takes. After `proc.name
// = x` failed in one rule, the next rule that starts with the same check is skipped
// without a visit. Leaves `bp` as it is unless every jump goes forward.
void thread_jumps(BranchProgram& bp);
// Run `bp` from `pc` until a terminal; returns its pc. Shared checks use scratch.cache
// (which must then be set).
uint32_t run_branch(const BranchProgram& bp, uint32_t pc, core::EventContext& ctx,
                    EvalScratch& scratch) noexcept;
// Whether a program is the constant false (a specialised rule that cannot match).
bool is_const_false(const Program& p);
bool evaluate_check(const Check& c, core::EventContext& ctx, EvalScratch& scratch) noexcept;
// Decide `c.kind` once its operands and constants are final (the compiler calls it).
void resolve_kind(Check& c);
// The value of an operand (the field's, or the last transformer's scratch buffer).
const core::FieldValue& operand_value(const Operand& o, core::EventContext& ctx,
                                      EvalScratch& scratch) noexcept;

}  // namespace saker::rules
