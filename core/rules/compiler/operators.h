// Check operators of the condition language (RULE-LANGUAGE.md §2.4, §2.8.2): their
// parsed form, which field types accept which operator, and the string primitives the
// evaluator uses (ASCII case folding, substring search, glob).
//
// Everything here is stateless; the matchers are pure functions of their arguments.
#pragma once

#include <saker_plugin_api.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace saker::rules {

enum class Op : uint8_t {
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kContains,
  kIContains,
  kBContains,
  kStartsWith,
  kBStartsWith,
  kEndsWith,
  kGlob,
  kIGlob,
  kRegex,
  kIn,
  kIntersects,
  kPmatch,
  kExists,
};

// `<strop> oneof|anyof|allof (...)`: how many right-hand elements must satisfy the op.
enum class Modifier : uint8_t { kNone, kOneOf, kAnyOf, kAllOf };

struct ParsedOp {
  Op op = Op::kEq;
  Modifier modifier = Modifier::kNone;
};

// "startswith oneof" -> {kStartsWith, kOneOf}; nullopt for an unknown operator text.
std::optional<ParsedOp> parse_op(std::string_view text);
const char* op_name(Op op);
const char* modifier_name(Modifier m);

// The operator family names Falco's errors use: "numeric", "string", "buffer",
// "ip address and network", "bool".
const char* type_family(saker_field_type t);
inline bool is_numeric_type(saker_field_type t) {
  return t == SAKER_FIELD_U64 || t == SAKER_FIELD_S64 || t == SAKER_FIELD_RELTIME ||
         t == SAKER_FIELD_ABSTIME;
}
inline bool is_string_type(saker_field_type t) { return t == SAKER_FIELD_STRING; }
inline bool is_ip_type(saker_field_type t) {
  return t == SAKER_FIELD_IPADDR || t == SAKER_FIELD_IPNET;
}

// Falco's flt_is_comparable: may `op` (with `modifier`) be applied to a field of type `t`
// (list-valued or not)? Returns an error message, or "" when allowed.
std::string check_operator(Op op, Modifier modifier, saker_field_type t, bool is_list);

// Operators that take a list on the right (in, intersects, pmatch, and modifiers).
inline bool takes_list(Op op, Modifier m) {
  return op == Op::kIn || op == Op::kIntersects || op == Op::kPmatch || m != Modifier::kNone;
}

// --- string primitives (bytes; ASCII case folding as strcasestr does). The case-sensitive
// ones are in short_compare.h.
bool icontains(std::string_view hay, std::string_view needle);
// fnmatch(pattern, value, 0 | FNM_CASEFOLD): `*` also matches '/'.
bool glob_match(const char* pattern, const char* value, bool casefold);

}  // namespace saker::rules
