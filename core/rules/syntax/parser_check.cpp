// Checks: the operator after a field and its right-hand side, field arguments and
// transformers; see the grammar in parser.h.
#include <array>

#include "parser.h"

namespace saker::rules {
namespace {

constexpr std::array<std::string_view, 8> kTransformers = {
    "tolower", "toupper", "b64", "basename", "len", "join", "concat", "getopt"};
constexpr std::array<std::string_view, 4> kNumOps = {"<=", "<", ">=", ">"};
constexpr std::array<std::string_view, 3> kSymbolStrOps = {"==", "=", "!="};
constexpr std::array<std::string_view, 9> kWordStrOps = {"glob",        "iglob",     "contains",
                                                         "icontains",   "bcontains", "startswith",
                                                         "bstartswith", "endswith",  "regex"};
constexpr std::array<std::string_view, 3> kListOps = {"intersects", "in", "pmatch"};
constexpr std::array<std::string_view, 3> kModifiers = {"oneof", "anyof", "allof"};

constexpr const char* kTransformerNames =
    "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";
constexpr const char* kOperatorNames =
    "'exists', '<=', '<', '>=', '>', '==', '=', '!=', 'glob', 'iglob', 'contains', "
    "'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'regex', "
    "'intersects', 'in', 'pmatch'";

bool starts_with_call(std::string_view rest, std::string_view name) {
  return rest.size() > name.size() && rest.substr(0, name.size()) == name &&
         rest[name.size()] == '(';
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// True if `rest` starts with the keyword and/or/not used as a keyword (not a longer name).
bool starts_with_keyword(std::string_view rest) {
  for (std::string_view kw : {"and", "or", "not"}) {
    if (rest.substr(0, kw.size()) == kw && !is_alnum(rest.size() > kw.size() ? rest[kw.size()] : 0))
      return true;
  }
  return false;
}

}  // namespace

ExprPtr Parser::parse_operation(Pos pos, ExprPtr left) {
  lex_.skip_blanks();
  if (lex_.match("exists")) return std::make_unique<UnaryCheckExpr>(pos, std::move(left), "exists");
  for (std::string_view op : kNumOps) {
    if (lex_.match(op)) {
      return std::make_unique<BinaryCheckExpr>(pos, std::move(left), std::string(op),
                                               parse_num_rhs());
    }
  }
  for (std::string_view op : kSymbolStrOps) {
    if (lex_.match(op)) return parse_string_operation(pos, std::move(left), std::string(op), false);
  }
  for (std::string_view op : kWordStrOps) {
    if (lex_.match_followed_by_blank(op)) {
      return parse_string_operation(pos, std::move(left), std::string(op), true);
    }
  }
  for (std::string_view op : kListOps) {
    if (lex_.match(op)) {
      return std::make_unique<BinaryCheckExpr>(pos, std::move(left), std::string(op),
                                               parse_list_rhs());
    }
  }
  fail(std::string("expected a valid check operator: one of ") + kOperatorNames);
}

// A string operator may carry a modifier: `startswith oneof (a, b)`, `= anyof my_list`.
ExprPtr Parser::parse_string_operation(Pos pos, ExprPtr left, std::string op, bool word_op) {
  bool blank = lex_.skip_blanks() || word_op;
  if (blank) {
    Pos before = lex_.pos();
    for (std::string_view mod : kModifiers) {
      if (!lex_.match_followed_by_blank(mod)) continue;
      lex_.skip_blanks();
      std::string_view rest = lex_.rest();
      bool list_follows = !rest.empty() && rest[0] == '(';
      bool ident_follows = lex_.identifier_length_at(lex_.pos().offset) > 0;
      if (list_follows || (ident_follows && !starts_with_keyword(rest))) {
        return std::make_unique<BinaryCheckExpr>(pos, std::move(left), op + " " + std::string(mod),
                                                 parse_list_or_identifier());
      }
      lex_.reset(before);
      break;
    }
  }
  return std::make_unique<BinaryCheckExpr>(pos, std::move(left), std::move(op), parse_string_rhs());
}

ExprPtr Parser::parse_num_rhs() {
  lex_.skip_blanks();
  Pos pos = lex_.pos();
  if (ExprPtr t = try_rhs_transformer()) return t;
  if (auto v = lex_.hex_number()) return std::make_unique<ValueExpr>(pos, *v);
  if (auto v = lex_.number()) return std::make_unique<ValueExpr>(pos, *v);
  fail(std::string("expected a number value or a field with a valid transformer: ") +
       kTransformerNames);
}

ExprPtr Parser::parse_string_rhs() {
  lex_.skip_blanks();
  Pos pos = lex_.pos();
  if (ExprPtr t = try_rhs_transformer()) return t;
  if (auto v = lex_.quoted_string()) return std::make_unique<ValueExpr>(pos, *v);
  if (auto v = lex_.bare_string()) return std::make_unique<ValueExpr>(pos, *v);
  fail(std::string("expected a string value or a field with a valid transformer: ") +
       kTransformerNames);
}

ExprPtr Parser::parse_list_rhs() {
  lex_.skip_blanks();
  Pos pos = lex_.pos();
  if (lex_.peek() == '(') return parse_list_literal();
  if (ExprPtr t = try_rhs_transformer()) return t;
  if (auto id = lex_.identifier()) return std::make_unique<ValueExpr>(pos, *id);
  fail(std::string("expected a list, an identifier, or a field with a valid transformer: ") +
       kTransformerNames);
}

ExprPtr Parser::parse_list_or_identifier() {
  Pos pos = lex_.pos();
  if (lex_.peek() == '(') return parse_list_literal();
  if (auto id = lex_.identifier()) return std::make_unique<ValueExpr>(pos, *id);
  fail("expected a list or an identifier");
}

ExprPtr Parser::parse_list_literal() {
  Pos pos = lex_.pos();
  lex_.match("(");
  lex_.skip_blanks();
  std::vector<std::string> values;
  if (lex_.match(")")) return std::make_unique<ListExpr>(pos, std::move(values));
  while (true) {
    lex_.skip_blanks();
    auto v = lex_.quoted_string();
    if (!v) v = lex_.bare_string();
    if (!v) fail("expected a string value");
    values.push_back(std::move(*v));
    lex_.skip_blanks();
    if (lex_.match(",")) continue;
    if (lex_.match(")")) break;
    fail("expected a ')' token");
  }
  return std::make_unique<ListExpr>(pos, std::move(values));
}

ExprPtr Parser::try_field_or_transformer(bool allow_val) {
  Pos pos = lex_.pos();
  if (allow_val && starts_with_call(lex_.rest(), "val")) {
    lex_.match("val(");
    return parse_transformer_remainder(pos, "val");
  }
  for (std::string_view name : kTransformers) {
    if (starts_with_call(lex_.rest(), name)) {
      lex_.match(std::string(name) + "(");
      return parse_transformer_remainder(pos, std::string(name));
    }
  }
  auto name = lex_.field_name();
  if (!name) return nullptr;
  auto arg = parse_field_arg();
  return std::make_unique<FieldExpr>(pos, std::move(*name), std::move(arg));
}

ExprPtr Parser::try_rhs_transformer() {
  std::string_view rest = lex_.rest();
  bool is_call = starts_with_call(rest, "val");
  for (std::string_view name : kTransformers) is_call = is_call || starts_with_call(rest, name);
  return is_call ? try_field_or_transformer(true) : nullptr;
}

ExprPtr Parser::parse_transformer_remainder(Pos pos, std::string name) {
  DepthGuard guard(*this);
  std::vector<ExprPtr> args;
  lex_.skip_blanks();
  if (name == "val") {
    Pos field_pos = lex_.pos();
    auto field = lex_.field_name();
    if (!field) fail("expected a field within 'val' transformer");
    args.push_back(std::make_unique<FieldExpr>(field_pos, std::move(*field), parse_field_arg()));
  } else {
    args.push_back(parse_transformer_arg());
    while (lex_.skip_blanks(), lex_.match(",")) {
      lex_.skip_blanks();
      args.push_back(parse_transformer_arg());
    }
  }
  lex_.skip_blanks();
  if (!lex_.match(")")) fail("expected a ')' token closing the transformer");
  auto arg = parse_field_arg();
  return std::make_unique<FieldTransformerExpr>(pos, std::move(name), std::move(args),
                                                std::move(arg));
}

ExprPtr Parser::parse_transformer_arg() {
  Pos pos = lex_.pos();
  if (ExprPtr e = try_field_or_transformer(false)) return e;
  if (auto v = lex_.quoted_string()) return std::make_unique<ValueExpr>(pos, *v);
  if (auto v = lex_.number()) return std::make_unique<ValueExpr>(pos, *v);
  if (lex_.match("(")) return parse_transformer_list(pos);
  fail(
      "expected field transformer argument: field, transformer, quoted string, number, or "
      "transformer list");
}

ExprPtr Parser::parse_transformer_list(Pos pos) {
  DepthGuard guard(*this);
  std::vector<ExprPtr> items;
  lex_.skip_blanks();
  if (lex_.match(")")) return std::make_unique<TransformerListExpr>(pos, std::move(items));
  while (true) {
    lex_.skip_blanks();
    Pos item_pos = lex_.pos();
    ExprPtr item = try_field_or_transformer(false);
    if (!item) {
      if (auto v = lex_.quoted_string()) item = std::make_unique<ValueExpr>(item_pos, *v);
      if (!item) {
        if (auto v = lex_.number()) item = std::make_unique<ValueExpr>(item_pos, *v);
      }
    }
    if (!item) {
      fail("expected transformer list argument: field, transformer, quoted string, or number");
    }
    items.push_back(std::move(item));
    lex_.skip_blanks();
    if (lex_.match(",")) continue;
    if (lex_.match(")")) break;
    fail("expected ')'");
  }
  return std::make_unique<TransformerListExpr>(pos, std::move(items));
}

std::optional<std::string> Parser::parse_field_arg() {
  if (lex_.peek() != '[') return std::nullopt;
  lex_.match("[");
  auto arg = lex_.quoted_string();
  if (!arg) arg = lex_.arg_bare();
  if (!arg) fail("expected a valid field argument: a quoted string or a bare string");
  if (!lex_.match("]")) fail("expected a ']' token");
  return arg;
}

}  // namespace saker::rules
