// Unit tests of the field table on hand-written events (no core): each field's
// semantics, list/index arguments and the per-event parse cache.
#include <doctest/doctest.h>

#include <map>

#include "extractor.h"

using namespace saker;
using namespace saker::k8saudit;

namespace {

const char* kPod = R"({"kind":"Event","auditID":"id-1","stage":"ResponseComplete","verb":"create",
 "requestURI":"/api/v1/namespaces/ns1/pods/p1/exec?command=sh&command=-c&tty=%2Fdev+x",
 "user":{"username":"alice","groups":["dev","system:authenticated"]},
 "impersonatedUser":{"username":"bob"},"sourceIPs":["10.0.0.1","::1"],"userAgent":"kubectl",
 "objectRef":{"resource":"pods","namespace":"ns1","name":"p1","subresource":"exec"},
 "responseStatus":{"code":201,"reason":"Created"},"responseObject":{"metadata":{"name":"p1"}},
 "annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC"},
 "requestObject":{"spec":{"hostNetwork":true,"hostPID":false,
   "securityContext":{"runAsUser":1000,"supplementalGroups":[5,6]},
   "volumes":[{"name":"v","hostPath":{"path":"/var/run/docker.sock"}},{"name":"e","emptyDir":{}}],
   "containers":[
     {"name":"c1","image":"registry:5000/team/app:1.2@sha256:abc","command":["sh","-c"],
      "securityContext":{"privileged":true,"runAsUser":0,"capabilities":{"add":["NET_ADMIN"]}},
      "ports":[{"containerPort":80},{"containerPort":81,"hostPort":8081}]},
     {"name":"c2","image":"nginx","securityContext":{"readOnlyRootFilesystem":true}}],
   "initContainers":[{"name":"i1","image":"busybox:1","securityContext":{"privileged":false}}]}},
 "stageTimestamp":"2024-01-02T03:04:05.5Z"})";

const char* kBinding = R"({"verb":"create","objectRef":{"resource":"clusterrolebindings"},
 "requestObject":{"roleRef":{"name":"cluster-admin"},"subjects":[
   {"kind":"User","name":"eve"},{"kind":"Group","name":"ops"},
   {"kind":"ServiceAccount","name":"sa","namespace":"kube-system"}],
   "rules":[{"verbs":["get","*"],"resources":["pods/exec"]},{"verbs":["list"]}]}})";

class Harness {
 public:
  Harness() : ex_(ParseLimits{}, nullptr) {
    auto infos = ex_.infos();
    for (uint32_t i = 0; i < infos.size(); ++i) ids_[infos[i].name] = i;
  }
  // Values of `field` (with optional argument) for `json`; {"<NA>"} when none.
  std::vector<std::string> get(const std::string& json, const std::string& field,
                               const char* arg = nullptr, uint64_t num = 1) {
    REQUIRE_MESSAGE(ids_.count(field), field);
    saker_event e{sizeof(saker_event), 0, 0, 42, num, reinterpret_cast<const uint8_t*>(json.data()),
                  json.size()};
    saker_extract_request raw{};
    raw.size = sizeof(raw);
    raw.field_id = ids_[field];
    if (arg) {
      raw.has_arg = 1;
      raw.arg_key = arg;
      raw.arg_index = static_cast<uint32_t>(std::atoi(arg));
    }
    sdk::ExtractArena arena;
    sdk::ExtractRequest req(&raw, &arena);
    ex_.extract(sdk::Event(&e), req);
    arena.seal();
    req.publish();
    if (raw.num_values == 0) return {"<NA>"};
    return std::vector<std::string>(raw.values.str, raw.values.str + raw.num_values);
  }
  FieldExtractor ex_;
  std::map<std::string, uint32_t> ids_;
};

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("audit record fields") {
  Harness h;
  std::string p = kPod;
  CHECK(h.get(p, "ka.auditid") == V{"id-1"});
  CHECK(h.get(p, "ka.user.groups") == V{"dev", "system:authenticated"});
  CHECK(h.get(p, "ka.impuser.name") == V{"bob"});
  CHECK(h.get(p, "ka.uri.param", "command") == V{"sh"});
  CHECK(h.get(p, "ka.uri.param", "tty") == V{"/dev x"});
  CHECK(h.get(p, "ka.uri.param", "nope") == V{"<NA>"});
  CHECK(h.get(p, "ka.target.subresource") == V{"exec"});
  CHECK(h.get(p, "ka.response.code") == V{"201"});
  CHECK(h.get(p, "ka.auth.decision") == V{"allow"});
  CHECK(h.get(p, "ka.sourceips") == V{"10.0.0.1", "::1"});
  CHECK(h.get(p, "ka.sourceips", "1") == V{"::1"});
  CHECK(h.get(p, "ka.resp.name") == V{"p1"});
  CHECK(h.get(p, "ka.req.binding.role") == V{"<NA>"});
  CHECK(h.get(p, "ka.target.pod.name") == V{"p1"});
  CHECK(h.get(kBinding, "ka.target.pod.name") == V{"<NA>"});
  std::string generated = R"({"objectRef":{"resource":"pods","namespace":"n"},
    "responseObject":{"kind":"Pod","metadata":{"name":"web-x7k2p"}}})";
  CHECK(h.get(generated, "ka.target.pod.name") == V{"web-x7k2p"});
}

