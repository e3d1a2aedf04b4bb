// Macro resolution on condition ASTs (RULE-LANGUAGE.md §1.6): every Identifier node is
// replaced by a clone of the referenced macro's AST — so a macro behaves like a
// parenthesised sub-expression — recursively, with reference-loop detection.
//
// A resolver borrows the macro ASTs given to define() (or found through its lookup); they
// must outlive resolve() calls. Not thread-safe.
//
// Bounds (hostile rules files): one resolve() expands at most kMaxExpandedNodes nodes (a
// chain of macros each using the previous one twice doubles at every step) and nests at
// most kMaxNestingDepth levels; past either it throws, naming the macro being expanded.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/syntax/ast.h"

namespace saker::rules {

// Thrown by MacroResolver::resolve with Falco's message:
// "Undefined macro '<name>' used in filter." or "reference loop in macro '<name>'".
class MacroResolutionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MacroResolver {
 public:
  static constexpr size_t kMaxExpandedNodes = 200000;
  static constexpr size_t kMaxNestingDepth = 1000;

  // How names are found when no define() was made: the AST a name means, or nullptr.
  using Lookup = std::function<const Expr*(const std::string&)>;

  MacroResolver() = default;
  explicit MacroResolver(Lookup lookup) : lookup_(std::move(lookup)) {}

  // Makes `name` resolvable to `ast` (borrowed). A later define() of the same name wins.
  void define(const std::string& name, const Expr* ast) { macros_[name] = ast; }
  void clear() { macros_.clear(); }

  // Substitutes macro references in `root` in place. Throws MacroResolutionError at the first
  // undefined macro or loop. Names of the macros substituted are added to used().
  // `self` names the macro being resolved (empty for a rule), so a macro reaching itself
  // is reported as a loop on its own name.
  void resolve(ExprPtr& root, const std::string& self = "");
  const std::set<std::string>& used() const { return used_; }

 private:
  void resolve_node(ExprPtr& node, std::vector<std::string>& stack, size_t depth);
  const Expr* find(const std::string& name) const;

  Lookup lookup_;
  std::map<std::string, const Expr*> macros_;
  size_t expanded_ = 0;  // nodes cloned by the current resolve()
  std::set<std::string> used_;
};

}  // namespace saker::rules
