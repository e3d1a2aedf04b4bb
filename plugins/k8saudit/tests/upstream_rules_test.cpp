// The upstream k8s_audit_rules.yaml loads and compiles with zero errors against this
// plugin's fields, and the Panther events replayed from a file through the rule engine
// raise alerts whose output fields carry the events' values.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "k8s_test_util.h"
#include "rules/runtime/rule_engine.h"
#include "test_util.h"

using namespace saker;

TEST_CASE("upstream k8s_audit_rules.yaml compiles and raises alerts on the Panther events") {
  auto e = test::make_engine();
  e->plugins().load({"k8s", "libk8saudit.so", "", "file://" + k8stest::panther_path()});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, (dir.path() / "a.jsonl").string());
  rules::RuleSet set(rules::engine_host(*e), {});
  auto res = set.load_file(std::string(SAKER_TESTDATA_DIR) + "/rules/k8s_audit_rules.yaml");
  REQUIRE_MESSAGE(res.successful, res.to_text());
  CHECK(res.errors.empty());
  MESSAGE(res.warnings.size(), " warnings");
  rules::RuleEngineOptions all;
  all.match_all = true;  // the first-match default would hide rules behind "Disallowed K8s User"
  rules::RuleEngine engine(set, all);
  engine.activate();
  CHECK(engine.num_active() > 20);
  e->set_sink(&engine);
  std::atomic<bool> stop{false};
  e->run({"k8s_audit"}, stop);
  std::map<std::string, int> by_rule;
  for (const auto& l : test::read_lines(dir.path() / "a.jsonl")) {
    auto j = nlohmann::json::parse(l);
    by_rule[j["rule"].get<std::string>()]++;
    auto a = nlohmann::json::parse(j["json"].get<std::string>());
    CHECK(a["source"] == "k8s_audit");
  }
  for (const auto& [rule, n] : by_rule) MESSAGE(rule, ": ", n);
  CHECK(by_rule.size() >= 3);
  CHECK(by_rule["Create Privileged Pod"] > 0);
  CHECK(by_rule["Anonymous Request Allowed"] == 3);
}
