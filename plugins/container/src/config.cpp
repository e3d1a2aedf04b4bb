// init_config parsing (see config.h).
#include "config.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace saker::container {
namespace {

using Json = nlohmann::json;

struct EngineDefault {
  const char* name;
  bool enabled;
  std::vector<std::string> sockets;
};

template <class T>
T value(const Json& j, const char* key, T def) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return def;
  try {
    return it->get<T>();
  } catch (const std::exception&) {
    throw std::runtime_error(std::string("container plugin: init_config.") + key +
                             " has the wrong type");
  }
}

// The path with its symbolic links resolved as far as it exists (/var/run is /run on most
// systems); the path itself when that fails.
std::string resolved(const std::string& path) {
  std::error_code ec;
  auto p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

// An engine's socket already listed under another name is asked once, by its first name.
void add_endpoint(std::vector<Endpoint>* endpoints, const std::string& engine,
                  const std::string& socket) {
  const std::string real = resolved(socket);
  for (const auto& e : *endpoints) {
    if (e.engine == engine && resolved(e.socket) == real) return;
  }
  endpoints->push_back(Endpoint{engine, socket});
}

LiveOnly live_only(const Json& j, const char* key) {
  const std::string v = value<std::string>(j, key, "auto");
  if (v == "auto") return LiveOnly::kAuto;
  if (v == "always") return LiveOnly::kAlways;
  if (v == "never") return LiveOnly::kNever;
  throw std::runtime_error(std::string("container plugin: ") + key +
                           " must be auto, always or never");
}

}  // namespace

PluginConfig parse_config(const std::string& text) {
  Json j = Json::object();
  if (!text.empty()) {
    j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !(j.is_object() || j.is_null())) {
      throw std::runtime_error("container plugin: init_config must be a JSON object");
    }
    if (j.is_null()) j = Json::object();
  }
  PluginConfig c;
  WorkerOptions& w = c.worker;
  w.inspect.label_max_len = value<size_t>(j, "label_max_len", 100);
  w.connect_timeout_ms = value<uint32_t>(j, "connect_timeout_ms", w.connect_timeout_ms);
  w.request_timeout_ms = value<uint32_t>(j, "lookup_timeout_ms", w.request_timeout_ms);
  w.queue_capacity = value<size_t>(j, "lookup_queue", w.queue_capacity);
  w.event_stream = value<bool>(j, "event_stream", w.event_stream);
  w.exit_grace_ms = value<uint32_t>(j, "exit_grace_ms", w.exit_grace_ms);
  w.retry_ms = value<uint32_t>(j, "retry_ms", w.retry_ms);
  w.socket_backoff_ms = value<uint32_t>(j, "socket_backoff_ms", w.socket_backoff_ms);
  c.max_containers = value<size_t>(j, "max_containers", c.max_containers);
  c.max_threads = value<size_t>(j, "max_threads", c.max_threads);
  if (w.queue_capacity == 0 || c.max_containers == 0 || c.max_threads == 0) {
    throw std::runtime_error(
        "container plugin: lookup_queue, max_containers and max_threads must be positive");
  }
  c.proc_fallback = live_only(j, "proc_fallback");
  c.runtime_lookups = live_only(j, "runtime_lookups");

  const std::vector<EngineDefault> engines = {
      {"docker", true, {"/var/run/docker.sock"}},
      {"podman", true, {"/run/podman/podman.sock"}},
      {"containerd", true, {"/run/containerd/containerd.sock"}},
      // CRI-O's two usual names (one file where /var/run is /run), containerd's CRI plugin.
      {"cri", true,
       {"/run/crio/crio.sock", "/var/run/crio/crio.sock", "/run/containerd/containerd.sock"}},
      {"lxc", false, {}},
      {"libvirt_lxc", false, {}},
      {"bpm", false, {}}};
  const Json engines_cfg = value<Json>(j, "engines", Json::object());
  if (!engines_cfg.is_object()) {
    throw std::runtime_error("container plugin: init_config.engines must be an object");
  }
  for (const auto& [name, cfg] : engines_cfg.items()) {
    bool known = false;
    for (const auto& e : engines) known = known || name == e.name;
    if (!known) throw std::runtime_error("container plugin: unknown engine '" + name + "'");
  }
  for (const auto& e : engines) {
    const Json ec = engines_cfg.contains(e.name) ? engines_cfg.at(e.name) : Json::object();
    if (!ec.is_object()) {
      throw std::runtime_error(std::string("container plugin: engines.") + e.name +
                               " must be an object");
    }
    if (!value<bool>(ec, "enabled", e.enabled)) continue;
    const auto sockets = value<std::vector<std::string>>(ec, "sockets", e.sockets);
    const std::string engine = e.name;
    if (engine == "containerd") {
      w.containerd_namespaces =
          value<std::vector<std::string>>(ec, "namespaces", w.containerd_namespaces);
    }
    if (engine != "docker" && engine != "podman" && engine != "containerd" && engine != "cri") {
      c.unsupported_engines.push_back(engine);
      continue;
    }
    for (const auto& s : sockets) add_endpoint(&w.endpoints, engine, s);
  }
  return c;
}

}  // namespace saker::container
