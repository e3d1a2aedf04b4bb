// Unit tests of exception condition synthesis (§1.8), including its quoting pitfalls.
#include "condition_builder.h"

#include <doctest/doctest.h>

#include "rules/syntax/parser.h"
#include "rules/loader/rules_loader.h"

using namespace saker::rules;

namespace {

Entry scalar(const std::string& s) { return Entry{false, s, {}}; }
Entry list(std::vector<Entry> items) { return Entry{true, "", std::move(items)}; }

// Loads one rule with the given exceptions YAML and returns its resolved normal form, or
// the first error's message.
std::string resolved(const std::string& cond, const std::string& exceptions) {
  RulesLoader loader;
  LoadResult r = loader.load_content("t.yaml",
                                     "- rule: r\n  desc: d\n  output: o\n"
                                     "  priority: INFO\n  condition: " +
                                         cond + "\n  exceptions:\n" + exceptions);
  if (!r.successful) return "ERROR " + r.errors[0].message;
  return as_string(*loader.resolved().rules.at(0).ast);
}

}  // namespace

TEST_CASE("the upstream example") {
  CHECK(resolved("proc.cmdline contains curl or proc.cmdline contains wget",
                 "    - name: e\n      fields: [proc.cmdline]\n      comps: [contains]\n"
                 "      values: [[curl 127.0.0.1]]\n") ==
        "((proc.cmdline contains curl or proc.cmdline contains wget) and not proc.cmdline "
        "contains \"curl 127.0.0.1\")");
}

TEST_CASE("list form text: default '=' comps, tuples or-ed, fields and-ed") {
  ExceptionInfo ex;
  ex.fields = list({scalar("proc.name"), scalar("fd.name")});
  ex.values = {list({scalar("nginx"), scalar("/etc/nginx")}),
               list({scalar("apache"), list({scalar("/etc/httpd"), scalar("/var")})})};
  CHECK(build_exception_condition(ex) ==
        "(( proc.name = nginx and  fd.name = /etc/nginx) or ( proc.name = apache and  fd.name = "
        "(/etc/httpd, /var)))");
  ex.values.clear();
  CHECK(build_exception_condition(ex) == "");
}

TEST_CASE("list form: list operators get parentheses unless the value has them") {
  ExceptionInfo ex;
  ex.fields = list({scalar("proc.name"), scalar("fd.name")});
  ex.comps = list({scalar(" in "), scalar("pmatch")});
  ex.values = {list({scalar("shell_binaries"), scalar("(/etc)")})};
  CHECK(build_exception_condition(ex) ==
        "(( proc.name in (shell_binaries) and  fd.name pmatch (/etc)))");
}

TEST_CASE("scalar form: default 'in', quoted values") {
  ExceptionInfo ex;
  ex.fields = scalar("proc.name");
  ex.values = {scalar("cat"), scalar("my tool")};
  CHECK(build_exception_condition(ex) == "(proc.name in (cat, \"my tool\"))");
  RuleInfo rule;
  rule.cond = "evt.type = open";
  rule.exceptions = {ex};
  CHECK(build_rule_condition(rule) ==
        "(evt.type = open) and not (proc.name in (cat, \"my tool\"))");
  CHECK(exception_fields(rule) == std::vector<std::string>{"proc.name"});
}

TEST_CASE("value shape errors") {
  CHECK(
      resolved("a.b exists", "    - name: e\n      fields: proc.name\n      values: [[a, b]]\n") ==
      "ERROR Expected values array to contain a list of strings");
  CHECK(resolved("a.b exists",
                 "    - name: e\n      fields: [proc.name, fd.name]\n      values: [[a]]\n") ==
        "ERROR Fields and values lists must have equal length");
}

TEST_CASE("pitfalls: unquoted special values, field-looking and transformer values") {
  // 'a=b' is not quoted (no space) and breaks the parse of the synthesised condition
  CHECK(
      resolved("a.b exists", "    - name: e\n      fields: [proc.name]\n      values: [[a=b]]\n") ==
      "ERROR expected a ')' token");
  // a field-looking value stays a string
  CHECK(resolved("a.b exists",
                 "    - name: e\n      fields: [proc.name]\n      values: [[proc.pname]]\n") ==
        "(a.b exists and not proc.name = proc.pname)");
  // a transformer-looking value becomes a transformer (field-to-field comparison)
  CHECK(resolved(
            "a.b exists",
            "    - name: e\n      fields: [proc.name]\n      values: [[toupper(proc.pname)]]\n") ==
        "(a.b exists and not proc.name = toupper(proc.pname))");
}

TEST_CASE("list names inside exception values are substituted") {
  RulesLoader loader;
  LoadResult r = loader.load_content(
      "t.yaml",
      "- list: editors\n  items: [vi, nano]\n"
      "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: a.b exists\n"
      "  exceptions:\n    - name: e\n      fields: proc.name\n      values: [editors]\n");
  REQUIRE(r.successful);
  CHECK(as_string(*loader.resolved().rules[0].ast) ==
        "(a.b exists and not proc.name in (vi, nano))");
  CHECK_FALSE(r.has_warning(LoadCode::kUnusedList));
}
