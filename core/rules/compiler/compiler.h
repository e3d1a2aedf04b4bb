// The condition compiler (RULE-LANGUAGE.md §2.8): turns a macro-resolved condition AST
// into a CompiledExpr for one event source. Every field is resolved through the field
// registry ("filter_check called with nonexistent field X"), its argument checked, the
// operator checked against the field type (Falco's flt_is_comparable), transformers typed,
// right-hand constants parsed once per type, `evt.type` values validated against the
// source's event type names (and compiled to a type-code bitmap: no extraction needed; on
// a source whose plugins do not declare `evt.type`, the type-code check is the field),
// field-to-field comparisons (val(), transformers) typed on both sides.
//
// Cold path: errors are thrown as CompileError with Falco's message; warnings (Falco's
// LOAD_COMPILE_CONDITION texts) are collected. One compiler per condition; not
// thread-safe (it registers slots in the shared FieldSlots, which locks).
#pragma once

#include <string>
#include <vector>

#include "compiled_expr.h"
#include "field_registry.h"
#include "values.h"

namespace saker::rules {

class ConditionCompiler {
 public:
  // `event_names` (by type code) may be null: the source has no event type names.
  ConditionCompiler(const core::FieldRegistry& registry, core::FieldSlots& slots,
                    std::string source, const std::vector<std::string>* event_names)
      : registry_(registry), slots_(slots), source_(std::move(source)), names_(event_names) {}

  // Throws CompileError.
  CompiledExpr compile(const Expr& ast);
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Compile a left-hand side (field or transformer) on its own: used by output formats
  // and the exception field validator. Throws CompileError.
  Operand compile_operand(const Expr& e);

 private:
  uint32_t compile_node(const Expr& e);
  uint32_t add_check(Check c, const Expr& e);
  Check compile_unary(const UnaryCheckExpr& e);
  Check compile_binary(const BinaryCheckExpr& e);
  Operand compile_field(const FieldExpr& f);
  Operand compile_transformer(const FieldTransformerExpr& t);
  void compile_rhs_field(Check& c, const FieldTransformerExpr& rhs);
  void compile_constants(Check& c, const std::vector<std::string>& values);
  void compile_event_type(Check& c, const std::vector<std::string>& values);
  Check compile_core_event_type(Check& c, const BinaryCheckExpr& e);
  void warn_constant(const Check& c, const std::string& value);
  void collect_slots();

  const core::FieldRegistry& registry_;
  core::FieldSlots& slots_;
  std::string source_;
  const std::vector<std::string>* names_;
  CompiledExpr out_;
  std::vector<std::string> warnings_;
};

// The right-hand values of a check as a list of strings (a value, or a list literal).
std::vector<std::string> rhs_values(const Expr& rhs);

}  // namespace saker::rules
