// Tests of core/config: typed getters, -o overrides, ${VAR} expansion, errors, dump.
#include "config/config.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include "config/config_test_util.h"

using saker::core::Config;
using saker::core::ConfigError;
using saker::core::test::TempDir;
using Strings = std::vector<std::string>;

namespace {

// Runs `fn`, which must throw ConfigError; returns it.
template <typename Fn>
ConfigError config_error(Fn&& fn) {
  try {
    fn();
  } catch (const ConfigError& e) {
    return e;
  }
  FAIL("expected a ConfigError");
  return ConfigError("unreachable");
}

bool contains(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("getters: types, defaults, has and node") {
  const Config c = Config::from_string(R"(
webserver: {enabled: yes, listen_port: 8765, ratio: 0.5, listen_address: "127.0.0.1"}
rules_files: [/etc/a.yaml, /etc/rules.d]
single: /etc/one.yaml
empty:
big: 4294967296
plugins:
  - name: container
    init_config: {label_max_len: 100}
)");
  CHECK(c.get<bool>("webserver.enabled", false));
  CHECK(c.get<int>("webserver.listen_port", 0) == 8765);
  CHECK(c.get<double>("webserver.ratio", 0.0) == doctest::Approx(0.5));
  CHECK(c.get<std::string>("webserver.listen_address", "0.0.0.0") == "127.0.0.1");
  CHECK(c.get<std::string>("webserver.missing", "0.0.0.0") == "0.0.0.0");
  CHECK(c.get<std::string>("nothing.at.all", "dflt") == "dflt");
  CHECK(c.get<std::string>("empty", "dflt") == "dflt");  // null counts as absent
  CHECK(c.get<std::string>("empty.below", "dflt") == "dflt");
  CHECK(c.get<std::uint64_t>("big", 0) == 4294967296ULL);
  CHECK(c.get<Strings>("rules_files", {}) == Strings{"/etc/a.yaml", "/etc/rules.d"});
  CHECK(c.get<Strings>("single", {}) == Strings{"/etc/one.yaml"});
  CHECK(c.get<Strings>("absent", {"x"}) == Strings{"x"});
  CHECK(c.get<int>("plugins[0].init_config.label_max_len", 0) == 100);
  CHECK(c.get<std::string>("plugins[5].name", "none") == "none");
  CHECK(c.has("empty"));
  CHECK(c.has("plugins[0].name"));
  CHECK_FALSE(c.has("plugins[1]"));
  CHECK_FALSE(c.has("rules_files.x"));  // has() never throws on a kind mismatch
  CHECK(c.node("plugins[0].init_config")["label_max_len"].as<int>() == 100);
  CHECK(c.node("nope").IsNull());
  CHECK(c.node("").IsMap());
}

TEST_CASE("getters: wrong types throw with the value's position") {
  TempDir dir;
  const std::string file = dir.write("saker.yaml",
                                     "log_level: info\nwebserver:\n  enabled: maybe\n"
                                     "  listen_port: -1\nrules_files: {a: b}\n");
  const Config c = Config::load(file, {});
  ConfigError e = config_error([&] { (void)c.get<bool>("webserver.enabled", true); });
  CHECK(e.file() == file);
  CHECK(e.line() == 3);
  CHECK(e.column() == 12);
  CHECK(contains(e.what(), "'webserver.enabled' must be a boolean"));
  e = config_error([&] { (void)c.get<unsigned>("webserver.listen_port", 1u); });
  CHECK(e.line() == 4);
  e = config_error([&] { (void)c.get<Strings>("rules_files", {}); });
  CHECK(contains(e.what(), "list of strings"));
  e = config_error([&] { (void)c.get<std::string>("rules_files", ""); });
  CHECK(contains(e.what(), "found a map"));
  e = config_error([&] { (void)c.get<int>("log_level.depth", 0); });
  CHECK(contains(e.what(), "'log_level' is the scalar 'info', not a map"));
  CHECK(e.line() == 1);
  e = config_error([&] { (void)c.get<int>("bad..path", 0); });
  CHECK(contains(e.what(), "empty key"));
}

TEST_CASE("malformed YAML reports file, line and column") {
  TempDir dir;
  const std::string file = dir.write("bad.yaml", "a: 1\nb:\n  - x\n  c: [1, 2\n");
  ConfigError e = config_error([&] { Config::load(file, {}); });
  CHECK(e.file() == file);
  CHECK(e.line() >= 3);
  CHECK(e.column() > 0);
  CHECK(contains(e.what(), file + ":"));
  e = config_error([&] { Config::from_string("- just\n- a list\n", "list.yaml"); });
  CHECK(contains(e.what(), "top level must be a map"));
  e = config_error([&] { Config::load(dir.path() + "/missing.yaml", {}); });
  CHECK(contains(e.what(), "Could not find configuration file at"));
}

TEST_CASE("no file at all: defaults, plus overrides") {
  const Config empty;
  CHECK(empty.get<bool>("stdout_output.enabled", true));
  const Config c = Config::load("", {"json_output=true"});
  CHECK(c.get<bool>("json_output", false));
  CHECK(c.loaded_files().empty());
  CHECK(Config::from_string("").get<int>("x", 3) == 3);
  CHECK(Config::from_string("# only a comment\n").dump() == "{}\n");
}

TEST_CASE("-o overrides: scalars, creation of paths, list indexes") {
  Config c = Config::from_string(
      R"(
webserver: {enabled: true}
plugins:
  - name: k8saudit
    open_params: http://:9765
base: {list: [a, b, c]}
)",
      "main",
      {"webserver.enabled=false", "new.deep.key=42", "plugins[0].open_params=http://:1234",
       "base.list[1]=B", "base.list[3]=d", "plugins[1].name=json", "fresh[0].x=1"});
  CHECK_FALSE(c.get<bool>("webserver.enabled", true));
  CHECK(c.get<int>("new.deep.key", 0) == 42);
  CHECK(c.get<std::string>("plugins[0].open_params", "") == "http://:1234");
  CHECK(c.get<std::string>("plugins[0].name", "") == "k8saudit");
  CHECK(c.get<Strings>("base.list", {}) == Strings{"a", "B", "c", "d"});
  CHECK(c.get<std::string>("plugins[1].name", "") == "json");
  CHECK(c.get<int>("fresh[0].x", 0) == 1);
  c.apply_override("webserver.enabled=~");
  CHECK(c.get<bool>("webserver.enabled", true));  // null: back to the default
  c.apply_override("empty=");
  CHECK(c.get<std::string>("empty", "dflt").empty());
}

TEST_CASE("-o overrides: escaped dots, flow collections, verbatim strings") {
  Config c =
      Config::from_string("static_fields: {}\n", "main",
                          {R"(static_fields.my\.dotted\.key=val)", "rules_files=[a.yaml, b.yaml]",
                           "webserver={enabled: false, listen_port: 9000}",
                           "program_output.program=jq '{text: .output}' | curl -d @- x",
                           R"(odd\=key=v=w)", "note=a #b"});
  CHECK(c.get<std::string>(R"(static_fields.my\.dotted\.key)", "") == "val");
  CHECK(c.node("static_fields")["my.dotted.key"].as<std::string>() == "val");
  CHECK(c.get<Strings>("rules_files", {}) == Strings{"a.yaml", "b.yaml"});
  CHECK(c.get<int>("webserver.listen_port", 0) == 9000);
  CHECK_FALSE(c.get<bool>("webserver.enabled", true));
  CHECK(c.get<std::string>("program_output.program", "") == "jq '{text: .output}' | curl -d @- x");
  CHECK(c.get<std::string>(R"(odd\=key)", "") == "v=w");
  CHECK(c.get<std::string>("note", "") == "a #b");
}

TEST_CASE("-o overrides: bad syntax and conflicts are rejected") {
  Config c = Config::from_string("log_level: info\nlist: [a]\n");
  const Strings bad = {"no_equals", "=value",          "a..b=1",     "a.=1",          "a[x]=1",
                       "a[1=1",     "a]b=1",           "[0]=1",      "trail\\",       "list[2]=x",
                       "x=[1, 2",   "log_level.sub=1", "list.key=1", "log_level[0]=1"};
  for (const std::string& option : bad) {
    CAPTURE(option);
    const ConfigError e = config_error([&] { c.apply_override(option); });
    CHECK(contains(e.what(), option.substr(0, 4)));
  }
  const ConfigError range = config_error([&] { c.apply_override("list[2]=x"); });
  CHECK(contains(range.what(), "out of range"));
  const ConfigError kind = config_error([&] { c.apply_override("log_level.sub=1"); });
  CHECK(contains(kind.what(), "'log_level' is the scalar 'info', not a map"));
  CHECK(kind.line() == 1);  // points at the conflicting value in the main document
  CHECK(c.get<std::string>("log_level", "") == "info");
  CHECK(c.get<Strings>("list", {}) == Strings{"a"});
  // A rejected option leaves nothing behind, not even the maps it would have created.
  CHECK_THROWS_AS(c.apply_override("fresh.map.list[1]=x"), ConfigError);
  CHECK_FALSE(c.has("fresh"));
  CHECK(c.dump() == "log_level: info\nlist: [a]\n");
}

TEST_CASE("${VAR} expansion and the ${{VAR}} escape") {
  setenv("SAKER_TEST_HOST", "example.org", 1);
  setenv("SAKER_TEST_PORT", "9443", 1);
  unsetenv("SAKER_TEST_UNSET");
  Config c = Config::from_string(R"(
url: https://${SAKER_TEST_HOST}:${SAKER_TEST_PORT}/x
port: ${SAKER_TEST_PORT}
literal: "${{SAKER_TEST_HOST}}"
unset: "[${SAKER_TEST_UNSET}]"
list: ["${SAKER_TEST_HOST}", plain]
anchor: &a "${{SAKER_TEST_HOST}}-${SAKER_TEST_PORT}"
alias: *a
open: ${unterminated
)",
                                 "env.yaml", {"from_cli=${SAKER_TEST_HOST}"});
  CHECK(c.get<std::string>("url", "") == "https://example.org:9443/x");
  CHECK(c.get<int>("port", 0) == 9443);
  CHECK(c.get<std::string>("literal", "") == "${SAKER_TEST_HOST}");
  CHECK(c.get<std::string>("unset", "") == "[]");
  CHECK(c.get<Strings>("list", {}) == Strings{"example.org", "plain"});
  CHECK(c.get<std::string>("anchor", "") == "${SAKER_TEST_HOST}-9443");
  CHECK(c.get<std::string>("alias", "") == "${SAKER_TEST_HOST}-9443");
  CHECK(c.get<std::string>("open", "") == "${unterminated");
  CHECK(c.get<std::string>("from_cli", "") == "example.org");
  REQUIRE(c.warnings().size() == 1);
  CHECK(contains(c.warnings()[0], "SAKER_TEST_UNSET"));
}

TEST_CASE("dump() emits the effective configuration") {
  const Config c = Config::from_string("a: 1\nb: [x, y]\n", "main", {"c.d=true"});
  const Config again = Config::from_string(c.dump(), "dump");
  CHECK(again.get<int>("a", 0) == 1);
  CHECK(again.get<Strings>("b", {}) == Strings{"x", "y"});
  CHECK(again.get<bool>("c.d", false));
  CHECK(Config::defaults_yaml() == "{}\n");
}
