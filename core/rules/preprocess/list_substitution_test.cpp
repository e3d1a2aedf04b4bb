// Unit tests of Falco's textual list substitution (§1.9.1), pitfalls included.
#include "list_substitution.h"

#include <doctest/doctest.h>

using namespace saker::rules;

namespace {
std::string subst(std::string cond, const std::string& name,
                  const std::vector<std::string>& items) {
  substitute_list(cond, name, items);
  return cond;
}
}  // namespace

TEST_CASE("quote_item quotes values with spaces only") {
  CHECK(quote_item("bash") == "bash");
  CHECK(quote_item("a b") == "\"a b\"");
  CHECK(quote_item("'a b'") == "'a b'");
  CHECK(quote_item("\"a b\"") == "\"a b\"");
  CHECK(quote_item("a\"b") == "a\"b");  // no escaping
}

TEST_CASE("delimited occurrences are replaced, blanks around them eaten") {
  CHECK(subst("proc.name in (shells)", "shells", {"sh", "bash"}) == "proc.name in ( sh, bash )");
  CHECK(subst("proc.name in (shells, zsh)", "shells", {"sh"}) == "proc.name in ( sh , zsh)");
  CHECK(subst("shells", "shells", {"a b", "c"}) == "\"a b\", c ");
  CHECK(subst("proc.name=shells", "shells", {"x"}) == "proc.name= x ");
}

TEST_CASE("non-delimited occurrences and quoted names are left alone") {
  CHECK(subst("proc.name in (my_shells)", "shells", {"x"}) == "proc.name in (my_shells)");
  CHECK(subst("proc.name in (shells_x)", "shells", {"x"}) == "proc.name in (shells_x)");
  CHECK(subst("a.b = \"shells\"", "shells", {"x"}) == "a.b = \"shells\"");
  CHECK(subst("fd.name = /shells", "shells", {"x"}) == "fd.name = /shells");
}

TEST_CASE("a macro reference with a list's name is replaced too (pitfall)") {
  CHECK(subst("shells and a.b exists", "shells", {"x"}) == "x and a.b exists");
}

TEST_CASE("an empty list drops one adjacent comma, left first") {
  CHECK(subst("a.b in (x, empty)", "empty", {}) == "a.b in (x  )");
  CHECK(subst("a.b in (empty, x)", "empty", {}) == "a.b in (   x)");  // blanks eaten first
  CHECK(subst("a.b in (empty)", "empty", {}) == "a.b in (  )");
}

TEST_CASE("several occurrences") {
  std::string c = "a.b in (l) or c.d in (l)";
  CHECK(substitute_list(c, "l", {"1", "2"}));
  CHECK(c == "a.b in ( 1, 2 ) or c.d in ( 1, 2 )");
  std::string none = "a.b in (x)";
  CHECK_FALSE(substitute_list(none, "l", {"1"}));
}
