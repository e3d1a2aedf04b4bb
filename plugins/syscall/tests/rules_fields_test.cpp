// Every syscall field the upstream Falco rules files use must be provided by the plugin
// (or the core). Fields of other plugins (container.*, k8s.*) are not the syscall
// plugin's business and are skipped. Lists the missing ones.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "test_util.h"

namespace {

std::set<std::string> fields_used(const std::string& file) {
  std::ifstream in(file);
  std::set<std::string> out;
  static const std::regex re(
      R"((?:^|[^/A-Za-z0-9_.])((evt|proc|thread|fd|fs\.path|user|group)\.[A-Za-z0-9_.]*[A-Za-z0-9_])(\[[^\]]*\])?)");
  for (std::string line; std::getline(in, line);) {
    auto hash = line.find_first_not_of(" \t");
    if (hash != std::string::npos && line[hash] == '#') continue;
    if (line.find("items:") != std::string::npos) continue;  // list items are not fields
    for (std::sregex_iterator it(line.begin(), line.end(), re), end; it != end; ++it) {
      out.insert((*it)[1].str());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every syscall field of the upstream rules files is known") {
  auto e = saker::test::make_engine();
  e->plugins().load({"s", "libsyscall.so", "", ""});
  e->register_fields();
  std::set<std::string> used, missing;
  for (const char* f :
       {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"}) {
    for (const auto& n : fields_used(std::string(SAKER_TESTDATA_DIR) + "/rules/" + f)) {
      used.insert(n);
    }
  }
  for (const auto& n : used) {
    if (!e->fields().find("syscall", n)) missing.insert(n);
  }
  std::ostringstream msg;
  for (const auto& m : missing) msg << m << ' ';
  MESSAGE("syscall fields used by the upstream rules: " << used.size() << ", missing: "
                                                        << missing.size() << " " << msg.str());
  CHECK(missing.empty());
}
