// Docker-compatible inspect documents -> ContainerInfo, on real answers of podman 4.3's
// compat service (tests/data/podman4.3_*.json, captured on this project's machines) and on
// hand-written documents for what those lack (docker's fields, Kubernetes CRI labels).
#include "docker_inspect.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace saker::container;

namespace {

std::string data(const std::string& name) {
  std::ifstream in(std::string(SAKER_CONTAINER_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("image references") {
  auto r = split_image_ref("docker.io/library/nginx:1.27");
  CHECK(r.repository == "docker.io/library/nginx");
  CHECK(r.tag == "1.27");
  CHECK(r.digest.empty());
  r = split_image_ref("registry.local:5000/team/app:v2@sha256:abcd");
  CHECK(r.repository == "registry.local:5000/team/app");
  CHECK(r.tag == "v2");
  CHECK(r.digest == "sha256:abcd");
  r = split_image_ref("registry.local:5000/team/app");
  CHECK(r.repository == "registry.local:5000/team/app");
  CHECK(r.tag.empty());
  r = split_image_ref("busybox@sha256:ff");
  CHECK(r.repository == "busybox");
  CHECK(r.digest == "sha256:ff");
}

TEST_CASE("RFC 3339 times") {
  CHECK(parse_rfc3339_ns("1970-01-01T00:00:01Z") == 1000000000ull);
  CHECK(parse_rfc3339_ns("2026-12-06T12:47:44.659080035Z") % 1000000000ull == 659080035ull);
  CHECK(parse_rfc3339_ns("1970-01-01T01:00:01+01:00") == 1000000000ull);
  CHECK(parse_rfc3339_ns("0001-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339_ns("garbage") == 0);
}

TEST_CASE("podman 4.3: a container with a read-only host path mount") {
  ContainerInfo c;
  parse_container_inspect(data("podman4.3_inspect_mount.json"), {}, &c);
  CHECK(c.has_metadata);
  CHECK(c.id == "24550a36adf999fe103b3d8eb499a95d0102a9411ac02f2cc3dee114f63ee823");
  CHECK(c.name == "ct1");
  CHECK(c.image == "localhost/saker-busybox:e2e");
  CHECK(c.image_id == "c1d4a6675e777cdadbc997c0fead577901d3bbcfec8e20fcc656be9f890b1504");
  CHECK(c.image_repository == "localhost/saker-busybox");
  CHECK(c.image_tag == "e2e");
  CHECK(c.privileged == false);
  REQUIRE(c.mounts.size() == 1);
  CHECK(c.mounts[0].source == "/tmp");
  CHECK(c.mounts[0].dest == "/hosttmp");
  CHECK(c.mounts[0].rdwr == false);
  CHECK(c.mounts[0].propagation == "rprivate");
  CHECK(c.host_pid == false);
  CHECK(c.host_network == false);
  CHECK(c.host_ipc == false);
  CHECK(c.created_ts > 0);
  CHECK_FALSE(c.healthcheck.has_value());
  CHECK(c.pod_name.empty());
  // The registry digest comes from the image.
  CHECK(c.image_digest.empty());
  apply_image_inspect(data("podman4.3_image_inspect.json"), &c);
  CHECK(c.image_digest ==
        "sha256:6e9565d6def8b30848ee889f62c6c4a1226ec5335e3c4e6e8aef3a383cf22473");
  CHECK(c.image_tag == "e2e");
}

TEST_CASE("podman 4.3: a privileged container") {
  ContainerInfo c;
  parse_container_inspect(data("podman4.3_inspect_privileged.json"), {}, &c);
  CHECK(c.name == "ct2");
  CHECK(c.privileged == true);
}

TEST_CASE("docker: labels, health check, host namespaces, network, Kubernetes CRI labels") {
  const std::string doc = R"({
    "Id": "3ad7b26ded6d8e7b23da7d48fe889434573036c27ae5a74837233de441c3601e",
    "Created": "2024-05-01T10:00:00.5Z",
    "Name": "/k8s_app_web-7d9f_shop_5f9d4a3e_0",
    "Image": "sha256:6f7e2741b66b0000000000000000000000000000000000000000000000000000",
    "State": {"StartedAt": "2024-05-01T10:00:01Z"},
    "HostConfig": {"Privileged": true, "PidMode": "host", "NetworkMode": "host", "IpcMode": "host"},
    "Config": {
      "Image": "registry.local:5000/shop/web:1.2@sha256:d977",
      "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]},
      "Labels": {
        "app": "web", "long": "0123456789",
        "io.kubernetes.pod.name": "web-7d9f", "io.kubernetes.pod.namespace": "shop",
        "io.kubernetes.pod.uid": "5f9d4a3e-8c6f-4f7b-a5b8-0a3c1c2d4e5f",
        "io.kubernetes.sandbox.id": "63060edc2d3aa803ab559f2393776b151f99fc5b05035b21db66b3b62246ad6a",
        "io.kubernetes.container.name": "web",
        "annotation.kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{\"containers\":[{\"name\":\"web\",\"livenessProbe\":{\"exec\":{\"command\":[\"cat\",\"/tmp/healthy\"]}},\"readinessProbe\":{\"exec\":{\"command\":[\"ls\",\"/ready\"]}}}]}}"
      }
    },
    "Mounts": [
      {"Type": "bind", "Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock",
       "Mode": "", "RW": true, "Propagation": "rprivate"},
      {"Type": "volume", "Source": "/var/lib/docker/volumes/x/_data", "Destination": "/data",
       "Mode": "z", "RW": false, "Propagation": ""}
    ],
    "NetworkSettings": {"IPAddress": "", "Networks": {"bridge": {"IPAddress": "172.17.0.2"}}}
  })";
  ContainerInfo c;
  InspectOptions o;
  o.label_max_len = 200;
  parse_container_inspect(doc, o, &c);
  CHECK(c.name == "k8s_app_web-7d9f_shop_5f9d4a3e_0");
  CHECK(c.image_repository == "registry.local:5000/shop/web");
  CHECK(c.image_tag == "1.2");
  CHECK(c.image_digest == "sha256:d977");
  CHECK(c.image_id == "6f7e2741b66b0000000000000000000000000000000000000000000000000000");
  CHECK(c.privileged == true);
  CHECK(c.host_pid == true);
  CHECK(c.host_network == true);
  CHECK(c.host_ipc == true);
  CHECK(c.healthcheck == "curl -f http://localhost/ || exit 1");
  CHECK(c.ip == "172.17.0.2");
  CHECK(c.created_ts == 1714557601000000000ull);
  CHECK(c.labels.at("app") == "web");
  CHECK(c.pod_name == "web-7d9f");
  CHECK(c.pod_namespace == "shop");
  CHECK(c.pod_uid == "5f9d4a3e-8c6f-4f7b-a5b8-0a3c1c2d4e5f");
  CHECK(c.sandbox_id.substr(0, 12) == "63060edc2d3a");
  CHECK(c.pod_labels.count("app") == 1);
  CHECK(c.pod_labels.count("io.kubernetes.pod.name") == 0);
  CHECK(c.liveness_probe == "cat /tmp/healthy");
  CHECK(c.readiness_probe == "ls /ready");
  REQUIRE(c.mounts.size() == 2);
  CHECK(c.mounts[0].rdwr);
  CHECK(c.mounts[1].mode == "z");

  // label_max_len leaves long values out.
  ContainerInfo s;
  o.label_max_len = 5;
  parse_container_inspect(doc, o, &s);
  CHECK(s.labels.count("app") == 1);
  CHECK(s.labels.count("long") == 0);
}

TEST_CASE("health checks: NONE, CMD, none configured") {
  auto hc = [](const std::string& test) {
    ContainerInfo c;
    parse_container_inspect(R"({"Id":"x","Config":{"Healthcheck":{"Test":)" + test + "}}}", {}, &c);
    return c.healthcheck;
  };
  CHECK(hc(R"(["NONE"])") == "NONE");
  CHECK(hc(R"(["CMD","/bin/check","-q"])") == "/bin/check -q");
  CHECK_FALSE(hc("[]").has_value());
}

TEST_CASE("documents that are not a container's are rejected") {
  ContainerInfo c;
  CHECK_THROWS(parse_container_inspect("not json", {}, &c));
  CHECK_THROWS(parse_container_inspect(R"({"message":"no such container"})", {}, &c));
  CHECK_THROWS(parse_container_inspect("[]", {}, &c));
  apply_image_inspect("garbage", &c);  // ignored
}

TEST_CASE("hostile documents: wrong types are ignored, never crash") {
  for (
      const char* doc : {
          R"({"Id":"x","Name":5,"Config":[],"HostConfig":"x","Mounts":"x"})",
          R"({"Id":"x","Config":{"Labels":{"a":1,"b":null,"c":"ok"},"Image":7,"Healthcheck":{"Test":"x"}}})",
          R"({"Id":"x","Mounts":[1,"a",{"Source":1,"RW":"yes"}],"NetworkSettings":{"Networks":[]}})",
          R"({"Id":"x","State":{"StartedAt":"9999-99-99T99:99:99Z"},"Created":"2024"})",
          R"({"Id":"x","Config":{"Labels":{"io.kubernetes.pod.name":"p","io.kubernetes.container.name":"c","annotation.kubectl.kubernetes.io/last-applied-configuration":"{\"spec\":{\"containers\":[1,{\"name\":\"c\",\"livenessProbe\":[]}]}}"}}})",
      }) {
    CAPTURE(doc);
    ContainerInfo c;
    CHECK_NOTHROW(parse_container_inspect(doc, {}, &c));
    CHECK(c.has_metadata);
  }
}
