// Event-type inference; see evttype.h.
#include "evttype.h"

#include <algorithm>
#include <set>

#include "compiler.h"

namespace saker::rules {
namespace {

// A set of codes, 64 per word (bits past the last code are never read). A rule's
// condition, macros expanded, has hundreds of nodes and a source hundreds of codes: word
// operations, and the few names an evt.type check gives looked up among the codes (rather
// than every code's name looked up among them), keep this a small part of compiling a rule.
using Set = std::vector<uint64_t>;

class Inference {
 public:
  explicit Inference(const std::vector<std::string>& names)
      : names_(names), words_((names.size() + 63) / 64) {}
  Set infer(const Expr& e, bool negated) const;
  std::vector<bool> to_codes(const Set& s) const {
    std::vector<bool> out(names_.size());
    for (size_t i = 0; i < out.size(); ++i) out[i] = (s[i / 64] >> (i % 64)) & 1;
    return out;
  }

 private:
  Set all_of(bool v) const { return Set(words_, v ? ~uint64_t{0} : 0); }
  static void complement(Set& s) {
    for (uint64_t& w : s) w = ~w;
  }
  Set leaf_binary(const BinaryCheckExpr& c, bool negated) const;

  const std::vector<std::string>& names_;
  size_t words_;
};

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

Set Inference::leaf_binary(const BinaryCheckExpr& c, bool negated) const {
  if (plain_field(*c.left, "evt.type", "syscall.type")) {
    if (c.right->kind() == ExprKind::kFieldTransformer) {
      throw CompileError(
          "right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported "
          "by event code search");
    }
    if (c.op == "=" || c.op == "==" || c.op == "!=" || c.op == "in") {
      Set s = all_of(false);
      // A few values against the names: a scan beats building an index for every rule.
      for (const std::string& v : rhs_values(*c.right)) {
        for (size_t code = 0; code < names_.size(); ++code) {
          if (names_[code] == v) s[code / 64] |= uint64_t{1} << (code % 64);
        }
      }
      if (c.op == "!=") complement(s);
      if (negated) complement(s);
      return s;
    }
  } else if (c.left->kind() == ExprKind::kFieldTransformer && mentions_event_type(*c.left)) {
    throw CompileError("event code search does not support `evt.type` checks with transformers");
  }
  if (auto inv = evt_num_invariant(c)) return all_of(*inv != negated);
  return all_of(true);
}

Set Inference::infer(const Expr& e, bool negated) const {
  switch (e.kind()) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const auto& kids = e.kind() == ExprKind::kAnd ? static_cast<const AndExpr&>(e).children
                                                    : static_cast<const OrExpr&>(e).children;
      const bool intersect = (e.kind() == ExprKind::kAnd) != negated;
      Set out = all_of(intersect);
      for (const auto& k : kids) {
        const Set part = infer(*k, negated);
        for (size_t i = 0; i < words_; ++i) {
          out[i] = intersect ? (out[i] & part[i]) : (out[i] | part[i]);
        }
      }
      return out;
    }
    case ExprKind::kNot:
      return infer(*static_cast<const NotExpr&>(e).child, !negated);
    case ExprKind::kUnaryCheck: {
      const auto& u = static_cast<const UnaryCheckExpr&>(e);
      if (plain_field(*u.left, "evt.type", "syscall.type")) return all_of(!negated);
      return all_of(true);
    }
    case ExprKind::kBinaryCheck:
      return leaf_binary(static_cast<const BinaryCheckExpr&>(e), negated);
    default:
      return all_of(true);
  }
}

}  // namespace

std::vector<bool> infer_event_types(const Expr& ast, const std::vector<std::string>& names) {
  const Inference inference(names);
  return inference.to_codes(inference.infer(ast, false));
}

size_t count_event_names(const std::vector<bool>& codes, const std::vector<std::string>& names) {
  std::set<std::string> seen;
  for (size_t i = 0; i < codes.size() && i < names.size(); ++i) {
    if (codes[i]) seen.insert(names[i]);
  }
  return seen.size();
}

}  // namespace saker::rules
