// Every ka.* / jevt.* field the upstream k8s audit rules use is provided by the plugin
// for the k8s_audit source, with the type the rules expect (string) and the argument
// they pass. The test lists any field that is missing.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "test_util.h"

using namespace saker;

TEST_CASE("the upstream k8s_audit_rules.yaml fields all exist with the right type") {
  std::ifstream in(std::string(SAKER_TESTDATA_DIR) + "/rules/k8s_audit_rules.yaml");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  std::set<std::string> used;
  std::regex re(R"(\b((?:ka|jevt|json)\.[A-Za-z0-9_.]*[A-Za-z0-9_])(\[[^\]]*\])?)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    used.insert((*it)[1]);
  }
  REQUIRE(used.size() > 30);
  auto e = test::make_engine();
  e->plugins().load({"k8s", "libk8saudit.so", "", ""});
  e->register_fields();
  std::vector<std::string> missing;
  for (const auto& name : used) {
    const auto* def = e->fields().find("k8s_audit", name);
    if (!def) {
      missing.push_back(name);
      continue;
    }
    CHECK_MESSAGE(def->type == SAKER_FIELD_STRING, name);
  }
  CHECK_MESSAGE(missing.empty(), "missing fields: ", doctest::toString(missing.size()));
  for (const auto& m : missing) MESSAGE("missing: ", m);
  MESSAGE(used.size(), " distinct fields used by the upstream rules");
  // Arguments as the rules write them.
  uint32_t h = 0, type = 0;
  CHECK(e->resolve_field("k8s_audit", "ka.uri.param", "command", &h, &type) == SAKER_OK);
  CHECK(e->resolve_field("k8s_audit", "jevt.value", "/requestObject/spec/volumes", &h, &type) ==
        SAKER_OK);
  CHECK(e->resolve_field("k8s_audit", "ka.req.pod.containers.image", "0", &h, &type) == SAKER_OK);
}
