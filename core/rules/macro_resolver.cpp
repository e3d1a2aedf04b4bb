// Macro substitution with loop detection; see macro_resolver.h.
#include "macro_resolver.h"

#include <algorithm>

namespace saker::rules {

void MacroResolver::resolve(ExprPtr& root, const std::string& self) {
  std::vector<std::string> stack;
  if (!self.empty()) stack.push_back(self);
  resolve_node(root, stack);
}

void MacroResolver::resolve_node(ExprPtr& node, std::vector<std::string>& stack) {
  switch (node->kind()) {
    case ExprKind::kAnd:
      for (auto& c : static_cast<AndExpr&>(*node).children) resolve_node(c, stack);
      return;
    case ExprKind::kOr:
      for (auto& c : static_cast<OrExpr&>(*node).children) resolve_node(c, stack);
      return;
    case ExprKind::kNot:
      resolve_node(static_cast<NotExpr&>(*node).child, stack);
      return;
    case ExprKind::kIdentifier:
      break;
    default:
      return;  // checks hold no macro references (identifiers there are values)
  }
  const std::string name = static_cast<IdentifierExpr&>(*node).name;
  auto it = macros_.find(name);
  if (it == macros_.end()) {
    throw MacroResolutionError("Undefined macro '" + name + "' used in filter.");
  }
  if (std::find(stack.begin(), stack.end(), name) != stack.end()) {
    throw MacroResolutionError("reference loop in macro '" + name + "'");
  }
  ExprPtr expansion = it->second->clone();
  stack.push_back(name);
  resolve_node(expansion, stack);
  stack.pop_back();
  used_.insert(name);
  node = std::move(expansion);
}

}  // namespace saker::rules
