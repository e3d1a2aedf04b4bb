// Event-type inference; see evttype.h.
#include "evttype.h"

#include <algorithm>
#include <set>

#include "compiler.h"

namespace saker::rules {
namespace {

using Set = std::vector<bool>;

Set all_of(size_t n, bool v) { return Set(n, v); }

void complement(Set& s) { s.flip(); }

Set combine(std::vector<Set> parts, bool intersect, size_t n) {
  Set out = all_of(n, intersect);
  for (const auto& p : parts) {
    for (size_t i = 0; i < n; ++i) out[i] = intersect ? (out[i] && p[i]) : (out[i] || p[i]);
  }
  return out;
}

const FieldExpr* plain_field(const Expr& e, const char* a, const char* b = nullptr) {
  if (e.kind() != ExprKind::kField) return nullptr;
  const auto& f = static_cast<const FieldExpr&>(e);
  if (f.arg || (f.name != a && (b == nullptr || f.name != b))) return nullptr;
  return &f;
}

bool mentions_event_type(const Expr& e) {
  bool found = false;
  for_each_node(e, [&](const Expr& n) {
    found = found || plain_field(n, "evt.type", "syscall.type") != nullptr;
  });
  return found;
}

// evt.num invariants: nullopt when the check says nothing, else "empty" (false) / "all".
std::optional<bool> evt_num_invariant(const BinaryCheckExpr& c) {
  if (!plain_field(*c.left, "evt.num")) return std::nullopt;
  std::vector<std::string> v = rhs_values(*c.right);
  if (c.op == "in") {
    return std::any_of(v.begin(), v.end(), [](const std::string& s) { return s != "0"; })
               ? std::nullopt
               : std::optional<bool>(false);
  }
  if (v.size() != 1) return std::nullopt;
  const std::string& x = v[0];
  if ((c.op == "=" || c.op == "==") && x == "0") return false;
  if (c.op == "<" && (x == "0" || x == "1")) return false;
  if (c.op == "<=" && x == "0") return false;
  if (c.op == "!=" && x == "0") return true;
  if (c.op == ">" && x == "0") return true;
  if (c.op == ">=" && (x == "0" || x == "1")) return true;
  return std::nullopt;
}

Set leaf_binary(const BinaryCheckExpr& c, bool negated, const std::vector<std::string>& names) {
  const size_t n = names.size();
  if (plain_field(*c.left, "evt.type", "syscall.type")) {
    if (c.right->kind() == ExprKind::kFieldTransformer) {
      throw CompileError(
          "right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported "
          "by event code search");
    }
    if (c.op == "=" || c.op == "==" || c.op == "!=" || c.op == "in") {
      std::vector<std::string> v = rhs_values(*c.right);
      std::set<std::string> wanted(v.begin(), v.end());
      Set s(n);
      for (size_t i = 0; i < n; ++i) s[i] = wanted.count(names[i]) > 0;
      if (c.op == "!=") complement(s);
      if (negated) complement(s);
      return s;
    }
  } else if (c.left->kind() == ExprKind::kFieldTransformer && mentions_event_type(*c.left)) {
    throw CompileError("event code search does not support `evt.type` checks with transformers");
  }
  if (auto inv = evt_num_invariant(c)) return all_of(n, *inv != negated);
  return all_of(n, true);
}

Set infer(const Expr& e, bool negated, const std::vector<std::string>& names) {
  const size_t n = names.size();
  switch (e.kind()) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const auto& kids = e.kind() == ExprKind::kAnd ? static_cast<const AndExpr&>(e).children
                                                    : static_cast<const OrExpr&>(e).children;
      std::vector<Set> parts;
      for (const auto& k : kids) parts.push_back(infer(*k, negated, names));
      const bool intersect = (e.kind() == ExprKind::kAnd) != negated;
      return combine(std::move(parts), intersect, n);
    }
    case ExprKind::kNot:
      return infer(*static_cast<const NotExpr&>(e).child, !negated, names);
    case ExprKind::kUnaryCheck: {
      const auto& u = static_cast<const UnaryCheckExpr&>(e);
      if (plain_field(*u.left, "evt.type", "syscall.type")) return all_of(n, !negated);
      return all_of(n, true);
    }
    case ExprKind::kBinaryCheck:
      return leaf_binary(static_cast<const BinaryCheckExpr&>(e), negated, names);
    default:
      return all_of(n, true);
  }
}

}  // namespace

std::vector<bool> infer_event_types(const Expr& ast, const std::vector<std::string>& names) {
  return infer(ast, false, names);
}

size_t count_event_names(const std::vector<bool>& codes, const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (size_t i = 0; i < codes.size() && i < names.size(); ++i) {
    if (codes[i]) seen.insert(names[i]);
  }
  return seen.size();
}

}  // namespace saker::rules
