// OCI runtime spec -> privileged, mounts, host namespaces; the CRI's verbose info. The specs
// in data/ are containerd 1.6's own (`ctr c info --spec`) for `ctr run --privileged --mount
// type=bind,src=/tmp,dst=/hosttmp,options=rbind:ro` and `ctr c create --net-host --mount
// type=bind,src=/etc,dst=/hostetc,options=rbind:rw:rshared`. The sandbox info sample
// (containerd1.6_sandbox_info_cni.json) is shaped like containerd 1.6's verbose
// PodSandboxStatus for a pod on a bridge network (its cniResult: go-cni's result).
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

TEST_CASE("CRI sandbox info: containerd's CNI result, as Falco keeps it") {
  ContainerInfo info;
  CHECK(apply_cri_sandbox_info(read_data("containerd1.6_sandbox_info_cni.json"), &info) == "");
  // No loopback, no host-side veth, no MAC or netns path; compact.
  CHECK(info.cni_json ==
        R"({"cni0":{"IPConfigs":null},"eth0":{"IPConfigs":[{"Gateway":"10.244.1.1",)"
        R"("IP":"10.244.1.17"}]}})");
}

TEST_CASE("CRI sandbox info: CRI-O's CNIResult annotation") {
  ContainerInfo info;
  // The annotation's value is one JSON string (CRI-O writes the result with a newline).
  CHECK(apply_cri_sandbox_info(
            R"({"pid": 1201, "runtimeSpec": {"annotations": {"io.kubernetes.cri-o.CNIResult": )"
            R"("{\"cniVersion\": \"1.0.0\", \"interfaces\": [{\"name\": \"eth0\", )"
            R"(\"mac\": \"5a:1f:0c:aa:41:d2\"}], \"ips\": [{\"interface\": 0, )"
            R"(\"address\": \"10.85.0.12/16\", \"gateway\": \"10.85.0.1\"}]}\n"}}})",
            &info) == "");
  CHECK(info.cni_json ==
        R"({"cniVersion":"1.0.0","interfaces":[{"mac":"5a:1f:0c:aa:41:d2","name":"eth0"}],)"
        R"("ips":[{"address":"10.85.0.12/16","gateway":"10.85.0.1","interface":0}]})");
}

TEST_CASE("CRI sandbox info: no CNI result (host network) is empty, not an error") {
  ContainerInfo info;
  info.cni_json = "stale";
  CHECK(apply_cri_sandbox_info(R"({"pid": 7, "cniResult": null, "runtimeSpec": {}})", &info) ==
        "");
  CHECK(info.cni_json.empty());
  CHECK(apply_cri_sandbox_info(R"({})", &info) == "");
  CHECK(info.cni_json.empty());
}

TEST_CASE("CRI sandbox info: malformed answers give a message and no value") {
  ContainerInfo info;
  CHECK(apply_cri_sandbox_info("{\"cniResult\": ", &info) ==
        "the sandbox's verbose info is not a JSON object");
  CHECK(apply_cri_sandbox_info("[]", &info) == "the sandbox's verbose info is not a JSON object");
  CHECK(apply_cri_sandbox_info(R"({"cniResult": "eth0"})", &info) ==
        "the sandbox's cniResult is not an object");
  CHECK(apply_cri_sandbox_info(R"({"cniResult": {"Interfaces": [1]}})", &info) ==
        "the sandbox's cniResult.Interfaces is not an object");
  CHECK(apply_cri_sandbox_info(
            R"({"runtimeSpec": {"annotations": {"io.kubernetes.cri-o.CNIResult": "{bad"}}})",
            &info) ==
        "the sandbox's io.kubernetes.cri-o.CNIResult annotation is not a JSON object");
  CHECK(apply_cri_sandbox_info(
            R"({"runtimeSpec": {"annotations": {"io.kubernetes.cri-o.CNIResult": 3}}})", &info) ==
        "the sandbox's io.kubernetes.cri-o.CNIResult annotation is not a JSON object");
  CHECK(info.cni_json.empty());
  // Longer than Falco's bound: not kept (a cut would not be JSON).
  std::string many = R"({"cniResult": {"Interfaces": {)";
  for (int i = 0; i < 200; ++i) {
    many += (i ? "," : "") + std::string(R"("eth)") + std::to_string(i) +
            R"(": {"IPConfigs": [{"IP": "10.0.0.1", "Gateway": "10.0.0.254"}]})";
  }
  many += "}}}";
  const std::string err = apply_cri_sandbox_info(many, &info);
  CHECK(err.starts_with("the sandbox's CNI result is longer than 4096 bytes ("));
  CHECK(info.cni_json.empty());
}