TEST_CASE("pod and container fields") {
  Harness h;
  std::string p = kPod;
  CHECK(h.get(p, "ka.req.pod.containers.image") ==
        V{"registry:5000/team/app:1.2@sha256:abc", "nginx"});
  CHECK(h.get(p, "ka.req.pod.containers.image.repository") == V{"registry:5000/team/app", "nginx"});
  CHECK(h.get(p, "ka.req.pod.containers.image", "1") == V{"nginx"});
  CHECK(h.get(p, "ka.req.pod.containers.privileged") == V{"true"});
  CHECK(h.get(p, "ka.req.pod.initContainers.privileged") == V{"false"});
  CHECK(h.get(p, "ka.req.pod.ephemeralContainers.image") == V{"<NA>"});
  CHECK(h.get(p, "ka.req.pod.containers.eff_run_as_user") == V{"0", "1000"});
  CHECK(h.get(p, "ka.req.pod.containers.eff_run_as_group") == V{"0", "0"});
  CHECK(h.get(p, "ka.req.pod.containers.read_only_fs") == V{"true"});
  CHECK(h.get(p, "ka.req.pod.containers.add_capabilities") == V{"NET_ADMIN"});
  CHECK(h.get(p, "ka.req.pod.containers.host_port") == V{"80", "8081"});
  CHECK(h.get(p, "ka.req.pod.containers.command") == V{"sh", "-c"});
  CHECK(h.get(p, "ka.req.pod.host_network") == V{"true"});
  CHECK(h.get(p, "ka.req.pod.host_pid") == V{"false"});
  CHECK(h.get(p, "ka.req.pod.host_ipc") == V{"<NA>"});
  CHECK(h.get(p, "ka.req.pod.run_as_user") == V{"1000"});
  CHECK(h.get(p, "ka.req.pod.supplemental_groups") == V{"5", "6"});
  CHECK(h.get(p, "ka.req.pod.volumes.hostpath") == V{"/var/run/docker.sock"});
  CHECK(h.get(p, "ka.req.pod.volumes.volume_type") == V{"hostPath", "emptyDir"});
  CHECK(h.get(p, "ka.req.volume.hostpath", "/var/run/docker.sock") == V{"true"});
  CHECK(h.get(p, "ka.req.volume.hostpath", "/var/run*") == V{"true"});
  CHECK(h.get(p, "ka.req.volume.hostpath", "/etc") == V{"false"});
  CHECK(h.get(p, "ka.req.container.image") == V{"registry:5000/team/app:1.2@sha256:abc"});
  CHECK(h.get(p, "ka.req.container.privileged") == V{"true"});
}

