// Evaluation of compiled conditions; see evaluator.h.
#include "evaluator.h"

#include <cstring>

#include "short_compare.h"
#include "transformers.h"
#include "values.h"

namespace saker::rules {
namespace {

using core::FieldValue;

// `a op b` for the ordering operators (anything else is equality).
template <typename T>
bool compare_ordered(Op op, T a, T b) noexcept {
  switch (op) {
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    case Op::kNe:
      return a != b;
    default:
      return a == b;
  }
}

bool compare_numbers(Op op, saker_field_type t, uint64_t a, uint64_t b) noexcept {
  if (t == SAKER_FIELD_S64) {
    return compare_ordered(op, static_cast<int64_t>(a), static_cast<int64_t>(b));
  }
  return compare_ordered(op, a, b);
}

// `a op b` for the string operators. `b` is NUL-terminated (a constant, or a STRING
// field's view), which glob needs as its pattern, and so is `a` when it is a STRING.
// `re`: the compiled constant for regex (right-hand fields do not take regex).
bool compare_strings(Op op, std::string_view a, std::string_view b, const RE2* re) noexcept {
  switch (op) {
    case Op::kEq:
      return a == b;
    case Op::kNe:
      return a != b;
    case Op::kLt:
      return a < b;
    case Op::kLe:
      return a <= b;
    case Op::kGt:
      return a > b;
    case Op::kGe:
      return a >= b;
    case Op::kContains:
    case Op::kBContains:
      return str_contains(a, b);
    case Op::kIContains:
      return icontains(a, b);
    case Op::kStartsWith:
    case Op::kBStartsWith:
      return str_starts_with(a, b);
    case Op::kEndsWith:
      return str_ends_with(a, b);
    case Op::kGlob:
      return glob_match(b.data(), a.data(), false);
    case Op::kIGlob:
      return glob_match(b.data(), a.data(), true);
    case Op::kRegex:
      return re != nullptr && RE2::FullMatch(re2::StringPiece(a.data(), a.size()), *re);
    default:
      return false;
  }
}

// `left value i` op `constant k`.
bool compare_const(const Check& c, Op op, const FieldValue& v, uint32_t i, size_t k) noexcept {
  const saker_field_type t = c.left.type;
  if (is_numeric_type(t) || t == SAKER_FIELD_BOOL) {
    return compare_numbers(op, t, v.nums[i], c.nums[k]);
  }
  if (is_ip_type(t)) {
    bool m = ip_matches(v.str(i), c.ips[k]);
    return op == Op::kNe ? !m : m;
  }
  return compare_strings(op, v.str(i), c.strs[k], op == Op::kRegex ? c.res[k].get() : nullptr);
}

size_t num_constants(const Check& c) {
  if (!c.ips.empty()) return c.ips.size();
  return c.nums.empty() ? c.strs.size() : c.nums.size();
}

bool in_constants(const Check& c, const FieldValue& v, uint32_t i) noexcept {
  if (is_string_type(c.left.type) || c.left.type == SAKER_FIELD_BYTES) {
    return c.set.contains(v.str(i));
  }
  const size_t n = num_constants(c);
  for (size_t k = 0; k < n; ++k) {
    if (compare_const(c, Op::kEq, v, i, k)) return true;
  }
  return false;
}

bool with_modifier(const Check& c, const FieldValue& v) noexcept {
  const size_t n = num_constants(c);
  size_t hits = 0;
  for (size_t k = 0; k < n; ++k) hits += compare_const(c, c.op, v, 0, k) ? 1 : 0;
  switch (c.modifier) {
    case Modifier::kOneOf:
      return hits == 1;
    case Modifier::kAnyOf:
      return hits >= 1;
    default:
      return n > 0 && hits == n;
  }
}

bool eval_constant(const Check& c, const FieldValue& v) noexcept {
  switch (c.op) {
    case Op::kIn:
      for (uint32_t i = 0; i < v.count; ++i) {
        if (!in_constants(c, v, i)) return false;
      }
      return true;
    case Op::kIntersects:
      for (uint32_t i = 0; i < v.count; ++i) {
        if (in_constants(c, v, i)) return true;
      }
      return false;
    case Op::kPmatch:
      return c.trie->matches(v.str(0));
    default:
      break;
  }
  if (c.modifier != Modifier::kNone) return with_modifier(c, v);
  return compare_const(c, c.op, v, 0, 0);
}

bool equal_values(saker_field_type t, const FieldValue& a, uint32_t i, const FieldValue& b,
                  uint32_t j) noexcept {
  if (is_numeric_type(t) || t == SAKER_FIELD_BOOL) return a.nums[i] == b.nums[j];
  return a.str(i) == b.str(j);
}

bool in_values(saker_field_type t, const FieldValue& a, uint32_t i, const FieldValue& r) {
  for (uint32_t j = 0; j < r.count; ++j) {
    if (equal_values(t, a, i, r, j)) return true;
  }
  return false;
}

// Field-to-field: `x op val(y)` / `x op tolower(y)`.
bool eval_field_rhs(const Check& c, const FieldValue& v, const FieldValue& r) noexcept {
  const saker_field_type t = c.left.type;
  if (c.op == Op::kIn || c.op == Op::kIntersects) {
    bool all = true, any = false;
    for (uint32_t i = 0; i < v.count; ++i) {
      bool in = in_values(t, v, i, r);
      all = all && in;
      any = any || in;
    }
    return c.op == Op::kIn ? all : any;
  }
  if (is_numeric_type(t) || t == SAKER_FIELD_BOOL) {
    return compare_numbers(c.op, t, v.nums[0], r.nums[0]);
  }
  return compare_strings(c.op, v.str(0), r.str(0), nullptr);
}

}  // namespace

const FieldValue& operand_value(const Operand& o, core::EventContext& ctx,
                                EvalScratch& scratch) noexcept {
  const FieldValue* v = &ctx.get(o.slot);
  if (o.transformers.empty()) [[likely]]
    return *v;
  bool list = o.field_is_list;
  for (size_t k = 0; k < o.transformers.size(); ++k) {
    FieldValue* out = &scratch.bufs[o.scratch + k];
    apply_transformer(o.transformers[k], *v, list, out);
    list = list && o.transformers[k] != TransformerKind::kLen;
    v = out;
  }
  return *v;
}

namespace {

// The general path: transformers, field-to-field, modifiers, every type and operator.
[[gnu::noinline]] bool evaluate_generic(const Check& c, core::EventContext& ctx,
                                        EvalScratch& scratch) noexcept {
  const FieldValue& v = operand_value(c.left, ctx, scratch);
  if (c.op == Op::kExists) return v.count > 0;
  if (v.count == 0) return false;
  if (!c.rhs_is_field) return eval_constant(c, v);
  const FieldValue& r = operand_value(c.right, ctx, scratch);
  if (r.count == 0) return false;
  return eval_field_rhs(c, v, r);
}

bool all_in_set(const Check& c, const FieldValue& v) noexcept {
  for (uint32_t i = 0; i < v.count; ++i) {
    if (!c.set.contains(v.str(i))) return false;
  }
  return true;
}

}  // namespace

void resolve_kind(Check& c) {
  c.kind = CheckKind::kGeneric;
  if (c.by_event_type) {
    c.kind = CheckKind::kEventType;
    return;
  }
  if (!c.left.transformers.empty() || c.rhs_is_field || c.modifier != Modifier::kNone) return;
  if (c.op == Op::kExists) {
    c.kind = CheckKind::kExists;
    return;
  }
  const saker_field_type t = c.left.type;
  const bool unsigned_num = t == SAKER_FIELD_U64 || t == SAKER_FIELD_RELTIME ||
                            t == SAKER_FIELD_ABSTIME || t == SAKER_FIELD_BOOL;
  const bool is_signed = t == SAKER_FIELD_S64;
  if ((unsigned_num || is_signed) && c.nums.size() == 1) {
    switch (c.op) {
      case Op::kEq:
        c.kind = CheckKind::kNumEq;  // the same bits either way
        break;
      case Op::kNe:
        c.kind = CheckKind::kNumNe;
        break;
      case Op::kLt:
        c.kind = is_signed ? CheckKind::kSNumLt : CheckKind::kNumLt;
        break;
      case Op::kLe:
        c.kind = is_signed ? CheckKind::kSNumLe : CheckKind::kNumLe;
        break;
      case Op::kGt:
        c.kind = is_signed ? CheckKind::kSNumGt : CheckKind::kNumGt;
        break;
      case Op::kGe:
        c.kind = is_signed ? CheckKind::kSNumGe : CheckKind::kNumGe;
        break;
      default:
        break;
    }
    return;
  }
  if (t != SAKER_FIELD_STRING) return;
  if (c.op == Op::kIn) {
    c.kind = CheckKind::kStrIn;
  } else if (c.op == Op::kPmatch && c.trie) {
    c.kind = CheckKind::kPmatch;
  } else if (c.strs.size() == 1) {
    switch (c.op) {
      case Op::kEq:
        c.kind = CheckKind::kStrEq;
        break;
      case Op::kNe:
        c.kind = CheckKind::kStrNe;
        break;
      case Op::kContains:
        c.kind = CheckKind::kStrContains;
        break;
      case Op::kStartsWith:
        c.kind = CheckKind::kStrStartsWith;
        break;
      case Op::kEndsWith:
        c.kind = CheckKind::kStrEndsWith;
        break;
      default:
        break;
    }
  }
}

namespace {

// The body of evaluate_check, inlined into the evaluation loops.
[[gnu::always_inline]] inline bool check_value(const Check& c, core::EventContext& ctx,
                                               EvalScratch& scratch) noexcept {
  switch (c.kind) {
    case CheckKind::kGeneric:
      return evaluate_generic(c, ctx, scratch);
    case CheckKind::kEventType: {
      const uint16_t type = ctx.event()->type;
      const bool m = type < c.type_codes.size() && c.type_codes[type];
      return c.op == Op::kNe ? !m : m;
    }
    default:
      break;
  }
  // One field, no transformer, one comparison decided at compile time.
  const FieldValue& v = ctx.get(c.left.slot);
  if (c.kind == CheckKind::kExists) return v.count > 0;
  if (v.count == 0) return false;
  switch (c.kind) {
    case CheckKind::kNumEq:
      return v.nums[0] == c.nums[0];
    case CheckKind::kNumNe:
      return v.nums[0] != c.nums[0];
    case CheckKind::kNumLt:
      return v.nums[0] < c.nums[0];
    case CheckKind::kNumLe:
      return v.nums[0] <= c.nums[0];
    case CheckKind::kNumGt:
      return v.nums[0] > c.nums[0];
    case CheckKind::kNumGe:
      return v.nums[0] >= c.nums[0];
    case CheckKind::kSNumLt:
      return static_cast<int64_t>(v.nums[0]) < static_cast<int64_t>(c.nums[0]);
    case CheckKind::kSNumLe:
      return static_cast<int64_t>(v.nums[0]) <= static_cast<int64_t>(c.nums[0]);
    case CheckKind::kSNumGt:
      return static_cast<int64_t>(v.nums[0]) > static_cast<int64_t>(c.nums[0]);
    case CheckKind::kSNumGe:
      return static_cast<int64_t>(v.nums[0]) >= static_cast<int64_t>(c.nums[0]);
    case CheckKind::kStrEq:
      return str_equal(v.str(0), c.strs[0]);
    case CheckKind::kStrNe:
      return !str_equal(v.str(0), c.strs[0]);
    case CheckKind::kStrContains:
      return str_contains(v.str(0), c.strs[0]);
    case CheckKind::kStrStartsWith:
      return str_starts_with(v.str(0), c.strs[0]);
    case CheckKind::kStrEndsWith:
      return str_ends_with(v.str(0), c.strs[0]);
    case CheckKind::kStrIn:
      return all_in_set(c, v);
    case CheckKind::kPmatch:
      return c.trie->matches(v.str(0));
    default:
      return false;
  }
}

}  // namespace

bool evaluate_check(const Check& c, core::EventContext& ctx, EvalScratch& scratch) noexcept {
  return check_value(c, ctx, scratch);
}

namespace {

bool run_node(const Program& p, const Check* checks, uint32_t n, core::EventContext& ctx,
              EvalScratch& scratch) noexcept;

// A check, through the per-event cache when it is shared (`shared`: its shared-check id,
// 0 when not shared; see Program).
[[gnu::always_inline]] inline bool cached_check(const Check& c, uint32_t shared,
                                                core::EventContext& ctx,
                                                EvalScratch& scratch) noexcept {
  if (shared == 0 || scratch.cache == nullptr) return check_value(c, ctx, scratch);
  uint64_t& slot = scratch.cache[shared];
  if ((slot >> 1) == scratch.stamp) return slot & 1;
  const bool v = check_value(c, ctx, scratch);
  slot = (scratch.stamp << 1) | (v ? 1 : 0);
  return v;
}

// A check node; `count` holds its shared-check id.
inline bool check_node(const FlatNode& k, const Check* checks, core::EventContext& ctx,
                       EvalScratch& scratch) noexcept {
  return cached_check(checks[k.arg], k.count, ctx, scratch);
}

bool run_node(const Program& p, const Check* checks, uint32_t n, core::EventContext& ctx,
              EvalScratch& scratch) noexcept {
  const FlatNode& node = p.nodes[n];
  switch (node.kind) {
    case Node::Kind::kAnd:
    case Node::Kind::kOr: {
      // and stops at the first false child, or at the first true one. Check children
      // (most of them) are evaluated in place rather than through a recursive call.
      const bool stop = node.kind == Node::Kind::kOr;
      const uint32_t* c = p.children.data() + node.arg;
      for (uint32_t i = 0; i < node.count; ++i) {
        const FlatNode& k = p.nodes[c[i]];
        const bool v = k.kind == Node::Kind::kCheck ? check_node(k, checks, ctx, scratch)
                                                    : run_node(p, checks, c[i], ctx, scratch);
        if (v == stop) return stop;
      }
      return !stop;
    }
    case Node::Kind::kNot:
      return !run_node(p, checks, p.children[node.arg], ctx, scratch);
    case Node::Kind::kCheck:
      return check_node(node, checks, ctx, scratch);
    case Node::Kind::kConst:
      return node.arg != 0;
  }
  return false;
}

uint32_t push(Program& p, Node::Kind kind, uint32_t count, uint32_t arg) {
  p.nodes.push_back({kind, count, arg});
  return static_cast<uint32_t>(p.nodes.size() - 1);
}

bool const_value(const Program& p, uint32_t n, bool* v) {
  if (p.nodes[n].kind != Node::Kind::kConst) return false;
  *v = p.nodes[n].arg != 0;
  return true;
}

uint32_t fold(const CompiledExpr& e, uint32_t n, int32_t code, Program& p) {
  const Node& node = e.nodes[n];
  bool v = false;
  switch (node.kind) {
    case Node::Kind::kCheck: {
      const Check& c = e.checks[node.check];
      if (code < 0 || !c.by_event_type) return push(p, Node::Kind::kCheck, 0, node.check);
      bool m = static_cast<size_t>(code) < c.type_codes.size() && c.type_codes[code];
      return push(p, Node::Kind::kConst, 0, (c.op == Op::kNe ? !m : m) ? 1 : 0);
    }
    case Node::Kind::kConst:
      return push(p, Node::Kind::kConst, 0, node.check);
    case Node::Kind::kNot: {
      uint32_t c = fold(e, node.children[0], code, p);
      if (const_value(p, c, &v)) return push(p, Node::Kind::kConst, 0, v ? 0 : 1);
      p.children.push_back(c);
      return push(p, Node::Kind::kNot, 1, static_cast<uint32_t>(p.children.size() - 1));
    }
    default:
      break;
  }
  const bool is_and = node.kind == Node::Kind::kAnd;
  std::vector<uint32_t> kept;
  for (uint32_t child : node.children) {
    uint32_t c = fold(e, child, code, p);
    if (!const_value(p, c, &v)) {
      kept.push_back(c);
    } else if (v != is_and) {
      return push(p, Node::Kind::kConst, 0, v ? 1 : 0);  // absorbing: false for and
    }
  }
  if (kept.empty()) return push(p, Node::Kind::kConst, 0, is_and ? 1 : 0);
  if (kept.size() == 1) return kept[0];
  const auto first = static_cast<uint32_t>(p.children.size());
  p.children.insert(p.children.end(), kept.begin(), kept.end());
  return push(p, node.kind, static_cast<uint32_t>(kept.size()), first);
}

}  // namespace

Program specialize(const CompiledExpr& e, int32_t code) {
  Program p;
  p.root = fold(e, e.root, code, p);
  return p;
}

bool is_const_false(const Program& p) {
  const FlatNode& r = p.nodes[p.root];
  return r.kind == Node::Kind::kConst && r.arg == 0;
}

bool run(const Program& p, const CompiledExpr& e, core::EventContext& ctx,
         EvalScratch& scratch) noexcept {
  return run_node(p, e.checks.data(), p.root, ctx, scratch);
}

namespace {

// Emits the code of node `n` given where to go when it is true / false, and returns the
// pc of its first instruction. Code is emitted backwards (the targets exist before the
// instructions that jump to them); link() reverses it.
uint32_t emit_branch(const Program& p, const Check* checks, uint32_t n, uint32_t on_true,
                     uint32_t on_false, std::vector<BranchInsn>& out) {
  const FlatNode& node = p.nodes[n];
  switch (node.kind) {
    case Node::Kind::kCheck: {
      BranchInsn in;
      in.check = &checks[node.arg];
      in.shared = node.count;
      in.next[0] = on_false;
      in.next[1] = on_true;
      out.push_back(in);
      return static_cast<uint32_t>(out.size() - 1);
    }
    case Node::Kind::kConst:
      return node.arg != 0 ? on_true : on_false;
    case Node::Kind::kNot:
      return emit_branch(p, checks, p.children[node.arg], on_false, on_true, out);
    case Node::Kind::kAnd:
    case Node::Kind::kOr:
      break;
  }
  const bool is_and = node.kind == Node::Kind::kAnd;
  uint32_t next = is_and ? on_true : on_false;
  for (uint32_t i = node.count; i-- > 0;) {
    const uint32_t child = p.children[node.arg + i];
    next = is_and ? emit_branch(p, checks, child, next, on_false, out)
                  : emit_branch(p, checks, child, on_true, next, out);
  }
  return next;
}

}  // namespace

BranchProgram link(const std::vector<LinkedProgram>& programs) {
  std::vector<BranchInsn> rev;
  BranchInsn end;
  end.shared = BranchInsn::kEnd;
  rev.push_back(end);
  uint32_t next = 0;
  for (size_t k = programs.size(); k-- > 0;) {
    BranchInsn match;
    match.shared = static_cast<uint32_t>(k);
    match.next[1] = next;
    rev.push_back(match);
    const auto m = static_cast<uint32_t>(rev.size() - 1);
    const LinkedProgram& lp = programs[k];
    next = emit_branch(*lp.program, lp.checks, lp.program->root, m, next, rev);
  }
  // Reverse, so that evaluation mostly runs forward through memory.
  const auto n = static_cast<uint32_t>(rev.size());
  BranchProgram bp;
  bp.code.assign(rev.rbegin(), rev.rend());
  for (BranchInsn& in : bp.code) {
    if (in.check != nullptr) in.next[0] = n - 1 - in.next[0];
    if (in.check != nullptr || in.shared != BranchInsn::kEnd) in.next[1] = n - 1 - in.next[1];
  }
  bp.start = n - 1 - next;
  thread_jumps(bp);
  return bp;
}

uint32_t run_branch(const BranchProgram& bp, uint32_t pc, core::EventContext& ctx,
                    EvalScratch& scratch) noexcept {
  const BranchInsn* code = bp.code.data();
  while (true) {
    const BranchInsn& in = code[pc];
    if (in.check == nullptr) return pc;
    // A branch, not in.next[result]: indexing by the result makes the next instruction's
    // address depend on this check's value, so the CPU cannot start the next check (its
    // loads, its field's extraction) before this one is done. A branch is predicted (a
    // rule's checks mostly go the same way event after event) and the next check runs
    // speculatively meanwhile. The empty asm keeps the compiler from turning the branch
    // back into a select.
    if (cached_check(*in.check, in.shared, ctx, scratch)) {
      pc = in.next[1];
    } else {
      pc = in.next[0];
      asm("");
    }
  }
}

bool evaluate(const CompiledExpr& e, core::EventContext& ctx, EvalScratch& scratch) noexcept {
  return run(e.program, e, ctx, scratch);
}

}  // namespace saker::rules
