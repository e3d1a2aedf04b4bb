// thread.cgroups and thread.cgroup[SUBSYS] through the real core: seeded from the capture's
// process list, refreshed by clone/execve events. (proc.pidns_init_start_ts: the shared
// captures predate it; the container plugin's live end-to-end test reads it.)
#include <doctest/doctest.h>

#include "replay_harness.h"

using saker::syscall::testing::capture;
using saker::syscall::testing::replay;

TEST_CASE("thread.cgroups lists every hierarchy, thread.cgroup[] picks one") {
  auto rows = replay(capture("single_ipv6_conn.scap"),
                     {"thread.tid", "proc.name", "thread.cgroups", "thread.cgroup[cpu]",
                      "thread.cgroup[name=systemd]", "thread.cgroup[nosuch]"});
  size_t with = 0;
  for (const auto& r : rows) {
    if (r.values[2] == "<NA>") continue;
    ++with;
    CHECK(r.values[2].find("cpu=" + r.values[3]) != std::string::npos);
    CHECK(r.values[2].find("name=systemd=" + r.values[4]) != std::string::npos);
    CHECK(r.values[5] == "<NA>");
  }
  MESSAGE(with << " of " << rows.size() << " events with thread.cgroups");
  CHECK(with > rows.size() / 2);
  bool docker_service = false;
  for (const auto& r : rows) {
    docker_service = docker_service || r.values[3] == "/system.slice/docker.service";
  }
  CHECK(docker_service);
}
