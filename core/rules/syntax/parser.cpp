// Boolean structure of a condition: or / and / not / parentheses / checks; see parser.h.
#include "parser.h"

namespace saker::rules {

Parser::DepthGuard::DepthGuard(Parser& p) : p_(p) {
  if (++p_.depth_ >= p_.max_depth_) {
    --p_.depth_;
    p_.fail("exceeded max depth limit of " + std::to_string(p_.max_depth_));
  }
}

void Parser::fail(const std::string& message) const { throw ParseError(message, lex_.pos()); }

ExprPtr Parser::parse_condition() {
  if (lex_.eof()) fail("filter input string is empty");
  ExprPtr e = parse_or();
  lex_.skip_blanks();
  if (!lex_.eof()) {
    fail("unexpected token after '" + lex_.last_token() + "', expecting 'or', 'and'");
  }
  return e;
}

ExprPtr Parser::parse_field_or_transformer() {
  DepthGuard guard(*this);
  return try_field_or_transformer(false);
}

ExprPtr Parser::parse_or() {
  DepthGuard guard(*this);
  Pos pos = lex_.pos();
  std::vector<ExprPtr> children;
  children.push_back(parse_and());
  while (true) {
    lex_.skip_blanks();
    if (!lex_.match("or")) break;
    if (lex_.skip_blanks()) {
      children.push_back(parse_and());
    } else if (lex_.match("(")) {
      children.push_back(parse_embedded_remainder());
    } else {
      fail("expected blank or '(' after 'or'");
    }
  }
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<OrExpr>(pos, std::move(children));
}

ExprPtr Parser::parse_and() {
  DepthGuard guard(*this);
  Pos pos = lex_.pos();
  std::vector<ExprPtr> children;
  children.push_back(parse_not());
  while (true) {
    lex_.skip_blanks();
    if (!lex_.match("and")) break;
    if (lex_.skip_blanks()) {
      children.push_back(parse_not());
    } else if (lex_.match("(")) {
      children.push_back(parse_embedded_remainder());
    } else {
      fail("expected blank or '(' after 'and'");
    }
  }
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<AndExpr>(pos, std::move(children));
}

ExprPtr Parser::parse_not() {
  DepthGuard guard(*this);
  lex_.skip_blanks();
  Pos pos = lex_.pos();
  bool negated = false;
  while (lex_.match_not_blank()) negated = !negated;
  ExprPtr child;
  if (lex_.match("not(")) {
    negated = !negated;
    child = parse_embedded_remainder();
  } else {
    child = parse_check();
  }
  if (!negated) return child;
  return std::make_unique<NotExpr>(pos, std::move(child));
}

ExprPtr Parser::parse_embedded_remainder() {
  DepthGuard guard(*this);
  ExprPtr e = parse_or();
  lex_.skip_blanks();
  if (!lex_.match(")")) fail("expected a ')' token");
  return e;
}

ExprPtr Parser::parse_check() {
  DepthGuard guard(*this);
  lex_.skip_blanks();
  Pos pos = lex_.pos();
  if (lex_.match("(")) return parse_embedded_remainder();
  if (ExprPtr left = try_field_or_transformer(false)) return parse_operation(pos, std::move(left));
  size_t n = lex_.identifier_length_at(pos.offset);
  if (n > 0 && lex_.peek(n) != '.') {
    return std::make_unique<IdentifierExpr>(pos, *lex_.identifier());
  }
  fail("expected a '(' token, a field check, or an identifier");
}

ExprPtr parse_condition(std::string_view text, uint32_t max_depth) {
  return Parser(text, max_depth).parse_condition();
}

}  // namespace saker::rules
