// The container plugin through the real core, next to the real syscall plugin, on captures
// written by the test (replay_harness.h): container ids and types from every runtime's
// cgroup forms, metadata from a fake runtime, and every event delivered whatever state the
// runtime socket is in (bench/container_runtime_bench measures what each state costs).
#include <doctest/doctest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "container_event.h"
#include "event_header.h"
#include "fake_runtime.h"
#include "replay_harness.h"
#include "test_util.h"

using namespace saker::container::testing;

TEST_CASE("container ids and types from seeded processes, refreshed by execve") {
  saker::test::TempDir dir;
  const auto procs = processes(0);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 2);
  auto run = replay(cap, kNoRuntime,
                    {"thread.tid", "container.id", "container.full_id", "container.type",
                     "container.name", "container.image", "evt.type"});
  std::map<std::string, const Proc*> by_tid;
  for (const auto& p : procs) by_tid[std::to_string(p.tid)] = &p;
  size_t checked = 0;
  std::vector<std::string> last_104;
  for (const auto& r : run.rows) {
    if (r[0] == "104") last_104 = r;
    if (r[6] != "close" || !by_tid.count(r[0])) continue;
    const Proc& p = *by_tid[r[0]];
    if (p.tid == 104 && checked >= 2 * procs.size()) continue;  // after its execve
    CAPTURE(r[0]);
    CHECK(r[2] == p.expect_id);
    CHECK(r[1] == (p.expect_id == "host" ? "host" : p.expect_id.substr(0, 12)));
    CHECK(r[3] == p.expect_type);
    CHECK(r[4] == (p.expect_id == "host" ? "host" : "<NA>"));  // no runtime: no name
    CHECK(r[5] == "<NA>");
    ++checked;
  }
  CHECK(checked == 2 * procs.size());
  // The host shell became the container's process at its execve.
  REQUIRE(last_104.size() == 7);
  CHECK(last_104[2] == kPodmanId);
  CHECK(last_104[3] == "podman");
}

TEST_CASE("metadata from the runtime: name, image, privileged, mounts") {
  saker::test::TempDir dir;
  const auto procs = processes(0);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 20);
  FakeRuntime rt((dir.path() / "podman.sock").string(), FakeRuntime::Mode::kHealthy);
  rt.add_container(kPodmanId, data("podman4.3_inspect_mount.json"));
  rt.add_image("c1d4a6675e777cdadbc997c0fead577901d3bbcfec8e20fcc656be9f890b1504",
               data("podman4.3_image_inspect.json"));
  auto run =
      replay(cap, config_for(rt.path()),
             {"container.id", "container.name", "container.image", "container.image.repository",
              "container.image.tag", "container.image.digest", "container.privileged",
              "container.mounts", "container.mount.dest[/tmp]", "container.mount.source[/host*]",
              "container.mount.rdwr[0]", "container.mount[/nonexistent]", "container.host_network",
              "container.labels", "k8s.pod.name"},
             /*pause_ms=*/1500);
  size_t before = 0, after = 0;
  for (const auto& r : run.rows) {
    if (r[0] != kPodmanId.substr(0, 12)) continue;
    if (r[1] == "<NA>") {
      ++before;  // events before the answer: id only
      continue;
    }
    ++after;
    CHECK(r[1] == "ct1");
    CHECK(r[2] == "localhost/saker-busybox:e2e");
    CHECK(r[3] == "localhost/saker-busybox");
    CHECK(r[4] == "e2e");
    CHECK(r[5] == "sha256:6e9565d6def8b30848ee889f62c6c4a1226ec5335e3c4e6e8aef3a383cf22473");
    CHECK(r[6] == "false");
    CHECK(r[7] == "/tmp:/hosttmp::false:rprivate");
    CHECK(r[8] == "/hosttmp");
    CHECK(r[9] == "/tmp");
    CHECK(r[10] == "false");
    CHECK(r[11] == "none");
    CHECK(r[12] == "false");
    CHECK(r[14] == "<NA>");
  }
  MESSAGE(before << " events before the runtime answered, " << after << " after");
  CHECK(after > 0);
}

TEST_CASE("the runtime socket absent, refusing or hanging: every event still goes by") {
  // What each state costs the event path is measured by bench/container_runtime_bench; here:
  // nothing is lost or held back, and the plugin did try the broken sockets.
  saker::test::TempDir dir;
  const auto procs = processes(50);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 2);
  const std::vector<std::string> fields = {"container.id", "container.name", "container.type"};
  auto none = replay(cap, kNoRuntime, fields);
  REQUIRE(!none.rows.empty());
  const std::string absent_path = (dir.path() / "absent.sock").string();
  auto absent = replay(cap, config_for(absent_path), fields);
  FakeRuntime refusing((dir.path() / "refuse.sock").string(), FakeRuntime::Mode::kRefuse);
  auto refused = replay(cap, config_for(refusing.path()), fields);
  FakeRuntime hung((dir.path() / "hang.sock").string(), FakeRuntime::Mode::kHang);
  // paused at the first container event, so that the worker (which loads the HTTP client
  // library first) sends its request before the replay ends, even on a loaded machine
  auto hang = replay(cap, config_for(hung.path()), fields, /*pause_ms=*/1500);
  CHECK(hung.requests() > 0);  // the plugin did try it
  for (const auto* r : {&absent, &refused, &hang}) {
    REQUIRE(r->rows.size() == none.rows.size());
    // ids and types come from the cgroups alone: the same as with no runtime at all
    for (std::size_t i = 0; i < r->rows.size(); ++i) {
      CHECK(r->rows[i][0] == none.rows[i][0]);
      CHECK(r->rows[i][2] == none.rows[i][2]);
    }
  }
}

