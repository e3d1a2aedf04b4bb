// Loads every upstream rules file of the test data (standalone, then the syscall rulesets
// in Falco's order) and checks that every list, macro and rule condition parses and
// resolves without error or warning; prints the counts per file.
#include <doctest/doctest.h>

#include <filesystem>
#include <iostream>
#include <map>

#include "rules_loader.h"

using namespace saker::rules;

namespace {

const std::string kRulesDir = std::string(SAKER_TESTDATA_DIR) + "/rules/";

struct Counts {
  size_t rules, macros, lists;
  bool operator==(const Counts&) const = default;
};

Counts load_and_count(RulesLoader& loader, const std::string& file) {
  LoadResult r = loader.load_file(kRulesDir + file);
  INFO(r.to_text());
  CHECK(r.successful);
  CHECK(r.warnings.empty());
  const ResolvedRuleSet& set = loader.resolved();
  for (const auto& rule : set.rules) {
    bool has_identifier = false;
    for_each_node(*rule.ast,
                  [&](const Expr& e) { has_identifier |= e.kind() == ExprKind::kIdentifier; });
    CHECK_MESSAGE(!has_identifier, rule.info.name);
  }
  Counts c{set.rules.size(), set.macros.size(), set.lists.size()};
  std::cout << file << ": rules=" << c.rules << " macros=" << c.macros << " lists=" << c.lists
            << "\n";
  return c;
}

}  // namespace

TEST_CASE("every upstream rules file loads on its own without errors or warnings") {
  const std::map<std::string, Counts> expected = {{"falco_rules.yaml", {25, 87, 49}},
                                                  {"falco-incubating_rules.yaml", {31, 82, 54}},
                                                  {"falco-sandbox_rules.yaml", {37, 183, 60}},
                                                  {"k8s_audit_rules.yaml", {48, 45, 18}},
                                                  {"aws_cloudtrail_rules.yaml", {22, 0, 1}}};
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kRulesDir)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".yaml") continue;
    RulesLoader loader;
    Counts c = load_and_count(loader, file);
    ++files;
    auto it = expected.find(file);
    if (it != expected.end()) CHECK(c == it->second);
  }
  CHECK(files >= expected.size());
}

TEST_CASE("the three syscall rulesets load together in order") {
  RulesLoader loader;
  load_and_count(loader, "falco_rules.yaml");
  load_and_count(loader, "falco-incubating_rules.yaml");
  Counts all = load_and_count(loader, "falco-sandbox_rules.yaml");
  CHECK(all == Counts{93, 315, 118});
  // python_package_managers shrinks: the later files redefine it without 'uv'
  const ListInfo* ppm = loader.collector().list("python_package_managers");
  REQUIRE(ppm != nullptr);
  CHECK(ppm->items == std::vector<std::string>{"pip", "pip3", "conda"});
  size_t disabled = 0;
  for (const auto& r : loader.collector().rules()) disabled += r.enabled ? 0 : 1;
  CHECK(disabled == 12);
}
