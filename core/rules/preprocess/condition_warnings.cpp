// The AST-level warning pass on resolved rule conditions (RULE-LANGUAGE.md §1.9):
// <NA> comparisons on ka./jevt. fields and deprecated fields. Field-table-dependent
// warnings (misused field names, regex simplifications) belong to the compiler.
#include <set>

#include "preprocessor.h"

namespace saker::rules {
namespace {

const std::set<std::string> kNaOps = {"=", "==", "!=", "in", "intersects", "pmatch"};
const std::set<std::string> kDeprecatedFields = {"evt.dir",           "evt.latency",
                                                 "evt.latency.s",     "evt.latency.ns",
                                                 "evt.latency.human", "evt.wait_latency"};

// The field a check's left side reads: the field itself, or the last field inside a
// transformer.
std::string left_field(const Expr& left) {
  std::string name;
  for_each_node(left, [&name](const Expr& e) {
    if (e.kind() == ExprKind::kField) name = static_cast<const FieldExpr&>(e).name;
  });
  return name;
}

bool is_na_value(const Expr& right) {
  if (right.kind() == ExprKind::kValue) return static_cast<const ValueExpr&>(right).value == "<NA>";
  if (right.kind() != ExprKind::kList) return false;
  for (const auto& v : static_cast<const ListExpr&>(right).values) {
    if (v == "<NA>") return true;
  }
  return false;
}

bool is_unsafe_na_check(const BinaryCheckExpr& check) {
  std::string field = left_field(*check.left);
  bool audit_field = field.rfind("ka.", 0) == 0 || field.rfind("jevt.", 0) == 0;
  return audit_field && kNaOps.count(check.op) && is_na_value(*check.right);
}

std::string deprecation_message(const std::string& field) {
  if (field == "evt.dir") {
    return "due to the drop of enter events, 'evt.dir = <' always evaluates to true, and "
           "'evt.dir = >' always evaluates to false. The field is deprecated: remove it from "
           "the condition.";
  }
  return "due to the drop of enter events, '" + field +
         "' no longer measures anything. The field is deprecated: remove it from the condition.";
}

}  // namespace

void warn_condition(const Expr& ast, const Context& ctx, LoadResult& result) {
  std::set<std::string> deprecated_seen;
  for_each_node(ast, [&](const Expr& e) {
    if (e.kind() == ExprKind::kBinaryCheck &&
        is_unsafe_na_check(static_cast<const BinaryCheckExpr&>(e))) {
      result.add_warning(LoadCode::kUnsafeNaCheck, "", ctx);
    }
    if (e.kind() != ExprKind::kField) return;
    const std::string& name = static_cast<const FieldExpr&>(e).name;
    if (kDeprecatedFields.count(name) && deprecated_seen.insert(name).second) {
      result.add_warning(LoadCode::kDeprecatedItem, deprecation_message(name), ctx);
    }
  });
}

}  // namespace saker::rules
