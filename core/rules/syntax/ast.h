// Abstract syntax tree of a rule condition (RULE-LANGUAGE.md §2.6).
//
// The parser produces these nodes; macro resolution replaces Identifier nodes with clones
// of macro ASTs; the compiler (next stage) walks the tree with an ExprVisitor and resolves
// Field / FieldTransformer nodes against the plugins' field tables. Every node records the
// position where its text starts in the condition string. Nodes own their children through
// unique_ptr; a tree is a value: copy it with clone(). Structural equality ignores positions.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lexer.h"

namespace saker::rules {

enum class ExprKind {
  kAnd,
  kOr,
  kNot,
  kIdentifier,       // a macro reference (only before macro resolution)
  kValue,            // a constant string
  kList,             // a list literal of constant strings: (a, "b c")
  kTransformerList,  // a list argument of a transformer: (proc.name, "x")
  kUnaryCheck,       // <field-or-transformer> exists
  kBinaryCheck,      // <field-or-transformer> <op> <rhs>
  kField,            // name[arg]
  kFieldTransformer  // name(args...)[arg], including val(field)
};

class ExprVisitor;
class Expr;
using ExprPtr = std::unique_ptr<Expr>;

class Expr {
 public:
  Expr(ExprKind kind, Pos pos) : kind_(kind), pos_(pos) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  ExprKind kind() const { return kind_; }
  Pos pos() const { return pos_; }
  virtual ExprPtr clone() const = 0;
  virtual void accept(ExprVisitor& v) const = 0;

 private:
  ExprKind kind_;
  Pos pos_;
};

// n-ary and / or (flattened by the parser: `a and b and c` has three children).
struct AndExpr : Expr {
  AndExpr(Pos p, std::vector<ExprPtr> c) : Expr(ExprKind::kAnd, p), children(std::move(c)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::vector<ExprPtr> children;
};

struct OrExpr : Expr {
  OrExpr(Pos p, std::vector<ExprPtr> c) : Expr(ExprKind::kOr, p), children(std::move(c)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::vector<ExprPtr> children;
};

struct NotExpr : Expr {
  NotExpr(Pos p, ExprPtr c) : Expr(ExprKind::kNot, p), child(std::move(c)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  ExprPtr child;
};

struct IdentifierExpr : Expr {
  IdentifierExpr(Pos p, std::string n) : Expr(ExprKind::kIdentifier, p), name(std::move(n)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::string name;
};

struct ValueExpr : Expr {
  ValueExpr(Pos p, std::string v) : Expr(ExprKind::kValue, p), value(std::move(v)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::string value;
};

struct ListExpr : Expr {
  ListExpr(Pos p, std::vector<std::string> v) : Expr(ExprKind::kList, p), values(std::move(v)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::vector<std::string> values;
};

struct TransformerListExpr : Expr {
  TransformerListExpr(Pos p, std::vector<ExprPtr> c)
      : Expr(ExprKind::kTransformerList, p), children(std::move(c)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::vector<ExprPtr> children;
};

// `op` is the trimmed operator, e.g. "exists".
struct UnaryCheckExpr : Expr {
  UnaryCheckExpr(Pos p, ExprPtr l, std::string o)
      : Expr(ExprKind::kUnaryCheck, p), left(std::move(l)), op(std::move(o)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  ExprPtr left;  // FieldExpr or FieldTransformerExpr
  std::string op;
};

// `op` is the trimmed operator; a modifier is joined with one space ("startswith oneof").
// `right` is a ValueExpr, ListExpr or a FieldTransformerExpr (val()/transformer RHS).
struct BinaryCheckExpr : Expr {
  BinaryCheckExpr(Pos p, ExprPtr l, std::string o, ExprPtr r)
      : Expr(ExprKind::kBinaryCheck, p),
        left(std::move(l)),
        op(std::move(o)),
        right(std::move(r)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  ExprPtr left;
  std::string op;
  ExprPtr right;
};

// A field reference; `arg` is absent for `proc.name`, present (maybe empty) for `x[""]`.
struct FieldExpr : Expr {
  FieldExpr(Pos p, std::string n, std::optional<std::string> a)
      : Expr(ExprKind::kField, p), name(std::move(n)), arg(std::move(a)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::string name;
  std::optional<std::string> arg;
};

// tolower(x), val(x), join(",", (a, b)), getopt(x, "ab:")[b], ... Arguments are FieldExpr,
// FieldTransformerExpr, ValueExpr (quoted strings, numbers) or TransformerListExpr.
struct FieldTransformerExpr : Expr {
  FieldTransformerExpr(Pos p, std::string n, std::vector<ExprPtr> a, std::optional<std::string> g)
      : Expr(ExprKind::kFieldTransformer, p),
        name(std::move(n)),
        args(std::move(a)),
        arg(std::move(g)) {}
  ExprPtr clone() const override;
  void accept(ExprVisitor& v) const override;
  std::string name;
  std::vector<ExprPtr> args;
  std::optional<std::string> arg;
};

// Double dispatch for walkers (compiler, printers, warning passes). Default: do nothing.
class ExprVisitor {
 public:
  virtual ~ExprVisitor() = default;
  virtual void visit(const AndExpr&) {}
  virtual void visit(const OrExpr&) {}
  virtual void visit(const NotExpr&) {}
  virtual void visit(const IdentifierExpr&) {}
  virtual void visit(const ValueExpr&) {}
  virtual void visit(const ListExpr&) {}
  virtual void visit(const TransformerListExpr&) {}
  virtual void visit(const UnaryCheckExpr&) {}
  virtual void visit(const BinaryCheckExpr&) {}
  virtual void visit(const FieldExpr&) {}
  virtual void visit(const FieldTransformerExpr&) {}
};

// Structural equality, positions ignored.
bool equals(const Expr& a, const Expr& b);

// Canonical text ("normal form", Falco's as_string): `(a and b)`, `not x`, `f in (a, "b c")`.
std::string as_string(const Expr& e);
// Falco's escape_str: quotes and escapes `s` if it holds blanks, '=', quotes, '\' or NUL.
std::string escape_str(const std::string& s);
// Compact JSON encoding (parser_cases' ast_json): {"and":[...]}, {"field":"a","arg":"x"}, ...
std::string to_json(const Expr& e);

// Calls `fn` on every node in pre-order (node before its children).
template <typename Fn>
void for_each_node(const Expr& e, Fn&& fn);

}  // namespace saker::rules

#include "ast_walk.h"