TEST_CASE("a capture's container events give the metadata with no runtime; bad ones are skipped") {
  namespace events = saker::container::events;
  saker::test::TempDir dir;
  const auto procs = processes(0);
  saker::container::ContainerInfo podman;
  podman.id = kPodmanId;
  podman.type = "podman";
  podman.has_metadata = true;
  podman.name = "from-capture";
  podman.image = "localhost/app:2";
  podman.image_repository = "localhost/app";
  podman.image_tag = "2";
  podman.privileged = true;
  podman.mounts = {{"/etc", "/host-etc", "", false, "rprivate"}};
  // A malformed one first: JSON that does not parse, in a well-formed event.
  auto bad = events::encode_added(podman, 1700000000000000000ull);
  const std::string json = events::to_json(podman);
  std::fill(bad.end() - static_cast<std::ptrdiff_t>(json.size()) - 1, bad.end() - 1, '{');
  // sysdig's oldest form for the docker container: a short id only.
  const std::string id = hex_id(1).substr(0, 12);
  std::vector<uint8_t> old(26);
  auto add = [&](const std::string& v) { old.insert(old.end(), v.begin(), v.end()); };
  const std::vector<std::string> params = {id + '\0', std::string("\0\0\0\0", 4),
                                           "db" + std::string(1, '\0'),
                                           "redis:7" + std::string(1, '\0')};
  for (const auto& p : params) {
    const uint16_t l = static_cast<uint16_t>(p.size());
    add(std::string(reinterpret_cast<const char*>(&l), 2));
  }
  for (const auto& p : params) add(p);
  saker::syscall::scap::encode_header(
      old.data(),
      {1700000000000000000ull, ~0ull, static_cast<uint32_t>(old.size()), events::kContainerE, 4});
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 2, {bad, events::encode_added(podman, 1700000000000000000ull), old});
  auto run = replay(cap, kNoRuntime,
                    {"evt.type", "thread.tid", "container.id", "container.name", "container.image",
                     "container.privileged", "container.mounts", "container.image.repository"});
  size_t container_events = 0, podman_rows = 0, docker_rows = 0;
  for (const auto& r : run.rows) {
    CAPTURE(r[1]);
    if (r[0] == "container") {
      ++container_events;
      if (r[2] == kPodmanId.substr(0, 12)) {  // the event carries its container's fields
        CHECK(r[3] == "from-capture");
        CHECK(r[5] == "true");
        CHECK(r[6] == "/etc:/host-etc::false:rprivate");
      }
      continue;
    }
    if (r[2] == kPodmanId.substr(0, 12)) {
      ++podman_rows;
      CHECK(r[3] == "from-capture");
      CHECK(r[4] == "localhost/app:2");
      CHECK(r[5] == "true");
      CHECK(r[6] == "/etc:/host-etc::false:rprivate");
    } else if (r[1] == "101") {  // the docker container's process
      CHECK(r[2] == id);
      ++docker_rows;
      CHECK(r[3] == "db");
      CHECK(r[4] == "redis:7");
      CHECK(r[7] == "redis");
    }
  }
  CHECK(container_events == 3);  // the malformed one goes by too (skipped by the plugin)
  CHECK(podman_rows >= 2);
  CHECK(docker_rows == 2);
  // Every close event of the capture went by.
  size_t closes = 0;
  for (const auto& r : run.rows) closes += r[0] == "close";
  CHECK(closes == 2 * procs.size() + 1);
}

TEST_CASE("Falco 0.41's async container events: evt.type = container, rules match them") {
  saker::test::TempDir dir;
  const auto procs = processes(0);
  saker::container::ContainerInfo podman;
  podman.id = kPodmanId;
  podman.type = "podman";
  podman.has_metadata = true;
  podman.name = "async-0.41";
  podman.image = "localhost/app:3";
  podman.privileged = true;
  const std::string cap = (dir.path() / "c.scap").string();
  // Falco 0.41+'s form of a container event: an async event named "container"
  write_capture(cap, procs, 1,
                {saker::container::events::encode_async(saker::container::events::kAsyncAdded,
                                                        podman, 1700000000000000000ull)});
  auto run = replay(cap, kNoRuntime, {"evt.type", "container.id", "container.name"});
  size_t container_events = 0, podman_rows = 0;
  for (const auto& r : run.rows) {
    if (r[0] == "container") {
      ++container_events;
      CHECK(r[2] == "async-0.41");
    } else if (r[1] == kPodmanId.substr(0, 12)) {
      ++podman_rows;
      CHECK(r[2] == "async-0.41");
    }
  }
  CHECK(container_events == 1);
  CHECK(podman_rows >= 1);

  // A rule on evt.type = container, through saker itself.
  const auto rules = dir.path() / "rules.yaml";
  std::ofstream(rules) << "- rule: Container event\n"
                          "  desc: t\n"
                          "  condition: evt.type = container and container.privileged = true\n"
                          "  output: container event %evt.type %container.name\n"
                          "  priority: INFO\n";
  const auto out = dir.path() / "out.txt";
  const std::string saker = std::string(SAKER_PLUGIN_DIR) + "/../bin/saker";
  const std::string cmd = saker + " -o plugins_dir=" + SAKER_PLUGIN_DIR + " -e " + cap + " -r " +
                          rules.string() + " >" + out.string() + " 2>&1";
  const int rc = std::system(cmd.c_str());
  std::string text;
  for (const auto& l : saker::test::read_lines(out)) text += l + "\n";
  CAPTURE(text);
  CHECK(rc == 0);
  CHECK(text.find("container event container async-0.41") != std::string::npos);
}
