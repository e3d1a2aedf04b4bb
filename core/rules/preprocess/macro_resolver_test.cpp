// Unit tests of macro resolution: clone-substitution, precedence, loops, undefined names.
#include "macro_resolver.h"

#include <doctest/doctest.h>

#include "rules/syntax/parser.h"

using namespace saker::rules;

TEST_CASE("a macro behaves like a parenthesised sub-expression") {
  ExprPtr m = parse_condition("a.b = 1 or c.d = 2");
  MacroResolver r;
  r.define("m", m.get());
  ExprPtr e = parse_condition("m and x.y exists");
  r.resolve(e);
  CHECK(as_string(*e) == "((a.b = 1 or c.d = 2) and x.y exists)");
  CHECK(r.used().count("m") == 1);
  // the macro AST itself is untouched (substitution clones it)
  CHECK(as_string(*m) == "(a.b = 1 or c.d = 2)");
}

TEST_CASE("nested macros are resolved recursively; a lone reference is replaced") {
  ExprPtr inner = parse_condition("a.b exists");
  ExprPtr outer = parse_condition("not inner");
  MacroResolver r;
  r.define("inner", inner.get());
  r.define("outer", outer.get());
  ExprPtr e = parse_condition("outer");
  r.resolve(e);
  CHECK(as_string(*e) == "not a.b exists");
  CHECK(r.used().size() == 2);
}

TEST_CASE("undefined macro and reference loops") {
  MacroResolver r;
  ExprPtr e = parse_condition("a.b exists and (nope or other)");
  CHECK_THROWS_WITH_AS(r.resolve(e), "Undefined macro 'nope' used in filter.",
                       MacroResolutionError);
  ExprPtr a = parse_condition("b_macro");
  ExprPtr b = parse_condition("x.y exists and a_macro");
  r.define("a_macro", a.get());
  r.define("b_macro", b.get());
  ExprPtr rule = parse_condition("a_macro");
  CHECK_THROWS_WITH_AS(r.resolve(rule), "reference loop in macro 'a_macro'", MacroResolutionError);
  ExprPtr self = parse_condition("a.b exists or me");
  r.define("me", self.get());
  CHECK_THROWS_WITH_AS(r.resolve(self, "me"), "reference loop in macro 'me'", MacroResolutionError);
}

TEST_CASE("identifiers on list right-hand sides are values, not macros") {
  MacroResolver r;
  ExprPtr e = parse_condition("a.b in some_list");
  r.resolve(e);  // no throw: nothing to resolve
  CHECK(as_string(*e) == "a.b in some_list");
}
