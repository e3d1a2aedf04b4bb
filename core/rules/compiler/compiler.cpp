// Condition compilation: tree shape, checks and their constants; see compiler.h.
// Operands (fields, transformers) are in compiler_operand.cpp.
#include "compiler.h"

#include <algorithm>

#include "evaluator.h"
#include "transformers.h"

namespace saker::rules {
namespace {

bool is_event_type_field(const Expr& e) {
  if (e.kind() != ExprKind::kField) return false;
  const auto& f = static_cast<const FieldExpr&>(e);
  return !f.arg && (f.name == "evt.type" || f.name == "syscall.type");
}

void add_unique(std::vector<uint32_t>& v, uint32_t x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

void operand_slots(const Operand& o, std::vector<uint32_t>& out) { add_unique(out, o.slot); }

}  // namespace

std::vector<std::string> rhs_values(const Expr& rhs) {
  if (rhs.kind() == ExprKind::kValue) return {static_cast<const ValueExpr&>(rhs).value};
  if (rhs.kind() == ExprKind::kList) return static_cast<const ListExpr&>(rhs).values;
  return {};
}

CompiledExpr ConditionCompiler::compile(const Expr& ast) {
  out_ = CompiledExpr{};
  out_.ast = ast.clone();
  out_.root = compile_node(*out_.ast);
  for (Check& c : out_.checks) resolve_kind(c);
  out_.program = specialize(out_, -1);
  collect_slots();
  return std::move(out_);
}

uint32_t ConditionCompiler::compile_node(const Expr& e) {
  Node n;
  n.ast = &e;
  switch (e.kind()) {
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const auto& kids = e.kind() == ExprKind::kAnd ? static_cast<const AndExpr&>(e).children
                                                    : static_cast<const OrExpr&>(e).children;
      n.kind = e.kind() == ExprKind::kAnd ? Node::Kind::kAnd : Node::Kind::kOr;
      for (const auto& k : kids) n.children.push_back(compile_node(*k));
      break;
    }
    case ExprKind::kNot:
      n.kind = Node::Kind::kNot;
      n.children.push_back(compile_node(*static_cast<const NotExpr&>(e).child));
      break;
    case ExprKind::kUnaryCheck:
      return add_check(compile_unary(static_cast<const UnaryCheckExpr&>(e)), e);
    case ExprKind::kBinaryCheck:
      return add_check(compile_binary(static_cast<const BinaryCheckExpr&>(e)), e);
    case ExprKind::kIdentifier:
      throw CompileError("Undefined macro '" + static_cast<const IdentifierExpr&>(e).name +
                         "' used in filter.");
    default:
      throw CompileError("unexpected expression in condition: " + as_string(e));
  }
  out_.nodes.push_back(std::move(n));
  return static_cast<uint32_t>(out_.nodes.size() - 1);
}

uint32_t ConditionCompiler::add_check(Check c, const Expr& e) {
  out_.checks.push_back(std::move(c));
  Node n;
  n.kind = Node::Kind::kCheck;
  n.check = static_cast<uint32_t>(out_.checks.size() - 1);
  n.ast = &e;
  out_.nodes.push_back(std::move(n));
  return static_cast<uint32_t>(out_.nodes.size() - 1);
}

Check ConditionCompiler::compile_unary(const UnaryCheckExpr& e) {
  auto op = parse_op(e.op);
  if (!op || op->op != Op::kExists) throw CompileError("unknown unary operator '" + e.op + "'");
  Check c;
  c.left = compile_operand(*e.left);
  c.op = Op::kExists;
  return c;
}

Check ConditionCompiler::compile_binary(const BinaryCheckExpr& e) {
  auto op = parse_op(e.op);
  if (!op || op->op == Op::kExists) throw CompileError("unknown operator '" + e.op + "'");
  Check c;
  c.op = op->op;
  c.modifier = op->modifier;
  if (is_event_type_field(*e.left) && names_ != nullptr &&
      registry_.find(source_, static_cast<const FieldExpr&>(*e.left).name) == nullptr) {
    return compile_core_event_type(c, e);
  }
  c.left = compile_operand(*e.left);
  std::string err = check_operator(c.op, c.modifier, c.left.type, c.left.is_list);
  if (!err.empty()) throw CompileError("filter error: " + err);
  if (e.right->kind() == ExprKind::kFieldTransformer) {
    if (is_event_type_field(*e.left)) {
      throw CompileError(
          "right-hand field comparisons on `evt.type`/`syscall.type` checks are not supported "
          "by event code search");
    }
    compile_rhs_field(c, static_cast<const FieldTransformerExpr&>(*e.right));
    return c;
  }
  std::vector<std::string> values = rhs_values(*e.right);
  if (!takes_list(c.op, c.modifier) && values.size() != 1) {
    throw CompileError("filter error: '" + e.op + "' operator expects a single value");
  }
  if (is_event_type_field(*e.left) && names_ != nullptr) {
    compile_event_type(c, values);
  } else if (e.left->kind() == ExprKind::kFieldTransformer &&
             is_event_type_field(*static_cast<const FieldTransformerExpr&>(*e.left).args[0])) {
    throw CompileError("event code search does not support `evt.type` checks with transformers");
  }
  compile_constants(c, values);
  for (const auto& v : values) warn_constant(c, v);
  return c;
}

// `evt.type` on a source whose plugins do not declare the field: the event's type code is
// all there is to compare, so only the type-code checks exist.
Check ConditionCompiler::compile_core_event_type(Check& c, const BinaryCheckExpr& e) {
  const auto& f = static_cast<const FieldExpr&>(*e.left);
  if (c.modifier != Modifier::kNone || e.right->kind() == ExprKind::kFieldTransformer ||
      !(c.op == Op::kEq || c.op == Op::kNe || c.op == Op::kIn || c.op == Op::kIntersects)) {
    throw CompileError(std::string("filter error: '") + op_name(c.op) + "' is not supported on " +
                       f.name + " for source " + source_);
  }
  c.left.text = f.name;
  compile_event_type(c, rhs_values(*e.right));
  return std::move(c);
}

void ConditionCompiler::compile_event_type(Check& c, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (std::find(names_->begin(), names_->end(), v) == names_->end()) {
      throw CompileError("unknown event type " + v);
    }
  }
  if (c.left.transformers.empty() && c.modifier == Modifier::kNone &&
      (c.op == Op::kEq || c.op == Op::kNe || c.op == Op::kIn || c.op == Op::kIntersects)) {
    c.by_event_type = true;
    c.type_codes.assign(names_->size(), false);
    for (size_t code = 0; code < names_->size(); ++code) {
      c.type_codes[code] = std::find(values.begin(), values.end(), (*names_)[code]) != values.end();
    }
  }
}

