// Loads and compiles the five upstream Falco rules files against the test field provider
// (every field they use, typed as Falco declares it): zero errors, zero warnings, and the
// counts of rules, macros and lists compiled are printed.
#include <doctest/doctest.h>

#include <iostream>
#include <set>

#include "rules/testing/rules_fixture.h"
#include "rule_engine.h"

using namespace saker::rules;

namespace {

std::string testdata(const std::string& name) {
  return std::string(SAKER_TESTDATA_DIR) + "/rules/" + name;
}

void load_all(const std::vector<std::string>& files, size_t want_rules) {
  testing::Fixture f;
  RuleSet set(f.host(), {});
  for (const auto& file : files) {
    LoadResult r = set.load_file(testdata(file));
    INFO(r.to_text());
    CHECK(r.successful);
    CHECK(r.errors.empty());
    CHECK(r.warnings.empty());
  }
  const auto& c = set.compiled();
  RuleEngine engine(set);
  engine.activate();
  std::cout << "compiled";
  for (const auto& file : files) std::cout << " " << file;
  std::cout << ": " << c.rules.size() << " rules, " << c.num_macros << " macros, " << c.num_lists
            << " lists; " << engine.num_active() << " enabled\n";
  CHECK(c.rules.size() == want_rules);
}

}  // namespace

TEST_CASE("upstream syscall rules compile with zero errors and warnings") {
  load_all({"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"}, 93);
}

TEST_CASE("each upstream file compiles on its own") {
  load_all({"falco_rules.yaml"}, 25);
  load_all({"falco-incubating_rules.yaml"}, 31);
  load_all({"falco-sandbox_rules.yaml"}, 37);
  load_all({"k8s_audit_rules.yaml"}, 48);
  load_all({"aws_cloudtrail_rules.yaml"}, 22);
}

TEST_CASE("every upstream syscall rule has a finite event-type set") {
  testing::Fixture f;
  RuleSet set(f.host(), {});
  for (const char* file :
       {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"}) {
    set.load_file(testdata(file));
  }
  std::set<std::string> names;
  for (const auto& r : set.compiled().rules) {
    CHECK(r.num_event_names > 0);
    CHECK(r.num_event_names < 100);
    for (size_t c = 0; c < r.event_codes.size(); ++c) {
      if (r.event_codes[c]) names.insert(f.names()[c]);
    }
  }
  CHECK(names.size() == 41);  // RULE-LANGUAGE.md §4.2
}
