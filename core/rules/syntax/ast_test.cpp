// Unit tests of AST cloning, equality, canonical printing and JSON encoding.
#include "ast.h"

#include <doctest/doctest.h>

#include "parser.h"

using namespace saker::rules;

TEST_CASE("clone is deep and structurally equal; equality ignores positions") {
  ExprPtr a = parse_condition("a.b = 1 and not (c.d in (x, y) or m)");
  ExprPtr b = a->clone();
  CHECK(equals(*a, *b));
  CHECK(a.get() != b.get());
  CHECK(equals(*a, *parse_condition("  a.b=1   and not(c.d in(x,y) or m)")));
  CHECK_FALSE(equals(*a, *parse_condition("a.b = 2 and not (c.d in (x, y) or m)")));
  auto& and_node = static_cast<AndExpr&>(*b);
  and_node.children.pop_back();
  CHECK_FALSE(equals(*a, *b));  // the clone owns its own children
}

TEST_CASE("escape_str quotes only when needed") {
  CHECK(escape_str("abc") == "abc");
  CHECK(escape_str("a b") == "\"a b\"");
  CHECK(escape_str("a=b") == "\"a=b\"");
  CHECK(escape_str("tab\there") == "\"tab\\there\"");
  CHECK(escape_str("q\"x") == "\"q\\\"x\"");
  CHECK(escape_str("it's") == "\"it's\"");
  CHECK(escape_str("(x,y)") == "(x,y)");
  CHECK(escape_str("") == "");
}

TEST_CASE("as_string is the normal form") {
  CHECK(as_string(*parse_condition("evt.type=open and proc.name in (a, \"b c\")")) ==
        "(evt.type = open and proc.name in (a, \"b c\"))");
  CHECK(as_string(*parse_condition("not a.b exists")) == "not a.b exists");
  CHECK(as_string(*parse_condition("x.y[\"\"] exists")) == "x.y[\"\"] exists");
  CHECK(as_string(*parse_condition("x.y[\"a b\"] exists")) == "x.y[\"a b\"] exists");
  CHECK(as_string(*parse_condition("join(\",\", (a.b, \"x\")) = y")) == "join(,,(a.b,x)) = y");
  CHECK(as_string(*parse_condition("a.b = val(c.d)")) == "a.b = val(c.d)");
}

TEST_CASE("JSON encoding") {
  CHECK(
      to_json(*parse_condition("a.b[1] startswith anyof (x)")) ==
      R"({"binary":{"op":"startswith anyof","left":{"field":"a.b","arg":"1"},"right":{"list":["x"]}}})");
  CHECK(
      to_json(*parse_condition("not m or len(a.b) > 2")) ==
      R"({"or":[{"not":{"identifier":"m"}},{"binary":{"op":">","left":{"transformer":"len","args":[{"field":"a.b"}]},"right":{"value":"2"}}}]})");
}

TEST_CASE("for_each_node visits in pre-order") {
  std::string kinds;
  for_each_node(*parse_condition("a.b exists and not m"),
                [&](const Expr& e) { kinds += std::to_string(static_cast<int>(e.kind())) + ","; });
  // and, unary, field, not, identifier
  CHECK(kinds == "0,7,9,2,3,");
}

TEST_CASE("JSON encoding survives invalid UTF-8") {
  CHECK(to_json(*parse_condition("a.b = \"\xa0\"")) ==
        "{\"binary\":{\"op\":\"=\",\"left\":{\"field\":\"a.b\"},\"right\":{\"value\":"
        "\"\xef\xbf\xbd\"}}}");
}
