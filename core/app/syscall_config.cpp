// The default configuration and the falco.yaml → syscall init_config mapping.
#include "syscall_config.h"

#include "yaml_json.h"

namespace saker::app {

std::string_view default_config_yaml() {
  // The plugin keeps its own defaults for the engine's tuning keys (buffer sizes, ...), so
  // only the choice Falco's default makes is spelled out here. The container plugin comes
  // along, as Falco 0.41+ loads its container plugin by default (no load_plugins: every
  // listed plugin is loaded).
  return R"(engine:
  kind: modern_ebpf
plugins:
  - name: syscall
    library_path: libsyscall.so
  - name: container
    library_path: libcontainer.so
)";
}

SyscallMapping map_falco_syscall_keys(const core::Config& config,
                                      const std::string& init_config_text) {
  SyscallMapping m;
  m.init_config = nlohmann::json::object();
  if (!init_config_text.empty()) {
    m.init_config = nlohmann::json::parse(init_config_text, nullptr, /*allow_exceptions=*/false);
  }
  if (!m.init_config.is_object()) {
    throw core::ConfigError(std::string("plugin '") + kSyscallPluginName +
                            "': init_config must be a JSON object");
  }
  for (const char* key : kFalcoSyscallKeys) {
    const YAML::Node value = config.node(key);
    if (!config.has(key) || value.IsNull()) continue;
    if (m.init_config.contains(key)) {
      m.ignored.emplace_back(key);
      continue;
    }
    m.init_config[key] = yaml_to_json(value);
    m.mapped.emplace_back(key);
  }
  return m;
}

std::string engine_kind(const nlohmann::json& init_config) {
  if (!init_config.is_object()) return "";
  auto eng = init_config.find("engine");
  if (eng == init_config.end() || !eng->is_object()) return "";
  auto kind = eng->find("kind");
  return kind != eng->end() && kind->is_string() ? kind->get<std::string>() : "";
}

}  // namespace saker::app
