// Falco's habits for the syscall source, which saker serves with a plugin: the default
// configuration (no file given or found: syscall is the default source, live modern_ebpf
// engine) and the mapping of falco.yaml's top-level syscall keys (`engine:`,
// `base_syscalls:`, `syscall_event_drops:`, `capture:`) onto the syscall plugin's init_config, so that
// a Falco configuration moved over means the same thing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace saker::app {

inline constexpr const char* kSyscallPluginName = "syscall";
inline constexpr const char* kSyscallLibrary = "libsyscall.so";

// The configuration used when no file is given with -c and none exists at the default
// place: the syscall plugin with `engine.kind: modern_ebpf`, as Falco's default falco.yaml,
// and the container plugin (libcontainer.so, default init_config) next to it.
// -o overrides apply on top (e.g. -o engine.kind=replay, -o plugins[0].init_config=...).
std::string_view default_config_yaml();

// The falco.yaml top-level keys that belong to the syscall source, copied into the syscall
// plugin's init_config under the same name.
inline constexpr const char* kFalcoSyscallKeys[] = {"engine", "base_syscalls",
                                                    "syscall_event_drops", "capture"};

// What map_falco_syscall_keys did.
struct SyscallMapping {
  nlohmann::json init_config;        // the effective init_config (an object)
  std::vector<std::string> mapped;   // top-level keys copied in
  std::vector<std::string> ignored;  // top-level keys set but shadowed by init_config's own
};

// Copies each of kFalcoSyscallKeys present at the configuration's top level into
// `init_config_text` (JSON text, "" for none) unless it already has that key: the plugin's
// own init_config wins, key by key. Throws core::ConfigError if init_config is not a JSON
// object.
SyscallMapping map_falco_syscall_keys(const core::Config& config,
                                      const std::string& init_config_text);

// The engine kind in an effective init_config ("" when it names none).
std::string engine_kind(const nlohmann::json& init_config);

}  // namespace saker::app
