// Generic pre-order traversal of an AST (header-only helper of ast.h).
#pragma once

namespace saker::rules {

template <typename Fn>
void for_each_node(const Expr& e, Fn&& fn) {
  fn(e);
  switch (e.kind()) {
    case ExprKind::kAnd:
      for (auto& c : static_cast<const AndExpr&>(e).children) for_each_node(*c, fn);
      break;
    case ExprKind::kOr:
      for (auto& c : static_cast<const OrExpr&>(e).children) for_each_node(*c, fn);
      break;
    case ExprKind::kNot:
      for_each_node(*static_cast<const NotExpr&>(e).child, fn);
      break;
    case ExprKind::kTransformerList:
      for (auto& c : static_cast<const TransformerListExpr&>(e).children) for_each_node(*c, fn);
      break;
    case ExprKind::kUnaryCheck:
      for_each_node(*static_cast<const UnaryCheckExpr&>(e).left, fn);
      break;
    case ExprKind::kBinaryCheck:
      for_each_node(*static_cast<const BinaryCheckExpr&>(e).left, fn);
      for_each_node(*static_cast<const BinaryCheckExpr&>(e).right, fn);
      break;
    case ExprKind::kFieldTransformer:
      for (auto& c : static_cast<const FieldTransformerExpr&>(e).args) for_each_node(*c, fn);
      break;
    default:
      break;
  }
}

}  // namespace saker::rules
