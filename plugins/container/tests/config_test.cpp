// init_config: Falco's container plugin keys, saker's bounds, and errors.
#include "config.h"

#include <doctest/doctest.h>

using namespace saker::container;

TEST_CASE("defaults: docker, podman, containerd and the CRI on their usual sockets") {
  auto c = parse_config("");
  REQUIRE(c.worker.endpoints.size() == 5);
  CHECK(c.worker.endpoints[0].engine == "docker");
  CHECK(c.worker.endpoints[0].socket == "/var/run/docker.sock");
  CHECK(c.worker.endpoints[1].engine == "podman");
  CHECK(c.worker.endpoints[1].socket == "/run/podman/podman.sock");
  CHECK(c.worker.endpoints[2].engine == "containerd");
  CHECK(c.worker.endpoints[2].socket == "/run/containerd/containerd.sock");
  CHECK(c.worker.endpoints[3].engine == "cri");
  CHECK(c.worker.endpoints[3].socket == "/run/crio/crio.sock");
  CHECK(c.worker.endpoints[4].engine == "cri");
  CHECK(c.worker.endpoints[4].socket == "/run/containerd/containerd.sock");
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
