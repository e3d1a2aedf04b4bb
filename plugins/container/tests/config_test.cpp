// init_config: Falco's container plugin keys, saker's bounds, and errors.
#include "config.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <unistd.h>

using namespace saker::container;

namespace {

std::vector<std::string> sockets_of(const PluginConfig& c, const std::string& engine) {
  std::vector<std::string> out;
  for (const auto& e : c.worker.endpoints) {
    if (e.engine == engine) out.push_back(e.socket);
  }
  return out;
}

// Where /var/run is a link to /run (Debian, Fedora...), CRI-O's two names are one socket.
bool var_run_is_run() {
  std::error_code ec;
  return std::filesystem::equivalent("/var/run", "/run", ec);
}

}  // namespace

TEST_CASE("defaults: docker, podman, containerd and the CRI on their usual sockets") {
  auto c = parse_config("");
  REQUIRE(c.worker.endpoints.size() >= 5);
  CHECK(c.worker.endpoints[0].engine == "docker");
  CHECK(c.worker.endpoints[0].socket == "/var/run/docker.sock");
  CHECK(c.worker.endpoints[1].engine == "podman");
  CHECK(c.worker.endpoints[1].socket == "/run/podman/podman.sock");
  CHECK(c.worker.endpoints[2].engine == "containerd");
  CHECK(c.worker.endpoints[2].socket == "/run/containerd/containerd.sock");
  // The CRI: CRI-O's standard sockets, then containerd's CRI plugin.
  if (var_run_is_run()) {
    CHECK(sockets_of(c, "cri") ==
          std::vector<std::string>{"/run/crio/crio.sock", "/run/containerd/containerd.sock"});
  } else {
    CHECK(sockets_of(c, "cri") ==
          std::vector<std::string>{"/run/crio/crio.sock", "/var/run/crio/crio.sock",
                                   "/run/containerd/containerd.sock"});
  }
  CHECK(c.worker.containerd_namespaces == std::vector<std::string>{"k8s.io", "moby", "default"});
  CHECK(c.unsupported_engines.empty());
  CHECK(c.proc_fallback == ProcFallback::kAuto);
}

TEST_CASE("Falco's keys") {
  auto c = parse_config(R"({"label_max_len": 20, "with_size": false, "hooks": ["create"],
    "engine_timeout": 10,
    "engines": {"docker": {"enabled": false},
                "podman": {"enabled": true, "sockets": ["/a.sock", "/b.sock"]},
                "containerd": {"enabled": true, "sockets": ["/c.sock"], "namespaces": ["x"]},
                "cri": {"enabled": true, "sockets": ["/run/crio/crio.sock"]},
                "lxc": {"enabled": true}}})");
  CHECK(c.worker.inspect.label_max_len == 20);
  REQUIRE(c.worker.endpoints.size() == 4);
  CHECK(c.worker.endpoints[1].socket == "/b.sock");
  CHECK(c.worker.endpoints[2].engine == "containerd");
  CHECK(c.worker.endpoints[2].socket == "/c.sock");
  CHECK(c.worker.containerd_namespaces == std::vector<std::string>{"x"});
  CHECK(c.worker.endpoints[3].engine == "cri");
  CHECK(c.unsupported_engines == std::vector<std::string>{"lxc"});
}

TEST_CASE("saker's timeouts and bounds") {
  auto c = parse_config(R"({"lookup_timeout_ms": 200, "connect_timeout_ms": 50,
    "lookup_queue": 4, "max_containers": 10, "max_threads": 100, "proc_fallback": "never",
    "runtime_lookups": "always",
    "event_stream": false})");
  CHECK(c.worker.request_timeout_ms == 200);
  CHECK(c.worker.connect_timeout_ms == 50);
  CHECK(c.worker.queue_capacity == 4);
  CHECK(c.max_containers == 10);
  CHECK(c.max_threads == 100);
  CHECK(c.proc_fallback == ProcFallback::kNever);
  CHECK(c.runtime_lookups == LiveOnly::kAlways);
  CHECK_FALSE(c.worker.event_stream);
}

TEST_CASE("errors are reported") {
  CHECK_THROWS(parse_config("[1]"));
  CHECK_THROWS(parse_config("{bad"));
  CHECK_THROWS(parse_config(R"({"engines": {"rkt": {}}})"));
  CHECK_THROWS(parse_config(R"({"proc_fallback": "sometimes"})"));
  CHECK_THROWS(parse_config(R"({"runtime_lookups": 1})"));
  CHECK_THROWS(parse_config(R"({"lookup_queue": 0})"));
  CHECK_THROWS(parse_config(R"({"label_max_len": "x"})"));
}

TEST_CASE("a socket named twice through a link is asked once, by its first name") {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("saker-config-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "run" / "crio");
  std::filesystem::remove(dir / "var-run");
  std::filesystem::create_directory_symlink(dir / "run", dir / "var-run");
  const std::string run = (dir / "run" / "crio" / "crio.sock").string();
  const std::string var_run = (dir / "var-run" / "crio" / "crio.sock").string();
  auto c = parse_config(R"({"engines": {"docker": {"enabled": false}, "podman": {"enabled":
    false}, "containerd": {"sockets": [")" + run + R"("]}, "cri": {"sockets": [")" + var_run +
                        R"(", ")" + run + R"(", "/elsewhere/crio.sock"]}}})");
  // Another engine may use the same socket (containerd's API and its CRI plugin).
  CHECK(sockets_of(c, "containerd") == std::vector<std::string>{run});
  CHECK(sockets_of(c, "cri") == std::vector<std::string>{var_run, "/elsewhere/crio.sock"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("CRI-O's and kubelet's containers ask the CRI sockets first") {
  auto c = parse_config("");
  auto first = [&](const std::string& type) {
    const auto order = lookup_order(c.worker.endpoints, type);
    REQUIRE(order.size() == c.worker.endpoints.size());
    return c.worker.endpoints[order[0]];
  };
  // crio-<id>.scope (cgroup_match: type cri-o) and a bare id under kubepods (type cri).
  for (const char* type : {"cri-o", "cri"}) {
    const Endpoint e = first(type);
    CHECK(e.engine == "cri");
    CHECK(e.socket == "/run/crio/crio.sock");
  }
  CHECK(first("containerd").engine == "containerd");
  CHECK(first("docker").engine == "docker");
  // Every endpoint is still tried, each once.
  auto order = lookup_order(c.worker.endpoints, "cri-o");
  std::sort(order.begin(), order.end());
  CHECK(std::adjacent_find(order.begin(), order.end()) == order.end());
}
