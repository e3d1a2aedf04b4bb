// Operator parsing, the operator/type matrix and string primitives; see operators.h.
#include "operators.h"

#include <fnmatch.h>

#include <cctype>
#include <cstring>

namespace saker::rules {
namespace {

struct OpName {
  const char* text;
  Op op;
};
constexpr OpName kOps[] = {
    {"=", Op::kEq},
    {"==", Op::kEq},
    {"!=", Op::kNe},
    {"<", Op::kLt},
    {"<=", Op::kLe},
    {">", Op::kGt},
    {">=", Op::kGe},
    {"contains", Op::kContains},
    {"icontains", Op::kIContains},
    {"bcontains", Op::kBContains},
    {"startswith", Op::kStartsWith},
    {"bstartswith", Op::kBStartsWith},
    {"endswith", Op::kEndsWith},
    {"glob", Op::kGlob},
    {"iglob", Op::kIGlob},
    {"regex", Op::kRegex},
    {"in", Op::kIn},
    {"intersects", Op::kIntersects},
    {"pmatch", Op::kPmatch},
    {"exists", Op::kExists},
};

bool modifiable(Op op) {
  switch (op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kContains:
    case Op::kIContains:
    case Op::kBContains:
    case Op::kStartsWith:
    case Op::kBStartsWith:
    case Op::kEndsWith:
    case Op::kGlob:
    case Op::kIGlob:
    case Op::kRegex:
      return true;
    default:
      return false;
  }
}

bool allowed_numeric(Op op) {
  switch (op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
    case Op::kIn:
    case Op::kIntersects:
    case Op::kExists:
      return true;
    default:
      return false;
  }
}

bool allowed_basic(Op op) {  // bool, ip
  return op == Op::kEq || op == Op::kNe || op == Op::kIn || op == Op::kIntersects ||
         op == Op::kExists;
}

bool allowed_bytes(Op op) {
  switch (op) {
    case Op::kEq:
    case Op::kNe:
    case Op::kContains:
    case Op::kIn:
    case Op::kExists:
    case Op::kStartsWith:
    case Op::kEndsWith:
    case Op::kIntersects:
    case Op::kBContains:
    case Op::kBStartsWith:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<ParsedOp> parse_op(std::string_view text) {
  ParsedOp out;
  std::string_view base = text;
  size_t sp = text.find(' ');
  if (sp != std::string_view::npos) {
    base = text.substr(0, sp);
    std::string_view mod = text.substr(sp + 1);
    if (mod == "oneof")
      out.modifier = Modifier::kOneOf;
    else if (mod == "anyof")
      out.modifier = Modifier::kAnyOf;
    else if (mod == "allof")
      out.modifier = Modifier::kAllOf;
    else
      return std::nullopt;
  }
  for (const auto& o : kOps) {
    if (base == o.text) {
      out.op = o.op;
      if (out.modifier != Modifier::kNone && !modifiable(o.op)) return std::nullopt;
      return out;
    }
  }
  return std::nullopt;
}

const char* op_name(Op op) {
  for (const auto& o : kOps) {
    if (o.op == op && std::strcmp(o.text, "==") != 0) return o.text;
  }
  return "?";
}

const char* modifier_name(Modifier m) {
  switch (m) {
    case Modifier::kOneOf:
      return "oneof";
    case Modifier::kAnyOf:
      return "anyof";
    case Modifier::kAllOf:
      return "allof";
    default:
      return "";
  }
}

const char* type_family(saker_field_type t) {
  if (is_numeric_type(t)) return "numeric";
  if (t == SAKER_FIELD_BOOL) return "bool";
  if (t == SAKER_FIELD_BYTES) return "buffer";
  if (is_ip_type(t)) return "ip address and network";
  return "string";
}

std::string check_operator(Op op, Modifier modifier, saker_field_type t, bool is_list) {
  const std::string name = op_name(op);
  if (is_list) {
    if (op == Op::kIn || op == Op::kIntersects || op == Op::kExists) return "";
    return "'" + name + "' operator not supported for list filters";
  }
  bool ok = false;
  if (is_numeric_type(t))
    ok = allowed_numeric(op);
  else if (t == SAKER_FIELD_BOOL)
    ok = allowed_basic(op);
  else if (is_ip_type(t))
    ok = allowed_basic(op) && (modifier == Modifier::kNone || op == Op::kEq || op == Op::kNe);
  else if (t == SAKER_FIELD_BYTES)
    ok = allowed_bytes(op);
  else
    ok = op != Op::kBContains && op != Op::kBStartsWith;
  if (ok) return "";
  return "'" + name + "' operator not supported for " + type_family(t) + " filters";
}

bool icontains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  const size_t last = hay.size() - needle.size();
  for (size_t i = 0; i <= last; ++i) {
    size_t k = 0;
    while (k < needle.size() && std::tolower(static_cast<unsigned char>(hay[i + k])) ==
                                    std::tolower(static_cast<unsigned char>(needle[k]))) {
      ++k;
    }
    if (k == needle.size()) return true;
  }
  return false;
}

bool glob_match(const char* pattern, const char* value, bool casefold) {
  return fnmatch(pattern, value, casefold ? FNM_CASEFOLD : 0) == 0;
}

}  // namespace saker::rules
