// Container ids from cgroup paths, for every runtime's path forms on cgroup v1, v2 and
// hybrid hosts. The tests/data/proc_cgroup/*.txt files are /proc/PID/cgroup of real
// processes (podman on this project's hybrid hosts, captured by the e2e setup; the others as
// the runtimes write them); file names say runtime, cgroup driver and hierarchy.
#include "cgroup_match.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using saker::container::match_cgroup_path;
using saker::container::match_cgroups;

namespace {

const std::string kId = "3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e";

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("docker: cgroupfs and systemd drivers") {
  auto m = match_cgroup_path("/docker/" + kId);
  CHECK(m.id == kId);
  CHECK(m.type == "docker");
  m = match_cgroup_path("/system.slice/docker-" + kId + ".scope");
  CHECK(m.id == kId);
  CHECK(m.type == "docker");
  // Docker in Docker: the innermost container is the one.
  const std::string inner(64, 'a');
  m = match_cgroup_path("/docker/" + kId + "/docker/" + inner);
  CHECK(m.id == inner);
  m = match_cgroup_path("/ecs/5a0d0b4b-task/" + kId);
  CHECK(m.type == "docker");
}

TEST_CASE("podman (libpod): cgroupfs, systemd, rootless, nested") {
  auto m = match_cgroup_path("/libpod_parent/libpod-" + kId);
  CHECK(m.id == kId);
  CHECK(m.type == "podman");
  m = match_cgroup_path("/machine.slice/libpod-" + kId + ".scope");
  CHECK(m.id == kId);
  CHECK(m.type == "podman");
  m = match_cgroup_path("/machine.slice/libpod-" + kId + ".scope/container");
  CHECK(m.id == kId);
  m = match_cgroup_path("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + kId +
                        ".scope");
  CHECK(m.id == kId);
  CHECK(m.type == "podman");
  // conmon, the monitor, runs on the host.
  CHECK_FALSE(match_cgroup_path("/machine.slice/libpod-conmon-" + kId + ".scope").in_container());
}

TEST_CASE("containerd: namespaces, systemd scopes, kubepods") {
  auto m = match_cgroup_path("/default/" + kId);
  CHECK(m.id == kId);
  CHECK(m.type == "containerd");
  m = match_cgroup_path("/k8s.io/" + kId);
  CHECK(m.type == "containerd");
  m = match_cgroup_path(
      "/kubepods.slice/kubepods-burstable.slice/"
      "kubepods-burstable-pod5f9d4a3e_8c6f_4f7b_a5b8_0a3c1c2d4e5f.slice/cri-containerd-" +
      kId + ".scope");
  CHECK(m.id == kId);
  CHECK(m.type == "containerd");
  m = match_cgroup_path("/system.slice/containerd-" + kId + ".scope");
  CHECK(m.type == "containerd");
}

TEST_CASE("CRI-O: systemd and cgroupfs, conmon on the host") {
  auto m = match_cgroup_path(
      "/kubepods.slice/kubepods-besteffort.slice/"
      "kubepods-besteffort-pod0e1c2d3b_4a5f_6e7d_8c9b_a0b1c2d3e4f5.slice/crio-" +
      kId + ".scope");
  CHECK(m.id == kId);
  CHECK(m.type == "cri-o");
  m = match_cgroup_path("/kubepods/burstable/pod0e1c2d3b-4a5f-6e7d-8c9b-a0b1c2d3e4f5/crio-" + kId);
  CHECK(m.id == kId);
  CHECK(m.type == "cri-o");
  CHECK_FALSE(
      match_cgroup_path("/kubepods.slice/kubepods-besteffort.slice/crio-conmon-" + kId + ".scope")
          .in_container());
}

TEST_CASE("kubelet cgroupfs layout: the runtime is not in the path") {
  auto m = match_cgroup_path("/kubepods/besteffort/pod0e1c2d3b-4a5f-6e7d-8c9b-a0b1c2d3e4f5/" + kId);
  CHECK(m.id == kId);
  CHECK(m.type == "cri");
  // The pod's own cgroup is not a container.
  CHECK_FALSE(match_cgroup_path("/kubepods/besteffort/pod0e1c2d3b-4a5f-6e7d-8c9b-a0b1c2d3e4f5")
                  .in_container());
}

TEST_CASE("host paths name no container") {
  for (const char* p :
       {"/", "/user.slice/user-1000.slice/session-1.scope", "/system.slice/docker.service",
        "/system.slice/containerd.service", "/init.scope",
        "/process_api/e6650362ebe0568a0a9b51d70206bf16",
        "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", "/libpod_parent/conmon",
        "/docker/0123456789ab",  // too short
        "/docker/3AD7B26DED6D8E7B23DA7D48FE889434573036C27AE5A74837233DE441C3601E"}) {
    CAPTURE(p);
    CHECK_FALSE(match_cgroup_path(p).in_container());
  }
}

TEST_CASE("lists: the syscall plugin's thread.cgroups and the live driver's v2 entry") {
  // thread.cgroups renders entries space-separated; v1 has one entry per controller.
  auto m =
      match_cgroups("cpuset=/docker/" + kId + " cpu=/docker/" + kId + " memory=/docker/" + kId);
  CHECK(m.id == kId);
  // The live driver writes the unified hierarchy's path as one "cpuset=" entry.
  m = match_cgroups("cpuset=/machine.slice/libpod-" + kId + ".scope/container");
  CHECK(m.id == kId);
  CHECK(m.type == "podman");
  // Named hierarchy and NUL separators (the scap form).
  std::string nul = "name=systemd=/system.slice/docker-" + kId + ".scope";
  nul.push_back('\0');
  nul += "pids=/";
  CHECK(match_cgroups(nul).id == kId);
  // Hybrid: the first hierarchies are at the root, one names the container.
  m = match_cgroups("cpuset=/ cpu=/ memory=/libpod_parent/libpod-" + kId + " 0=/");
  CHECK(m.id == kId);
  CHECK_FALSE(match_cgroups("").in_container());
  CHECK_FALSE(match_cgroups("cpuset=/ cpu=/user.slice memory=/user.slice").in_container());
}

TEST_CASE("lists that say nothing about containers (the /proc fallback is then read)") {
  CHECK(saker::container::cgroups_say_nothing(""));
  CHECK(saker::container::cgroups_say_nothing("cpuset=/"));
  CHECK(saker::container::cgroups_say_nothing("cpuset=/ cpu=/ name=systemd=/"));
  CHECK_FALSE(saker::container::cgroups_say_nothing("cpuset=/ cpu=/user.slice"));
  CHECK_FALSE(saker::container::cgroups_say_nothing("cpuset=/docker/" + kId));
}

TEST_CASE("the host processes of the shared captures are all on the host") {
  // Cgroup lists as they are in sample.scap / cat_write.scap / single_ipv6_conn.scap.
  for (const char* list :
       {"cpuset=/system.slice/docker.service cpu=/system.slice/docker.service",
        "cpuset=/user.slice/user-1000.slice/session-1.scope",
        "pids=/system.slice/snapd.service name=systemd=/system.slice/snapd.service",
        "cpuset=/ pids=/user.slice/user-501.slice memory=/user.slice"}) {
    CAPTURE(list);
    CHECK_FALSE(match_cgroups(list).in_container());
  }
}

TEST_CASE("real /proc/PID/cgroup samples") {
  const std::filesystem::path dir = std::filesystem::path(SAKER_CONTAINER_TESTDATA) / "proc_cgroup";
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    // <runtime>__<id-or-host>__<description>.txt
    const std::string name = e.path().stem().string();
    const auto a = name.find("__"), b = name.find("__", a + 2);
    REQUIRE(b != std::string::npos);
    const std::string type = name.substr(0, a), expect = name.substr(a + 2, b - a - 2);
    CAPTURE(name);
    auto m = match_cgroups(read(e.path()));
    if (expect == "host") {
      CHECK_FALSE(m.in_container());
    } else {
      CHECK(m.id == expect);
      CHECK(m.type == type);
    }
    ++n;
  }
  CHECK(n >= 5);
  MESSAGE(n << " real /proc/PID/cgroup samples");
}
