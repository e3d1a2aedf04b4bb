// Tests of the default configuration and of the falco.yaml → syscall init_config mapping.
#include "syscall_config.h"

#include <doctest/doctest.h>

using saker::app::default_config_yaml;
using saker::app::engine_kind;
using saker::app::map_falco_syscall_keys;
using saker::core::Config;
using saker::core::ConfigError;
using Json = nlohmann::json;

namespace {

// A Falco-style configuration: the syscall source's keys at the top level.
constexpr const char* kFalcoYaml = R"(
engine:
  kind: modern_ebpf
  modern_ebpf:
    buf_size_preset: 4
    cpus_for_each_buffer: 2
    drop_failed_exit: false
  replay:
    capture_file: ""
base_syscalls:
  custom_set: [openat, "!read"]
  repair: true
syscall_event_drops:
  threshold: .1
  actions: [log, alert]
  rate: .03333
  max_burst: 1
  simulate_drops: false
)";

}  // namespace

TEST_CASE("the default configuration loads the syscall plugin with modern_ebpf") {
  Config c = Config::from_string(std::string(default_config_yaml()), "<defaults>");
  CHECK(c.get<std::string>("engine.kind", "") == "modern_ebpf");
  CHECK(c.get<std::string>("plugins[0].name", "") == "syscall");
  CHECK(c.get<std::string>("plugins[0].library_path", "") == "libsyscall.so");
  CHECK_FALSE(c.has("load_plugins"));
}

TEST_CASE("the default configuration loads the container plugin next to the syscall plugin") {
  Config c = Config::from_string(std::string(default_config_yaml()), "<defaults>");
  CHECK(c.get<std::string>("plugins[1].name", "") == "container");
  CHECK(c.get<std::string>("plugins[1].library_path", "") == "libcontainer.so");
}

TEST_CASE("-o overrides apply on top of the default configuration") {
  Config c = Config::from_string(std::string(default_config_yaml()), "<defaults>",
                                 {"engine.kind=replay", "engine.replay.capture_file=x.scap",
                                  "plugins[0].init_config={engine: {kind: nodriver}}"});
  CHECK(c.get<std::string>("engine.kind", "") == "replay");
  CHECK(c.get<std::string>("plugins[0].name", "") == "syscall");
  CHECK(c.get<std::string>("plugins[0].init_config.engine.kind", "") == "nodriver");
}

TEST_CASE("Falco's top-level syscall keys map onto an empty init_config") {
  Config c = Config::from_string(kFalcoYaml);
  auto m = map_falco_syscall_keys(c, "");
  CHECK(m.mapped == std::vector<std::string>{"engine", "base_syscalls", "syscall_event_drops"});
  CHECK(m.ignored.empty());
  const Json& j = m.init_config;
  CHECK(engine_kind(j) == "modern_ebpf");
  CHECK(j["engine"]["modern_ebpf"]["buf_size_preset"] == 4);
  CHECK(j["engine"]["modern_ebpf"]["cpus_for_each_buffer"] == 2);
  CHECK(j["engine"]["modern_ebpf"]["drop_failed_exit"] == false);
  CHECK(j["engine"]["replay"]["capture_file"] == "");
  CHECK(j["base_syscalls"]["custom_set"] == Json::array({"openat", "!read"}));
  CHECK(j["base_syscalls"]["repair"] == true);
  CHECK(j["syscall_event_drops"]["threshold"].get<double>() == doctest::Approx(0.1));
  CHECK(j["syscall_event_drops"]["actions"] == Json::array({"log", "alert"}));
  CHECK(j["syscall_event_drops"]["max_burst"] == 1);
}

TEST_CASE("Falco's capture block maps onto init_config") {
  Config c = Config::from_string(
      "capture:\n  enabled: true\n  path_prefix: /tmp/cap\n  mode: all_rules\n"
      "  default_duration: 5000\n  max_file_size_mb: 10\n",
      "<test>", {"capture.default_duration=60000"});
  auto m = map_falco_syscall_keys(c, "");
  CHECK(m.mapped == std::vector<std::string>{"capture"});
  const Json& j = m.init_config["capture"];
  CHECK(j["enabled"] == true);
  CHECK(j["path_prefix"] == "/tmp/cap");
  CHECK(j["mode"] == "all_rules");
  CHECK(j["default_duration"] == 60000);
  CHECK(j["max_file_size_mb"] == 10);
}

TEST_CASE("the plugin's own init_config wins, key by key") {
  Config c = Config::from_string(kFalcoYaml);
  auto m = map_falco_syscall_keys(
      c, R"({"engine": {"kind": "replay", "replay": {"capture_file": "a.scap"}}, "limits": {}})");
  CHECK(m.ignored == std::vector<std::string>{"engine"});
  CHECK(m.mapped == std::vector<std::string>{"base_syscalls", "syscall_event_drops"});
  CHECK(engine_kind(m.init_config) == "replay");
  CHECK(m.init_config["engine"]["replay"]["capture_file"] == "a.scap");
  CHECK(m.init_config.contains("limits"));
  CHECK(m.init_config["base_syscalls"]["repair"] == true);
}

TEST_CASE("a configuration without the keys leaves init_config alone") {
  Config c = Config::from_string("json_output: true\n");
  auto m = map_falco_syscall_keys(c, R"({"limits": {"max_threads": 10}})");
  CHECK(m.mapped.empty());
  CHECK(m.init_config == Json::parse(R"({"limits": {"max_threads": 10}})"));
  CHECK(engine_kind(m.init_config).empty());
}

TEST_CASE("engine.kind nodriver is carried through for the caller to act on") {
  Config c = Config::from_string("engine: {kind: nodriver}\n");
  CHECK(engine_kind(map_falco_syscall_keys(c, "").init_config) == "nodriver");
}

TEST_CASE("an init_config that is not a JSON object is a configuration error") {
  Config c = Config::from_string(kFalcoYaml);
  CHECK_THROWS_AS(map_falco_syscall_keys(c, "[1, 2]"), ConfigError);
  CHECK_THROWS_AS(map_falco_syscall_keys(c, "not json"), ConfigError);
}