void ConditionCompiler::compile_constants(Check& c, const std::vector<std::string>& values) {
  const saker_field_type t = c.left.type;
  for (const auto& v : values) {
    if (is_numeric_type(t)) {
      c.nums.push_back(parse_number(v, t));
    } else if (t == SAKER_FIELD_BOOL) {
      c.nums.push_back(parse_bool(v));
    } else if (is_ip_type(t)) {
      c.ips.push_back(parse_ip(v));
    } else if (c.op == Op::kBContains || c.op == Op::kBStartsWith) {
      c.strs.push_back(parse_hex(v));
    } else {
      if (t != SAKER_FIELD_BYTES) check_string_value(v);
      c.strs.push_back(v);
    }
  }
  if (c.op == Op::kIn || c.op == Op::kIntersects) c.set.build({c.strs.data(), c.strs.size()});
  if (c.op == Op::kPmatch) {
    c.trie = std::make_unique<PathTrie>();
    for (const auto& v : c.strs) c.trie->add(v);
  }
  if (c.op == Op::kRegex) {
    RE2::Options o;
    o.set_posix_syntax(true);
    o.set_longest_match(true);
    o.set_log_errors(false);
    for (const auto& v : c.strs) {
      auto re = std::make_unique<RE2>(v, o);
      if (!re->ok()) throw CompileError("invalid regex pattern: " + re->error());
      c.res.push_back(std::move(re));
    }
  }
}

void ConditionCompiler::compile_rhs_field(Check& c, const FieldTransformerExpr& rhs) {
  if (c.op == Op::kPmatch || c.op == Op::kRegex) {
    throw CompileError(std::string("filter error: '") + op_name(c.op) +
                       "' operator does not support a field on the right-hand side");
  }
  if (rhs.name == "val") {
    if (rhs.arg)
      throw CompileError("filter error: transformer 'val' does not support field arguments");
    c.right = compile_operand(*rhs.args.at(0));
  } else {
    c.right = compile_operand(rhs);
  }
  c.rhs_is_field = true;
  if (c.left.type == SAKER_FIELD_IPNET || c.right.type == SAKER_FIELD_IPNET) {
    throw CompileError("filter error: network fields cannot be compared with another field");
  }
  if (c.left.type != c.right.type || c.left.is_list != c.right.is_list) {
    throw CompileError("field '" + c.left.text + "' has type '" +
                       core::field_type_name(c.left.type) + (c.left.is_list ? " (list)" : "") +
                       "' while the right-hand side field '" + c.right.text +
                       "' has incompatible type '" + core::field_type_name(c.right.type) +
                       (c.right.is_list ? " (list)" : "") + "'");
  }
}

// Slots every evaluation reads (left spine, skipping the evt.type bitmap checks) and all.
void ConditionCompiler::collect_slots() {
  for (const auto& c : out_.checks) {
    if (!c.by_event_type) operand_slots(c.left, out_.slots);
    if (c.rhs_is_field) operand_slots(c.right, out_.slots);
  }
  uint32_t n = out_.root;
  while (true) {
    const Node& node = out_.nodes[n];
    if (node.kind == Node::Kind::kCheck) {
      const Check& c = out_.checks[node.check];
      if (!c.by_event_type) operand_slots(c.left, out_.certain_slots);
      return;
    }
    if (node.kind == Node::Kind::kNot || node.kind == Node::Kind::kOr) {
      n = node.children[0];
      continue;
    }
    // and: the first child that is not an evt.type bitmap check
    uint32_t next = node.children[0];
    for (uint32_t k : node.children) {
      const Node& kn = out_.nodes[k];
      next = k;
      if (kn.kind != Node::Kind::kCheck || !out_.checks[kn.check].by_event_type) break;
    }
    n = next;
  }
}

}  // namespace saker::rules
