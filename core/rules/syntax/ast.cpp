// Cloning, visiting and structural equality of AST nodes; see ast.h.
#include "ast.h"

namespace saker::rules {
namespace {

std::vector<ExprPtr> clone_all(const std::vector<ExprPtr>& v) {
  std::vector<ExprPtr> out;
  out.reserve(v.size());
  for (const auto& e : v) out.push_back(e->clone());
  return out;
}

bool all_equal(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!equals(*a[i], *b[i])) return false;
  }
  return true;
}

template <typename T>
const T& as(const Expr& e) {
  return static_cast<const T&>(e);
}

}  // namespace

ExprPtr AndExpr::clone() const { return std::make_unique<AndExpr>(pos(), clone_all(children)); }
ExprPtr OrExpr::clone() const { return std::make_unique<OrExpr>(pos(), clone_all(children)); }
ExprPtr NotExpr::clone() const { return std::make_unique<NotExpr>(pos(), child->clone()); }
ExprPtr IdentifierExpr::clone() const { return std::make_unique<IdentifierExpr>(pos(), name); }
ExprPtr ValueExpr::clone() const { return std::make_unique<ValueExpr>(pos(), value); }
ExprPtr ListExpr::clone() const { return std::make_unique<ListExpr>(pos(), values); }
ExprPtr TransformerListExpr::clone() const {
  return std::make_unique<TransformerListExpr>(pos(), clone_all(children));
}
ExprPtr UnaryCheckExpr::clone() const {
  return std::make_unique<UnaryCheckExpr>(pos(), left->clone(), op);
}
ExprPtr BinaryCheckExpr::clone() const {
  return std::make_unique<BinaryCheckExpr>(pos(), left->clone(), op, right->clone());
}
ExprPtr FieldExpr::clone() const { return std::make_unique<FieldExpr>(pos(), name, arg); }
ExprPtr FieldTransformerExpr::clone() const {
  return std::make_unique<FieldTransformerExpr>(pos(), name, clone_all(args), arg);
}

void AndExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void OrExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void NotExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void IdentifierExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void ValueExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void ListExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void TransformerListExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void UnaryCheckExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void BinaryCheckExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void FieldExpr::accept(ExprVisitor& v) const { v.visit(*this); }
void FieldTransformerExpr::accept(ExprVisitor& v) const { v.visit(*this); }

bool equals(const Expr& a, const Expr& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ExprKind::kAnd:
      return all_equal(as<AndExpr>(a).children, as<AndExpr>(b).children);
    case ExprKind::kOr:
      return all_equal(as<OrExpr>(a).children, as<OrExpr>(b).children);
    case ExprKind::kNot:
      return equals(*as<NotExpr>(a).child, *as<NotExpr>(b).child);
    case ExprKind::kIdentifier:
      return as<IdentifierExpr>(a).name == as<IdentifierExpr>(b).name;
    case ExprKind::kValue:
      return as<ValueExpr>(a).value == as<ValueExpr>(b).value;
    case ExprKind::kList:
      return as<ListExpr>(a).values == as<ListExpr>(b).values;
    case ExprKind::kTransformerList:
      return all_equal(as<TransformerListExpr>(a).children, as<TransformerListExpr>(b).children);
    case ExprKind::kUnaryCheck:
      return as<UnaryCheckExpr>(a).op == as<UnaryCheckExpr>(b).op &&
             equals(*as<UnaryCheckExpr>(a).left, *as<UnaryCheckExpr>(b).left);
    case ExprKind::kBinaryCheck: {
      const auto& x = as<BinaryCheckExpr>(a);
      const auto& y = as<BinaryCheckExpr>(b);
      return x.op == y.op && equals(*x.left, *y.left) && equals(*x.right, *y.right);
    }
    case ExprKind::kField:
      return as<FieldExpr>(a).name == as<FieldExpr>(b).name &&
             as<FieldExpr>(a).arg == as<FieldExpr>(b).arg;
    case ExprKind::kFieldTransformer: {
      const auto& x = as<FieldTransformerExpr>(a);
      const auto& y = as<FieldTransformerExpr>(b);
      return x.name == y.name && x.arg == y.arg && all_equal(x.args, y.args);
    }
  }
  return false;
}

}  // namespace saker::rules
