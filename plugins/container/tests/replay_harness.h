// The container plugin through the real core, next to the real syscall plugin, on
// captures written here (CaptureWriter): processes seeded in podman/docker/containerd/CRI-O
// containers (v1, v2 and hybrid cgroup lists) and on the host, and a host process that
// execs into a container (what runc does). Shared by plugin_test.cpp and
// bench/container_runtime_bench.cpp.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace saker::container::testing {

extern const std::string kPodmanId;

// A file of plugins/container/tests/data.
std::string data(const std::string& name);
// NUL-separated list (scap's cgroups parameter).
std::string nul_list(std::initializer_list<std::string> v);
// A 64-hex-digit container id, distinct for each i.
std::string hex_id(int i);

struct Proc {
  uint64_t tid;
  std::string cgroups;
  std::string expect_id;  // full id or "host"
  std::string expect_type;
};

// The processes of the synthetic capture: one per cgroup form, then `extra` podman ones.
std::vector<Proc> processes(int extra);

// Writes the capture: the processes, `leading` events (whole scap events, e.g. container
// events), `per_thread` close events for each process, and an execve of thread 104 (a host
// shell) into a podman container, followed by one more event.
void write_capture(const std::string& path, const std::vector<Proc>& procs, int per_thread,
                   const std::vector<std::vector<uint8_t>>& leading = {});

struct Run {
  std::vector<std::vector<std::string>> rows;  // the fields' values, one row per event
  double seconds = 0;
};

// Replays `capture` (`loop` times) with the container plugin configured by
// `container_cfg`, rendering `fields` for every event; `pause_ms` pauses once at the first
// container event, giving the runtime worker time to answer. `container_lib`: the plugin's
// library (a path, or a name in the build's plugins directory).
Run replay(const std::string& capture, const std::string& container_cfg,
           const std::vector<std::string>& fields, int pause_ms = 0, int loop = 1,
           const std::string& container_lib = "libcontainer.so");

// The plugin's init_config for a podman socket at `sock`.
std::string config_for(const std::string& sock, bool stream = true);
// The same with only one engine enabled ("podman", "containerd", "cri") on `sock`.
std::string config_for_engine(const std::string& engine, const std::string& sock,
                              bool stream = true);

extern const std::string kNoRuntime;

}  // namespace saker::container::testing