TEST_CASE("binding, role and json fields") {
  Harness h;
  std::string b = kBinding;
  CHECK(h.get(b, "ka.req.binding.role") == V{"cluster-admin"});
  CHECK(h.get(b, "ka.req.binding.subjects") ==
        V{R"({"kind":"User","name":"eve"})", R"({"kind":"Group","name":"ops"})",
          R"({"kind":"ServiceAccount","name":"sa","namespace":"kube-system"})"});
  CHECK(h.get(b, "ka.req.binding.subjects.user_names") == V{"eve"});
  CHECK(h.get(b, "ka.req.binding.subjects.group_names") == V{"ops"});
  CHECK(h.get(b, "ka.req.binding.subjects.serviceaccount_ns_names") == V{"kube-system:sa"});
  CHECK(h.get(b, "ka.req.binding.subject.has_name", "eve") == V{"true"});
  CHECK(h.get(b, "ka.req.role.rules.verbs") == V{"get", "*", "list"});
  CHECK(h.get(b, "ka.req.role.rules.verbs", "1") == V{"list"});
  CHECK(h.get(b, "ka.req.role.rules.resources") == V{"pods/exec"});
  CHECK(h.get(b, "ka.req.role.rules").size() == 2);
  CHECK(h.get(b, "jevt.value", "/requestObject/roleRef/name") == V{"cluster-admin"});
  CHECK(h.get(b, "json.value", "/requestObject/subjects/0") ==
        V{R"({"kind":"User","name":"eve"})"});
  CHECK(h.get(b, "jevt.value", "/no/such") == V{"<NA>"});
  CHECK(h.get(b, "jevt.value", "not-a-pointer") == V{"<NA>"});
  CHECK(h.get(b, "jevt.value", "/requestObject/subjects/x") == V{"<NA>"});
  CHECK(h.get(b, "jevt.rawtime") == V{"42"});
  CHECK(h.get(b, "jevt.obj") == V{b});
}

TEST_CASE("malformed events give no values and are counted, never thrown") {
  Harness h;
  CHECK(h.get("{not json", "ka.verb") == V{"<NA>"});
  CHECK(h.get("[1,2]", "ka.verb", nullptr, 2) == V{"<NA>"});
  CHECK(h.get(std::string(10000, '['), "ka.verb", nullptr, 3) == V{"<NA>"});
  CHECK(h.get(R"({"verb":["list"],"user":"x"})", "ka.user.name", nullptr, 4) == V{"<NA>"});
  CHECK(h.get(R"({"verb":["list"],"user":"x"})", "ka.verb", nullptr, 4) == V{R"(["list"])"});
}

TEST_CASE("every field, with and without arguments, copes with events missing everything") {
  // Regression: found by the fuzzer (each_text walked past a missing key).
  Harness h;
  for (const auto& [name, id] : h.ids_) {
    for (const char* ev : {"{}", R"({"requestObject":1})", R"({"requestObject":{"spec":[]}})",
                           R"({"requestObject":{"spec":{"containers":[1,null,{}]}}})"}) {
      for (const char* arg : {static_cast<const char*>(nullptr), "0", "7", "/x"}) {
        CHECK_NOTHROW(h.get(ev, name, arg, id + 100));
      }
    }
  }
}

TEST_CASE("ka.cluster.name is the configured cluster name, absent when unset") {
  Harness unset;
  CHECK(unset.get(kPod, "ka.cluster.name") == V{"<NA>"});
  FieldExtractor named(ParseLimits{}, nullptr, "prod-eu-1");
  auto infos = named.infos();
  uint32_t id = 0;
  while (id < infos.size() && infos[id].name != "ka.cluster.name") ++id;
  REQUIRE(id < infos.size());
  std::string ev = kPod;
  saker_event e{
      sizeof(saker_event), 0, 0, 42, 1, reinterpret_cast<const uint8_t*>(ev.data()), ev.size()};
  saker_extract_request raw{};
  raw.size = sizeof(raw);
  raw.field_id = id;
  sdk::ExtractArena arena;
  sdk::ExtractRequest req(&raw, &arena);
  named.extract(sdk::Event(&e), req);
  arena.seal();
  req.publish();
  REQUIRE(raw.num_values == 1);
  CHECK(std::string(raw.values.str[0]) == "prod-eu-1");
}
