// What the container runtime's state costs the event path: the container plugin enriching
// a replayed capture (350 threads, 300 of them in podman containers, every event rendering
// container.id, .name and .type) with no runtime configured, a healthy runtime, an absent
// socket, a socket nobody listens on, and a runtime that accepts and never answers; the
// last three also for a containerd (gRPC) socket.
// The plugin asks the runtime from its own worker thread, so a broken runtime should cost
// the event path nothing: the table gives events/s per state and its ratio to "no runtime".
// Usage: container_runtime_bench [rounds=5] [loops=1000]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fake_runtime.h"
#include "replay_harness.h"
#include "test_util.h"

using namespace saker::container::testing;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

struct State {
  std::string name;
  std::string config;
  const FakeRuntime* runtime = nullptr;
  std::vector<double> eps;
  std::size_t events = 0;
  std::size_t named = 0;  // events whose container.name came from the runtime
};

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  const int loops = argc > 2 ? std::atoi(argv[2]) : 1000;
  saker::test::TempDir dir;
  const auto procs = processes(300);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 4);

  FakeRuntime healthy((dir.path() / "ok.sock").string(), FakeRuntime::Mode::kHealthy);
  for (int i = 0; i < 300; ++i) healthy.add_container(hex_id(100 + i), data("podman4.3_inspect_mount.json"));
  FakeRuntime refusing((dir.path() / "refuse.sock").string(), FakeRuntime::Mode::kRefuse);
  FakeRuntime hung((dir.path() / "hang.sock").string(), FakeRuntime::Mode::kHang);

  std::vector<State> states = {
      {"no runtime configured", kNoRuntime, nullptr, {}, 0, 0},
      {"healthy runtime", config_for(healthy.path()), &healthy, {}, 0, 0},
      {"socket absent", config_for((dir.path() / "absent.sock").string()), nullptr, {}, 0, 0},
      {"socket refusing", config_for(refusing.path()), &refusing, {}, 0, 0},
      {"runtime hung (accepts, never answers)", config_for(hung.path()), &hung, {}, 0, 0},
      {"containerd socket absent",
       config_for_engine("containerd", (dir.path() / "absent-ctrd.sock").string()), nullptr, {}, 0, 0},
      {"containerd socket refusing", config_for_engine("containerd", refusing.path()), &refusing,
       {}, 0, 0},
      {"containerd hung (accepts, never answers)", config_for_engine("containerd", hung.path()),
       &hung, {}, 0, 0},
  };
  const std::vector<std::string> fields = {"container.id", "container.name", "container.type"};
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t k = 0; k < states.size(); ++k) {
      // order reversed every other round, so that drift on a shared machine evens out
      State& s = states[r % 2 ? states.size() - 1 - k : k];
      auto run = replay(cap, s.config, fields, 0, loops);
      s.eps.push_back(run.rows.size() / run.seconds);
      s.events = run.rows.size();
      s.named = 0;
      for (const auto& row : run.rows)
        if (row.size() > 1 && row[1] != "<NA>" && row[1] != "host" && !row[1].empty()) ++s.named;
      std::fprintf(stderr, "round %d/%d: %s: %.0f events/s\n", r + 1, rounds, s.name.c_str(),
                   s.eps.back());
    }
  }
  const double base = median(states[0].eps);
  std::printf("\ncontainer plugin: event path vs the runtime socket's state (%d rounds, median; "
              "%zu events per run)\n\n",
              rounds, states[0].events);
  std::printf("| runtime | events/s | vs no runtime | events with container.name | runtime requests |\n");
  std::printf("|---|---|---|---|---|\n");
  for (const auto& s : states) {
    const double eps = median(s.eps);
    std::printf("| %s | %.0f | %.2fx | %zu of %zu | %s |\n", s.name.c_str(), eps,
                base > 0 ? eps / base : 0.0, s.named, s.events,
                s.runtime ? std::to_string(s.runtime->requests()).c_str() : "-");
  }
  return 0;
}
