// Rules end to end through the real engine: the in-memory test source (mem.* fields) →
// the rule engine loaded from a rules file → the capturing output plugin. Checks alert
// text and Falco's JSON keys, rule_matching, the priority threshold and rules: selections.
#include <doctest/doctest.h>

#include <fstream>

#include "rules/runtime/rule_engine.h"
#include "test_util.h"

using namespace saker;

namespace {

const char* kRules = R"(
- list: sensitive
  items: [/etc/shadow, "/etc/my file"]
- macro: is_even
  condition: evt.type = even
- rule: Sensitive read
  desc: d
  condition: is_even and mem.kv[path] in (sensitive) and not mem.user in (root)
  output: "%mem.user read %mem.kv[path] pid=%mem.pid"
  priority: WARNING
  source: mem
  tags: [files, b]
- rule: Any bob
  desc: d
  condition: mem.user = bob or mem.kv[path] startswith /etc
  output: "bob-or-etc %mem.user"
  priority: DEBUG
  source: mem
  tags: [people]
)";

struct Run {
  std::vector<nlohmann::json> alerts;
  std::map<std::string, int> by_rule;
};

Run run(rules::RuleSetOptions so, rules::RuleEngineOptions eo) {
  auto e = test::make_engine();
  e->plugins().load({"mem", "libmem_source.so",
                     R"({"count":4,"payloads":["user=alice pid=42 path=/etc/shadow",
                                               "user=bob pid=7 path=/tmp/x"]})",
                     ""});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, (dir.path() / "a.jsonl").string());
  std::ofstream(dir.path() / "r.yaml") << kRules;
  rules::RuleSet set(rules::engine_host(*e), so);
  auto res = set.load_file((dir.path() / "r.yaml").string());
  REQUIRE_MESSAGE(res.successful, res.to_text());
  rules::RuleEngine engine(set, eo);
  engine.activate();
  e->set_sink(&engine);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  Run r;
  for (const auto& l : test::read_lines(dir.path() / "a.jsonl")) {
    auto j = nlohmann::json::parse(l);
    r.alerts.push_back(nlohmann::json::parse(j["json"].get<std::string>()));
    r.by_rule[j["rule"].get<std::string>()]++;
  }
  return r;
}

}  // namespace

TEST_CASE("rules raise Falco-shaped alerts through the real engine") {
  Run r = run({}, {});
  // events: alice(even), bob(odd), alice(even), bob(odd); first match wins
  CHECK(r.by_rule["Sensitive read"] == 2);
  CHECK(r.by_rule["Any bob"] == 2);
  REQUIRE(!r.alerts.empty());
  const auto& j = r.alerts[0];
  CHECK(j["rule"] == "Sensitive read");
  CHECK(j["priority"] == "Warning");
  CHECK(j["source"] == "mem");
  CHECK(j["hostname"] == "test-host");
  CHECK(j["tags"] == nlohmann::json::array({"b", "files"}));
  CHECK(j["time"] == "2023-11-14T22:13:20.000000000Z");
  CHECK(j["output_fields"]["mem.pid"] == 42);
  CHECK(j["output_fields"]["mem.kv[path]"] == "/etc/shadow");
  CHECK(j["output_fields"]["evt.time"] == 1700000000000000000ull);
  CHECK(j["output"].get<std::string>().find(": Warning alice read /etc/shadow pid=42") !=
        std::string::npos);
}

TEST_CASE("rule_matching: all reports every matching rule") {
  rules::RuleEngineOptions eo;
  eo.match_all = true;
  Run r = run({}, eo);
  CHECK(r.by_rule["Sensitive read"] == 2);
  CHECK(r.by_rule["Any bob"] == 4);  // alice's /etc path matches too
}

TEST_CASE("priority threshold and rules: selections") {
  rules::RuleSetOptions so;
  so.min_priority = core::Priority::kInformational;
  Run r = run(so, {});
  CHECK(r.by_rule["Any bob"] == 0);
  CHECK(r.by_rule["Sensitive read"] == 2);

  rules::RuleSetOptions sel;
  sel.selections = {{false, std::nullopt, std::string("files")}};
  Run r2 = run(sel, {});
  CHECK(r2.by_rule["Sensitive read"] == 0);
  CHECK(r2.by_rule["Any bob"] == 4);
}
