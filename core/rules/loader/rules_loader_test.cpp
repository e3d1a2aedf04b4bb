// Tests of the loader facade: persistence across files, diagnostics positions, snippets and
// the result JSON.
#include "rules_loader.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace saker::rules;

TEST_CASE("later files see and override earlier ones") {
  RulesLoader loader;
  LoadResult a = loader.load_content(
      "a.yaml",
      "- list: shells\n  items: [sh]\n- macro: spawned\n  condition: evt.type = execve\n"
      "- rule: r\n  condition: spawned and proc.name in (shells)\n  desc: d\n  output: o\n"
      "  priority: INFO\n");
  REQUIRE(a.successful);
  LoadResult b = loader.load_content(
      "b.yaml",
      "- list: shells\n  items: [bash]\n  override:\n    items: append\n"
      "- rule: r\n  condition: and user.uid = 0\n  override:\n    condition: append\n");
  REQUIRE(b.successful);
  CHECK(b.warnings.empty());
  CHECK(as_string(*loader.resolved().rules[0].ast) ==
        "(evt.type = execve and proc.name in (sh, bash) and user.uid = 0)");
}

TEST_CASE("a condition error is reported after the whole file was read") {
  RulesLoader loader;
  LoadResult bad = loader.load_content("b.yaml",
                                       "- macro: x\n  condition: a.b = 1 or\n"
                                       "- list: read_anyway\n  items: []\n");
  CHECK_FALSE(bad.successful);
  CHECK(bad.errors.at(0).code == LoadCode::kErrCompileCondition);
  CHECK(loader.collector().list("read_anyway") != nullptr);
}

TEST_CASE("a failing file keeps the previous resolved set and reports one error") {
  RulesLoader loader;
  REQUIRE(loader
              .load_content("a.yaml",
                            "- macro: m\n  condition: a.b exists\n"
                            "- rule: r\n  condition: m\n  desc: d\n  output: o\n"
                            "  priority: INFO\n")
              .successful);
  // a reading error stops the file: later items are not collected
  LoadResult bad = loader.load_content("b.yaml", "- macro: x\n- list: never_read\n  items: []\n");
  CHECK_FALSE(bad.successful);
  CHECK(bad.errors.size() == 1);
  CHECK(loader.resolved().rules.size() == 1);
  CHECK(loader.collector().list("never_read") == nullptr);  // the file stopped at its error
}

TEST_CASE("condition errors carry the YAML position plus the parser position") {
  RulesLoader loader;
  LoadResult r = loader.load_content("t.yaml",
                                     "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n"
                                     "  condition: a.b = 1 andx\n");
  REQUIRE(r.errors.size() == 1);
  const Diagnostic& d = r.errors[0];
  CHECK(d.code == LoadCode::kErrCompileCondition);
  CHECK(d.message == "expected blank or '(' after 'and'");
  REQUIRE(d.context.locations.size() >= 3);
  CHECK(d.context.locations[2].item_type == "rule");
  CHECK(d.context.locations[2].item_name == "r");
  const Location& expr = d.context.locations.back();
  CHECK(expr.item_type == "condition expression");
  CHECK(expr.position.line == 5);
  CHECK(expr.position.column == 25);  // condition starts at column 14, error at offset 11
  CHECK(d.snippet == "  condition: a.b = 1 andx\n                        ^");
  CHECK(d.to_text().rfind("t.yaml:5:25: LOAD_ERR_COMPILE_CONDITION:", 0) == 0);
}

TEST_CASE("result JSON has Falco's shape") {
  RulesLoader loader;
  LoadResult r = loader.load_content("t.yaml", "- macro: m\n  condition: a.b exists\n");
  auto j = nlohmann::json::parse(results_to_json({r}));
  const auto& f = j.at("falco_load_results").at(0);
  CHECK(f.at("name") == "t.yaml");
  CHECK(f.at("successful") == true);
  CHECK(f.at("errors").empty());
  REQUIRE(f.at("warnings").size() == 1);
  const auto& w = f.at("warnings")[0];
  CHECK(w.at("code") == "LOAD_UNUSED_MACRO");
  CHECK(w.at("codedesc") == "Unused macro");
  CHECK(w.at("message") == "Macro not referred to by any other rule/macro");
  const auto& loc = w.at("context").at("locations").back();
  CHECK(loc.at("item_type") == "macro");
  CHECK(loc.at("item_name") == "m");
  CHECK(loc.at("position").at("line") == 1);
  CHECK(loc.at("position").at("column") == 3);
}

TEST_CASE("missing files and unsafe <NA> checks") {
  RulesLoader loader;
  LoadResult missing = loader.load_file("/nonexistent/rules.yaml");
  CHECK_FALSE(missing.successful);
  CHECK(missing.errors.at(0).code == LoadCode::kErrFileRead);
  LoadResult na =
      loader.load_content("t.yaml",
                          "- rule: r\n  condition: ka.user.name in (\"<NA>\", x) or evt.dir = <\n"
                          "  desc: d\n  output: o\n  priority: INFO\n  source: k8s_audit\n");
  CHECK(na.successful);
  CHECK(na.has_warning(LoadCode::kUnsafeNaCheck));
  CHECK(na.has_warning(LoadCode::kDeprecatedItem));
}

TEST_CASE("deep conditions hit the depth limit instead of the stack") {
  RulesLoader loader;
  std::string deep = std::string(400, '(') + "a" + std::string(400, ')');
  LoadResult r = loader.load_content("t.yaml", "- macro: m\n  condition: \"" + deep + "\"\n");
  REQUIRE_FALSE(r.successful);
  CHECK(r.errors[0].message == "exceeded max depth limit of 1000");
}
