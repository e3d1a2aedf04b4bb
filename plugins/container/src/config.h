// The container plugin's init_config. Falco's container plugin keys are accepted with the
// same meaning (label_max_len, engines.<name>.enabled/sockets; with_size, hooks and
// engine_timeout are accepted and have no effect here), plus saker's own bounds and timeouts:
//
//   {"label_max_len": 100,
//    "engines": {"docker": {"enabled": true, "sockets": ["/var/run/docker.sock"]},
//                "podman": {"enabled": true, "sockets": ["/run/podman/podman.sock"]},
//                "containerd": {"enabled": true, "sockets": ["/run/containerd/containerd.sock"],
//                               "namespaces": ["k8s.io", "moby", "default"]},
//                "cri": {"enabled": true, "sockets": ["/run/crio/crio.sock",
//                                                     "/var/run/crio/crio.sock",
//                                                     "/run/containerd/containerd.sock"]}},
//    "connect_timeout_ms": 1000, "lookup_timeout_ms": 3000, "lookup_queue": 1024,
//    "event_stream": true, "exit_grace_ms": 5000, "retry_ms": 2000,
//    "max_containers": 4096, "max_threads": 262144,
//    "proc_fallback": "auto",       // read /proc/PID/cgroup when the state has no cgroups:
//                                   // "auto" (live events only), "always", "never"
//    "runtime_lookups": "auto"}     // ask the runtimes: "auto" (live events only: a
//                                   // capture's containers are not this machine's), ...
//
// An engine's socket listed twice under names that resolve to one file (/var/run/crio/...
// and /run/crio/... where /var/run is a link to /run) is kept once, by its first name.
#pragma once

#include <string>
#include <vector>

#include "runtime_worker.h"

namespace saker::container {

// auto: only for live events (within a minute of the wall clock); always; never.
enum class LiveOnly { kAuto, kAlways, kNever };
using ProcFallback = LiveOnly;

struct PluginConfig {
  WorkerOptions worker;
  size_t max_containers = 4096;
  size_t max_threads = 262144;
  LiveOnly proc_fallback = LiveOnly::kAuto;
  LiveOnly runtime_lookups = LiveOnly::kAuto;
  std::vector<std::string> unsupported_engines;  // enabled but not implemented (logged)
};

// Throws sdk::PluginError-compatible std::runtime_error on invalid configuration.
PluginConfig parse_config(const std::string& json_text);

}  // namespace saker::container
