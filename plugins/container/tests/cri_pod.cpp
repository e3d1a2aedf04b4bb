// Test only: a minimal kubelet for the end-to-end test (e2e/containerd_e2e.sh): starts a pod
// (host network) and a container in it over the CRI, and removes the pod.
//
//   cri_pod SOCK run-pod NAME NAMESPACE UID             -> the sandbox id
//   cri_pod SOCK run NAME NAMESPACE UID POD_ID CTR IMAGE PRIVILEGED(0|1) HOST_PATH CTR_PATH
//                                                         -> the container id
//   cri_pod SOCK rm-pod POD_ID
//
// Exit 1 with gRPC's message on stderr when a call fails.
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "cri_test.grpc.pb.h"

namespace cri = runtime::v1;

namespace {

cri::PodSandboxConfig pod_config(const std::string& name, const std::string& ns,
                                 const std::string& uid) {
  cri::PodSandboxConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_metadata()->set_namespace_(ns);
  c.mutable_metadata()->set_uid(uid);
  (*c.mutable_labels())["app"] = "saker-e2e";
  (*c.mutable_labels())["io.kubernetes.pod.name"] = name;
  (*c.mutable_labels())["io.kubernetes.pod.namespace"] = ns;
  (*c.mutable_labels())["io.kubernetes.pod.uid"] = uid;
  // Host network: no CNI needed.
  auto* nso = c.mutable_linux()->mutable_security_context()->mutable_namespace_options();
  nso->set_network(cri::NODE);
  c.mutable_linux()->mutable_security_context()->set_privileged(true);
  return c;
}

bool check(const grpc::Status& s, const char* what) {
  if (s.ok()) return true;
  std::cerr << what << ": " << s.error_message() << std::endl;
  return false;
}

std::unique_ptr<grpc::ClientContext> ctx() {
  auto c = std::make_unique<grpc::ClientContext>();
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() < 2) return 2;
  auto stub = cri::RuntimeService::NewStub(
      grpc::CreateChannel("unix:" + a[0], grpc::InsecureChannelCredentials()));
  if (a[1] == "run-pod" && a.size() == 5) {
    cri::RunPodSandboxRequest req;
    *req.mutable_config() = pod_config(a[2], a[3], a[4]);
    cri::RunPodSandboxResponse resp;
    if (!check(stub->RunPodSandbox(ctx().get(), req, &resp), "RunPodSandbox")) return 1;
    std::cout << resp.pod_sandbox_id() << std::endl;
    return 0;
  }
  if (a[1] == "run" && a.size() == 11) {
    cri::CreateContainerRequest req;
    req.set_pod_sandbox_id(a[5]);
    *req.mutable_sandbox_config() = pod_config(a[2], a[3], a[4]);
    cri::ContainerConfig* c = req.mutable_config();
    c->mutable_metadata()->set_name(a[6]);
    c->mutable_image()->set_image(a[7]);
    c->add_command("/bin/sleep");
    c->add_args("300");
    // kubelet's labels on its containers.
    (*c->mutable_labels())["io.kubernetes.container.name"] = a[6];
    (*c->mutable_labels())["io.kubernetes.pod.name"] = a[2];
    (*c->mutable_labels())["io.kubernetes.pod.namespace"] = a[3];
    (*c->mutable_labels())["io.kubernetes.pod.uid"] = a[4];
    (*c->mutable_labels())["team"] = "blue";
    auto* sc = c->mutable_linux()->mutable_security_context();
    sc->set_privileged(a[8] == "1");
    // The pod's host network, as kubelet repeats it for each container.
    sc->mutable_namespace_options()->set_network(cri::NODE);
    sc->mutable_namespace_options()->set_pid(cri::CONTAINER);
    cri::Mount* m = c->add_mounts();
    m->set_host_path(a[9]);
    m->set_container_path(a[10]);
    m->set_readonly(true);
    cri::CreateContainerResponse resp;
    if (!check(stub->CreateContainer(ctx().get(), req, &resp), "CreateContainer")) return 1;
    cri::StartContainerRequest start;
    start.set_container_id(resp.container_id());
    cri::StartContainerResponse started;
    if (!check(stub->StartContainer(ctx().get(), start, &started), "StartContainer")) return 1;
    std::cout << resp.container_id() << std::endl;
    return 0;
  }
  if (a[1] == "rm-pod" && a.size() == 3) {
    cri::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(a[2]);
    cri::StopPodSandboxResponse stopped;
    check(stub->StopPodSandbox(ctx().get(), stop, &stopped), "StopPodSandbox");
    cri::RemovePodSandboxRequest rm;
    rm.set_pod_sandbox_id(a[2]);
    cri::RemovePodSandboxResponse removed;
    return check(stub->RemovePodSandbox(ctx().get(), rm, &removed), "RemovePodSandbox") ? 0 : 1;
  }
  return 2;
}
