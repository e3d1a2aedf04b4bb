// OCI runtime spec -> privileged, mounts, host namespaces; the CRI's verbose info. The specs
// in data/ are containerd 1.6's own (`ctr c info --spec`) for `ctr run --privileged --mount
// type=bind,src=/tmp,dst=/hosttmp,options=rbind:ro` and `ctr c create --net-host --mount
// type=bind,src=/etc,dst=/hostetc,options=rbind:rw:rshared`.
#include "oci_spec.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace saker::container;

namespace {

std::string read_data(const char* name) {
  std::ifstream f(std::string(SAKER_CONTAINER_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  REQUIRE(!ss.str().empty());
  return ss.str();
}

const Mount* find_mount(const ContainerInfo& info, const std::string& dest) {
  for (const auto& m : info.mounts) {
    if (m.dest == dest) return &m;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("containerd: a privileged container with a read-only bind mount") {
  ContainerInfo info;
  REQUIRE(apply_oci_spec(read_data("containerd1.6_spec_privileged_bind.json"), &info));
  CHECK(info.privileged == true);
  CHECK(info.host_pid == false);
  CHECK(info.host_network == false);
  CHECK(info.host_ipc == false);
  // /proc, /dev, /sys... are not bind mounts: only the one the user asked for.
  REQUIRE(info.mounts.size() == 1);
  CHECK(info.mounts[0].source == "/tmp");
  CHECK(info.mounts[0].dest == "/hosttmp");
  CHECK(info.mounts[0].mode == "ro");
  CHECK_FALSE(info.mounts[0].rdwr);
}

TEST_CASE("containerd: host network, default capabilities, a shared read-write bind") {
  ContainerInfo info;
  REQUIRE(apply_oci_spec(read_data("containerd1.6_spec_hostnet.json"), &info));
  CHECK(info.privileged == false);
  CHECK(info.host_network == true);
  CHECK(info.host_pid == false);
  CHECK(info.host_ipc == false);
  const Mount* etc = find_mount(info, "/hostetc");
  REQUIRE(etc != nullptr);
  CHECK(etc->source == "/etc");
  CHECK(etc->rdwr);
  CHECK(etc->propagation == "rshared");
  CHECK(etc->mode == "rw,rshared");
  // ctr binds the host's resolv.conf and hosts into a host-network container.
  CHECK(find_mount(info, "/etc/resolv.conf") != nullptr);
}

TEST_CASE("CAP_SYS_ADMIN alone, with the paths still masked, is not privileged") {
  ContainerInfo info;
  REQUIRE(apply_oci_spec(R"({"process": {"capabilities": {"effective": ["CAP_SYS_ADMIN"]}},
    "linux": {"maskedPaths": ["/proc/kcore"], "namespaces": [{"type": "pid"},
      {"type": "network", "path": "/var/run/netns/cni-1"}, {"type": "ipc"}]}})",
                         &info));
  CHECK(info.privileged == false);
  CHECK(info.host_network == false);  // joined by path: a pod's, not the host's
}

TEST_CASE("not a spec: untouched") {
  ContainerInfo info;
  CHECK_FALSE(apply_oci_spec("[1]", &info));
  CHECK_FALSE(apply_oci_spec("{bad", &info));
  CHECK_FALSE(info.privileged.has_value());
}

TEST_CASE("CRI verbose info: CRI-O's and containerd's privileged flags, the sandbox id") {
  ContainerInfo crio;
  apply_cri_info(R"({"sandboxID": "abc", "privileged": true, "runtimeSpec": {
    "process": {"capabilities": {"effective": ["CAP_CHOWN"]}},
    "linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}]}}})",
                 &crio);
  CHECK(crio.privileged == true);
  CHECK(crio.sandbox_id == "abc");
  CHECK(crio.host_network == true);

  ContainerInfo ctrd;
  apply_cri_info(R"({"sandboxID": "def", "config": {"linux": {"security_context":
    {"privileged": false}}}, "runtimeSpec": {"process": {"capabilities": {"effective":
    ["CAP_SYS_ADMIN"]}}, "linux": {"namespaces": [{"type": "pid"}, {"type": "network"},
    {"type": "ipc"}]}}})",
                 &ctrd);
  CHECK(ctrd.privileged == false);
  CHECK(ctrd.sandbox_id == "def");
  CHECK(ctrd.host_pid == false);

  ContainerInfo bad;
  apply_cri_info("not json", &bad);
  CHECK_FALSE(bad.privileged.has_value());
}

TEST_CASE("CRI verbose info: the image id is the config's image when it is an image id") {
  const std::string hex(64, 'a');
  ContainerInfo kubelet;  // kubelet creates containers from the image's id
  apply_cri_info(R"({"config": {"image": {"image": "sha256:)" + hex + R"("}}})", &kubelet);
  CHECK(kubelet.image_id == hex);
  ContainerInfo by_name;  // crictl and others may pass a name: no id from it
  apply_cri_info(R"({"config": {"image": {"image": "docker.io/library/busybox:1.36"}}})",
                 &by_name);
  CHECK(by_name.image_id.empty());
  ContainerInfo odd;
  apply_cri_info(R"({"config": {"image": {"image": 42}}, "sandboxID": ["x"]})", &odd);
  CHECK(odd.image_id.empty());
  CHECK(odd.sandbox_id.empty());
}
