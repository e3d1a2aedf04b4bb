// The evaluable form of a rule condition: a flat vector of nodes (and/or/not/check)
// whose checks hold pre-resolved field slots, transformer chains and pre-parsed
// constants (numbers, addresses, hash sets, a pmatch trie, RE2 programs, glob patterns),
// built by the compiler (compiler.h) and run by the evaluator (evaluator.h).
//
// A CompiledExpr is immutable after compilation and shared by every source thread; all
// per-event state lives in the caller's EventContext and EvalScratch. It keeps a copy of
// the resolved AST so that explain() can print what each node stands for.
#pragma once

#include <boost/container/small_vector.hpp>
#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rules/syntax/ast.h"
#include "event_context.h"
#include "matchers.h"
#include "operators.h"

namespace saker::rules {

enum class TransformerKind : uint8_t { kToLower, kToUpper, kB64, kBasename, kLen };

// A field read, possibly through transformers (applied first to last).
struct Operand {
  uint32_t slot = 0;
  saker_field_type field_type = SAKER_FIELD_STRING;
  bool field_is_list = false;
  saker_field_type type = SAKER_FIELD_STRING;  // after the transformers
  bool is_list = false;                        // after the transformers
  std::vector<TransformerKind> transformers;
  uint32_t scratch = 0;  // first EvalScratch buffer used by the transformers
  std::string text;      // as written, e.g. "tolower(proc.name)"
};

// One IP constant: 4 or 16 address bytes and a prefix length (32/128 for an address).
struct IpConstant {
  std::string addr;
  uint32_t prefix = 0;
  bool is_net = false;
};

// How evaluate_check runs a check, decided once at compile time (resolve_kind()): the
// common shapes (one field without transformer against constants) take one direct
// comparison instead of the general path's chain of type and operator switches.
enum class CheckKind : uint8_t {
  kGeneric,    // transformers, field-to-field, modifiers, S64, IPs, bytes, glob, regex...
  kEventType,  // by_event_type
  kExists,
  kNumEq,  // unsigned number or bool against nums[0]
  kNumNe,
  kNumLt,
  kNumLe,
  kNumGt,
  kNumGe,
  kSNumLt,  // signed number against nums[0] (= and != are kNumEq / kNumNe)
  kSNumLe,
  kSNumGt,
  kSNumGe,
  kStrEq,  // string against strs[0]
  kStrNe,
  kStrContains,
  kStrStartsWith,
  kStrEndsWith,
  kStrIn,   // every value in `set`
  kPmatch,  // `trie`
};

struct Check {
  // Hot members first: what evaluate_check reads for every check.
  CheckKind kind = CheckKind::kGeneric;
  bool by_event_type = false;  // evt.type fast path: the event's type code decides
  Op op = Op::kExists;
  Modifier modifier = Modifier::kNone;
  bool rhs_is_field = false;
  Operand left;
  Operand right;  // when rhs_is_field
  // Constants, parsed for left.type (one per right-hand value, in order). Most checks have
  // one, stored inside the Check: the evaluator reads it without following a pointer to
  // another cache line.
  boost::container::small_vector<uint64_t, 1> nums;
  boost::container::small_vector<std::string, 1> strs;  // strings; bytes (hex-decoded for
                                                        // bcontains/bstartswith)
  std::vector<IpConstant> ips;
  StringSet set;                          // in / intersects over strings
  std::unique_ptr<PathTrie> trie;         // pmatch
  std::vector<std::unique_ptr<RE2>> res;  // regex, one per constant
  std::vector<bool> type_codes;           // by_event_type: codes that satisfy `=`/`in`
};

// The tree form (cold: compiler, explain).
struct Node {
  enum class Kind : uint8_t { kAnd, kOr, kNot, kCheck, kConst } kind = Kind::kCheck;
  std::vector<uint32_t> children;  // node indices (and/or: n; not: 1)
  uint32_t check = 0;              // index in CompiledExpr::checks (kCheck)
  const Expr* ast = nullptr;       // the resolved AST node it was compiled from
};

// The flat form the evaluator runs (hot): 12-byte nodes, children of a node contiguous
// in `children`, the root last. A program may be specialised for one event type code:
// its evt.type checks are then constants folded away (see specialize()). The rule engine
// numbers the checks that several rules share (macros expand into identical checks) so
// that, within one event, each is evaluated once (EvalScratch::cache).
struct FlatNode {
  Node::Kind kind = Node::Kind::kConst;
  uint32_t count = 0;  // and/or/not: number of children; check: shared-check id or 0
  uint32_t arg = 0;    // and/or/not: first index in children; check: check index; const: value
};

struct Program {
  std::vector<FlatNode> nodes;
  std::vector<uint32_t> children;
  uint32_t root = 0;
};

// Several programs linked into one branch program (the rule engine builds one per
// (source, type code) bucket, its candidate rules in order): every check is one
// instruction holding where evaluation goes next when it is false or true, so and/or/not
// and constants disappear into the jump targets and evaluation is a loop, without
// recursion. A terminal instruction (no check) is either the match of program `entry`,
// resuming at next[1] (`rule_matching: all`), or the end of the bucket.
struct BranchInsn {
  static constexpr uint32_t kEnd = 0xffffffffu;
  const Check* check = nullptr;  // nullptr: a terminal
  uint32_t shared = 0;           // check: shared-check id (0: not shared); terminal: entry
  uint32_t next[2] = {0, 0};     // check: pc when false / true; match: next[1] resumes
};

struct BranchProgram {
  std::vector<BranchInsn> code;  // in evaluation order (the first check first)
  uint32_t start = 0;
};

struct CompiledExpr {
  ExprPtr ast;  // owned copy of the resolved condition
  std::vector<Node> nodes;
  std::vector<Check> checks;
  uint32_t root = 0;
  Program program;                      // the unspecialised flat form
  uint32_t scratch_needed = 0;          // EvalScratch buffers the transformers need
  std::vector<uint32_t> slots;          // every field slot the condition may read
  std::vector<uint32_t> certain_slots;  // slots read by every evaluation (prefetchable)
};

}  // namespace saker::rules
