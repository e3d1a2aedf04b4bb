// Tests of config_files layering: strategies, directory order, relative paths, nesting.
#include <doctest/doctest.h>

#include <algorithm>

#include "config/config.h"
#include "config/config_test_util.h"

using saker::core::Config;
using saker::core::ConfigError;
using saker::core::MergeStrategy;
using saker::core::test::TempDir;
using Strings = std::vector<std::string>;

namespace {

const char* kMain = R"(
rules_files: [a.yaml]
log_level: info
webserver:
  enabled: true
  listen_port: 8765
)";

bool has_warning(const Config& c, const std::string& needle) {
  return std::any_of(c.warnings().begin(), c.warnings().end(),
                     [&](const std::string& w) { return w.find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("config_files append: lists appended, scalars overridden, new keys added") {
  TempDir dir;
  dir.write(
      "extra.yaml",
      "rules_files: [b.yaml]\nlog_level: debug\nnew_key: 7\nwebserver:\n  listen_port: 9000\n");
  const std::string main =
      dir.write("saker.yaml", std::string(kMain) + "config_files: [extra.yaml]\n");
  const Config c = Config::load(main, {});
  CHECK(c.get<Strings>("rules_files", {}) == Strings{"a.yaml", "b.yaml"});
  CHECK(c.get<std::string>("log_level", "") == "debug");
  CHECK(c.get<int>("new_key", 0) == 7);
  CHECK(c.get<int>("webserver.listen_port", 0) == 9000);
  CHECK(c.get<bool>("webserver.enabled", false));  // nested maps merged, not replaced
  CHECK(c.loaded_files() == Strings{main, dir.path() + "/extra.yaml"});
}

TEST_CASE("config_files override: top-level keys replaced wholesale") {
  TempDir dir;
  dir.write("o.yaml", "rules_files: [b.yaml]\nwebserver:\n  listen_port: 9000\nnew_key: x\n");
  const std::string main =
      dir.write("saker.yaml",
                std::string(kMain) + "config_files:\n  - path: o.yaml\n    strategy: override\n");
  const Config c = Config::load(main, {});
  CHECK(c.get<Strings>("rules_files", {}) == Strings{"b.yaml"});
  CHECK(c.get<int>("webserver.listen_port", 0) == 9000);
  CHECK_FALSE(c.has("webserver.enabled"));
  CHECK(c.get<std::string>("new_key", "") == "x");
  CHECK(c.get<std::string>("log_level", "") == "info");
}

TEST_CASE("config_files add-only: only missing keys are added") {
  TempDir dir;
  dir.write("a.yaml",
            "rules_files: [b.yaml]\nlog_level: debug\nnew_key: 1\n"
            "webserver: {listen_port: 1, threadiness: 4}\n");
  const std::string main = dir.write(
      "saker.yaml", std::string(kMain) + "config_files: [{path: a.yaml, strategy: add-only}]\n");
  const Config c = Config::load(main, {});
  CHECK(c.get<Strings>("rules_files", {}) == Strings{"a.yaml"});
  CHECK(c.get<std::string>("log_level", "") == "info");
  CHECK(c.get<int>("new_key", 0) == 1);
  CHECK(c.get<int>("webserver.listen_port", 0) == 8765);
  CHECK(c.get<int>("webserver.threadiness", 0) == 4);
}

TEST_CASE("config_files: a directory loads *.yaml/*.yml in lexicographic order") {
  TempDir dir;
  dir.write("conf.d/20-b.yml", "order: [b]\nlast: b\n");
  dir.write("conf.d/10-a.yaml", "order: [a]\nlast: a\n");
  dir.write("conf.d/30-c.yaml", "order: [c]\nlast: c\n");
  dir.write("conf.d/40-ignored.txt", "order: [x]\nlast: x\n");
  dir.write("conf.d/sub/50-nested.yaml", "order: [y]\n");
  const std::string main = dir.write("saker.yaml", "order: [main]\nconfig_files: [conf.d]\n");
  const Config c = Config::load(main, {});
  CHECK(c.get<Strings>("order", {}) == Strings{"main", "a", "b", "c"});
  CHECK(c.get<std::string>("last", "") == "c");
  REQUIRE(c.loaded_files().size() == 4);
  CHECK(c.loaded_files()[1] == dir.path() + "/conf.d/10-a.yaml");
  CHECK(c.loaded_files()[3] == dir.path() + "/conf.d/30-c.yaml");
}

TEST_CASE("config_files: relative to the main file's folder, absolute as is, missing skipped") {
  TempDir dir;
  TempDir other;
  const std::string abs = other.write("abs.yaml", "from_abs: true\n");
  dir.write("etc/rel.yaml", "from_rel: true\n");
  const std::string main = dir.write(
      "etc/saker.yaml", "config_files: [rel.yaml, " + abs + ", config.d, missing.yaml]\n");
  const Config c = Config::load(main, {});
  CHECK(c.get<bool>("from_rel", false));
  CHECK(c.get<bool>("from_abs", false));
  CHECK(c.loaded_files().size() == 3);
  CHECK(has_warning(c, "config.d' does not exist"));
}

TEST_CASE("config_files: nested includes are ignored with a warning") {
  TempDir dir;
  dir.write("inner.yaml", "inner: 1\n");
  dir.write("outer.yaml", "outer: 1\nconfig_files: [inner.yaml]\n");
  const std::string main = dir.write("saker.yaml", "config_files: [outer.yaml]\n");
  const Config c = Config::load(main, {});
  CHECK(c.has("outer"));
  CHECK_FALSE(c.has("inner"));
  CHECK(c.get<Strings>("config_files", {}) == Strings{"outer.yaml"});
  CHECK(has_warning(c, "nested config_files"));
}

TEST_CASE("config_files: errors carry the included file and position") {
  TempDir dir;
  const std::string bad = dir.write("bad.yaml", "ok: 1\nlist: [1, 2\n");
  const std::string main = dir.write("saker.yaml", "config_files: [bad.yaml]\n");
  try {
    Config::load(main, {});
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == bad);
    CHECK(e.line() >= 2);
  }
  const std::string strat =
      dir.write("s.yaml", "config_files:\n  - path: x.yaml\n    strategy: merge\n");
  try {
    Config::load(strat, {});
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == strat);
    CHECK(e.line() == 3);
    CHECK(e.column() == 15);
    CHECK(std::string(e.what()).find("unknown strategy") != std::string::npos);
  }
}

TEST_CASE("config_files: malformed entries are rejected with their position") {
  for (const std::string entries :
       {"[{strategy: append}]", "[{path: [a, b]}]", "{path: x}", "[[x]]"}) {
    CAPTURE(entries);
    try {
      Config::from_string("a: 1\nconfig_files: " + entries + "\n", "main.yaml");
      FAIL("expected ConfigError");
    } catch (const ConfigError& e) {
      CHECK(e.file() == "main.yaml");
      CHECK(e.line() == 2);
    }
  }
}

TEST_CASE("type errors point into the included file that set the value") {
  TempDir dir;
  const std::string inc = dir.write("inc.yaml", "\nwebserver:\n  listen_port: lots\n");
  const std::string main =
      dir.write("saker.yaml", "webserver: {listen_port: 1}\nconfig_files: [inc.yaml]\n");
  const Config c = Config::load(main, {});
  try {
    (void)c.get<int>("webserver.listen_port", 0);
    FAIL("expected ConfigError");
  } catch (const ConfigError& e) {
    CHECK(e.file() == inc);
    CHECK(e.line() == 3);
    CHECK(e.column() == 16);
  }
}

TEST_CASE("merge_yaml applies a strategy to an in-memory document") {
  Config c = Config::from_string("a: [1]\nm: {x: 1}\n");
  c.merge_yaml("a: [2]\nm: {y: 2}\n", "inline", MergeStrategy::kAppend);
  CHECK(c.get<Strings>("a", {}) == Strings{"1", "2"});
  CHECK(c.get<int>("m.x", 0) == 1);
  CHECK(c.get<int>("m.y", 0) == 2);
  CHECK(c.loaded_files().empty());
}
