// Printing an AST: canonical condition text (as_string) and the JSON encoding; see ast.h.
#include <nlohmann/json.hpp>

#include "ast.h"

namespace saker::rules {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
const T& as(const Expr& e) {
  return static_cast<const T&>(e);
}

std::string join(const std::vector<ExprPtr>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += as_string(*v[i]);
  }
  return out;
}

std::string arg_string(const std::optional<std::string>& arg) {
  if (!arg) return "";
  if (arg->empty()) return "[\"\"]";
  return "[" + escape_str(*arg) + "]";
}

Json json_of(const Expr& e);

Json json_all(const std::vector<ExprPtr>& v) {
  Json arr = Json::array();
  for (const auto& c : v) arr.push_back(json_of(*c));
  return arr;
}

Json json_of(const Expr& e) {
  switch (e.kind()) {
    case ExprKind::kAnd:
      return Json{{"and", json_all(as<AndExpr>(e).children)}};
    case ExprKind::kOr:
      return Json{{"or", json_all(as<OrExpr>(e).children)}};
    case ExprKind::kNot:
      return Json{{"not", json_of(*as<NotExpr>(e).child)}};
    case ExprKind::kIdentifier:
      return Json{{"identifier", as<IdentifierExpr>(e).name}};
    case ExprKind::kValue:
      return Json{{"value", as<ValueExpr>(e).value}};
    case ExprKind::kList:
      return Json{{"list", as<ListExpr>(e).values}};
    case ExprKind::kTransformerList:
      return Json{{"transformer_list", json_all(as<TransformerListExpr>(e).children)}};
    case ExprKind::kUnaryCheck: {
      const auto& u = as<UnaryCheckExpr>(e);
      return Json{{"unary", Json{{"op", u.op}, {"left", json_of(*u.left)}}}};
    }
    case ExprKind::kBinaryCheck: {
      const auto& b = as<BinaryCheckExpr>(e);
      return Json{
          {"binary", Json{{"op", b.op}, {"left", json_of(*b.left)}, {"right", json_of(*b.right)}}}};
    }
    case ExprKind::kField: {
      Json j{{"field", as<FieldExpr>(e).name}};
      if (as<FieldExpr>(e).arg) j["arg"] = *as<FieldExpr>(e).arg;
      return j;
    }
    case ExprKind::kFieldTransformer: {
      const auto& t = as<FieldTransformerExpr>(e);
      Json j{{"transformer", t.name}, {"args", json_all(t.args)}};
      if (t.arg) j["arg"] = *t.arg;
      return j;
    }
  }
  return Json();
}

}  // namespace

std::string escape_str(const std::string& s) {
  bool needs_quotes = false;
  for (char c : s) {
    if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == '=' ||
        c == '\\' || c == '"' || c == '\'' || c == '\0') {
      needs_quotes = true;
      break;
    }
  }
  if (!needs_quotes) return s;
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string as_string(const Expr& e) {
  switch (e.kind()) {
    case ExprKind::kAnd:
      return "(" + join(as<AndExpr>(e).children, " and ") + ")";
    case ExprKind::kOr:
      return "(" + join(as<OrExpr>(e).children, " or ") + ")";
    case ExprKind::kNot:
      return "not " + as_string(*as<NotExpr>(e).child);
    case ExprKind::kIdentifier:
      return as<IdentifierExpr>(e).name;
    case ExprKind::kValue:
      return escape_str(as<ValueExpr>(e).value);
    case ExprKind::kList: {
      std::string out = "(";
      const auto& values = as<ListExpr>(e).values;
      for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + escape_str(values[i]);
      return out + ")";
    }
    case ExprKind::kTransformerList:
      return "(" + join(as<TransformerListExpr>(e).children, ",") + ")";
    case ExprKind::kUnaryCheck:
      return as_string(*as<UnaryCheckExpr>(e).left) + " " + as<UnaryCheckExpr>(e).op;
    case ExprKind::kBinaryCheck: {
      const auto& b = as<BinaryCheckExpr>(e);
      return as_string(*b.left) + " " + b.op + " " + as_string(*b.right);
    }
    case ExprKind::kField:
      return as<FieldExpr>(e).name + arg_string(as<FieldExpr>(e).arg);
    case ExprKind::kFieldTransformer: {
      const auto& t = as<FieldTransformerExpr>(e);
      return t.name + "(" + join(t.args, ",") + ")" + arg_string(t.arg);
    }
  }
  return "";
}

// Conditions are arbitrary bytes: invalid UTF-8 is replaced by U+FFFD rather than thrown on.
std::string to_json(const Expr& e) {
  return json_of(e).dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace saker::rules
