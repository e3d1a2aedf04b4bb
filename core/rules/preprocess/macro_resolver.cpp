// Macro substitution with loop detection; see macro_resolver.h.
#include "macro_resolver.h"

#include <algorithm>

namespace saker::rules {

namespace {

size_t count_nodes(const Expr& e, size_t limit) {
  size_t n = 1;
  switch (e.kind()) {
    case ExprKind::kAnd:
      for (const auto& c : static_cast<const AndExpr&>(e).children) {
        if (n > limit) break;
        n += count_nodes(*c, limit);
      }
      break;
    case ExprKind::kOr:
      for (const auto& c : static_cast<const OrExpr&>(e).children) {
        if (n > limit) break;
        n += count_nodes(*c, limit);
      }
      break;
    case ExprKind::kNot:
      n += count_nodes(*static_cast<const NotExpr&>(e).child, limit);
      break;
    default:
      break;
  }
  return n;
}

}  // namespace

void MacroResolver::resolve(ExprPtr& root, const std::string& self) {
  std::vector<std::string> stack;
  if (!self.empty()) stack.push_back(self);
  expanded_ = 0;
  resolve_node(root, stack, 0);
}

const Expr* MacroResolver::find(const std::string& name) const {
  auto it = macros_.find(name);
  if (it != macros_.end()) return it->second;
  return lookup_ ? lookup_(name) : nullptr;
}

void MacroResolver::resolve_node(ExprPtr& node, std::vector<std::string>& stack, size_t depth) {
  if (depth > kMaxNestingDepth) {
    throw MacroResolutionError("condition nests more than " + std::to_string(kMaxNestingDepth) +
                               " levels deep after expanding macro '" +
                               (stack.empty() ? std::string("?") : stack.back()) + "'");
  }
  switch (node->kind()) {
    case ExprKind::kAnd:
      for (auto& c : static_cast<AndExpr&>(*node).children) resolve_node(c, stack, depth + 1);
      return;
    case ExprKind::kOr:
      for (auto& c : static_cast<OrExpr&>(*node).children) resolve_node(c, stack, depth + 1);
      return;
    case ExprKind::kNot:
      resolve_node(static_cast<NotExpr&>(*node).child, stack, depth + 1);
      return;
    case ExprKind::kIdentifier:
      break;
    default:
      return;  // checks hold no macro references (identifiers there are values)
  }
  const std::string name = static_cast<IdentifierExpr&>(*node).name;
  const Expr* macro = find(name);
  if (!macro) {
    throw MacroResolutionError("Undefined macro '" + name + "' used in filter.");
  }
  if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
    throw MacroResolutionError("reference loop in macro '" + name + "'");
  }
  // Counted before cloning, so an exponential expansion stops at the budget.
  expanded_ += count_nodes(*macro, kMaxExpandedNodes);
  if (expanded_ > kMaxExpandedNodes) {
    throw MacroResolutionError("condition grows past " + std::to_string(kMaxExpandedNodes) +
                               " nodes when expanding macro '" + name +
                               "' (macros referring to others many times over)");
  }
  ExprPtr expansion = macro->clone();
  stack.push_back(name);
  resolve_node(expansion, stack, depth);
  stack.pop_back();
  used_.insert(name);
  node = std::move(expansion);
}

}  // namespace saker::rules
