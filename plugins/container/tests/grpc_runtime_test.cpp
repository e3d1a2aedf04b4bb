// The gRPC client against a fake containerd / CRI server on a unix socket (gRPC's own
// server, the plugin's .proto files): the image's config digest through Images and the
// content store (manifest, index, chunked blobs), the pod's CNI result through the CRI, and
// answers that cannot be read (a manifest that is not JSON, a missing blob, an oversized
// one, a sandbox info that is not JSON): the field stays empty, the rest of the metadata
// is kept, and the problem is reported.
#include <doctest/doctest.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <map>
#include <memory>

#include "containerd.grpc.pb.h"
#include "containerd_content.grpc.pb.h"
#include "containerd_images.grpc.pb.h"
#include "cri.grpc.pb.h"
#include "grpc_runtime.h"
#include "image_manifest.h"

using namespace saker::container;
namespace ctrd = containerd::services::containers::v1;
namespace ctrd_content = containerd::services::content::v1;
namespace ctrd_images = containerd::services::images::v1;
namespace cri = runtime::v1;

namespace {

const std::string kId(64, '1');
const std::string kConfig = "sha256:" + std::string(64, 'c');
const std::string kOtherConfig = "sha256:" + std::string(64, 'd');

std::string digest_of(char c) { return "sha256:" + std::string(64, c); }

std::string manifest(const std::string& config) {
  return R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": ")" +
         config + R"(", "size": 512}, "layers": []})";
}

// One image name -> target descriptor, blobs by digest.
struct Store {
  std::map<std::string, ctrd_images::Descriptor> images;
  std::map<std::string, std::string> blobs;
  void image(const std::string& name, const std::string& media_type, const std::string& digest) {
    images[name].set_media_type(media_type);
    images[name].set_digest(digest);
  }
};

class FakeContainers final : public ctrd::Containers::Service {
 public:
  std::string image;
  grpc::Status Get(grpc::ServerContext*, const ctrd::GetContainerRequest* req,
                   ctrd::GetContainerResponse* resp) override {
    if (req->id() != kId) return {grpc::StatusCode::NOT_FOUND, "container not found"};
    auto* c = resp->mutable_container();
    c->set_id(kId);
    c->set_image(image);
    (*c->mutable_labels())["team"] = "blue";
    return grpc::Status::OK;
  }
};

class FakeImages final : public ctrd_images::Images::Service {
 public:
  explicit FakeImages(Store* s) : store_(s) {}
  grpc::Status Get(grpc::ServerContext*, const ctrd_images::GetImageRequest* req,
                   ctrd_images::GetImageResponse* resp) override {
    auto it = store_->images.find(req->name());
    if (it == store_->images.end()) return {grpc::StatusCode::NOT_FOUND, "image not found"};
    resp->mutable_image()->set_name(req->name());
    *resp->mutable_image()->mutable_target() = it->second;
    return grpc::Status::OK;
  }

 private:
  Store* store_;
};

// Blobs in chunks of 1 MiB at most, as containerd sends them.
class FakeContent final : public ctrd_content::Content::Service {
 public:
  explicit FakeContent(Store* s) : store_(s) {}
  grpc::Status Read(grpc::ServerContext* ctx, const ctrd_content::ReadContentRequest* req,
                    grpc::ServerWriter<ctrd_content::ReadContentResponse>* w) override {
    auto it = store_->blobs.find(req->digest());
    if (it == store_->blobs.end()) return {grpc::StatusCode::NOT_FOUND, "content not found"};
    const std::string& b = it->second;
    for (size_t off = 0; off < b.size() && !ctx->IsCancelled(); off += 1 << 20) {
      ctrd_content::ReadContentResponse r;
      r.set_offset(static_cast<int64_t>(off));
      r.set_data(b.substr(off, 1 << 20));
      if (!w->Write(r)) break;
    }
    return grpc::Status::OK;
  }

 private:
  Store* store_;
};

class FakeCri final : public cri::RuntimeService::Service {
 public:
  std::string sandbox_info;  // the verbose PodSandboxStatus "info" value
  grpc::Status ContainerStatus(grpc::ServerContext*, const cri::ContainerStatusRequest* req,
                               cri::ContainerStatusResponse* resp) override {
    if (req->container_id() != kId) return {grpc::StatusCode::NOT_FOUND, "no such container"};
    auto* st = resp->mutable_status();
    st->set_id(kId);
    st->mutable_metadata()->set_name("app");
    st->mutable_image()->set_image("registry.example/app:1.0");
    st->set_image_ref(kConfig);  // containerd: the image id when there is no repo digest
    (*resp->mutable_info())["info"] = R"({"sandboxID": "pod1"})";
    return grpc::Status::OK;
  }
  grpc::Status PodSandboxStatus(grpc::ServerContext*, const cri::PodSandboxStatusRequest* req,
                                cri::PodSandboxStatusResponse* resp) override {
    if (req->pod_sandbox_id() != "pod1") return {grpc::StatusCode::NOT_FOUND, "no such pod"};
    resp->mutable_status()->set_id("pod1");
    resp->mutable_status()->mutable_metadata()->set_name("web");
    if (req->verbose()) (*resp->mutable_info())["info"] = sandbox_info;
    return grpc::Status::OK;
  }
};

struct Server {
  std::string socket = "/tmp/saker-grpc-test-" + std::to_string(::getpid()) + ".sock";
  Store store;
  FakeContainers containers;
  FakeImages images{&store};
  FakeContent content{&store};
  FakeCri cri;
  std::unique_ptr<grpc::Server> server;
  Server() {
    ::unlink(socket.c_str());
    grpc::ServerBuilder b;
    b.AddListeningPort("unix:" + socket, grpc::InsecureServerCredentials());
    b.RegisterService(&containers);
    b.RegisterService(&images);
    b.RegisterService(&content);
    b.RegisterService(&cri);
    server = b.BuildAndStart();
    REQUIRE(server);
  }
  ~Server() {
    server->Shutdown();
    ::unlink(socket.c_str());
  }
  GrpcResult inspect(GrpcApi api, ContainerInfo* info) {
    GrpcOptions o;
    o.api = api;
    o.socket = socket;
    o.namespaces = {"default"};
    return make_grpc_runtime_client(o)->inspect(kId, info);
  }
};

}  // namespace

TEST_CASE("containerd: the image id is the config digest, through a manifest or an index") {
  Server s;
  s.containers.image = "registry.example/app:1.0";
  s.store.image(s.containers.image, "application/vnd.oci.image.manifest.v1+json", digest_of('f'));
  s.store.blobs[digest_of('f')] = manifest(kConfig);
  ContainerInfo info;
  GrpcResult r = s.inspect(GrpcApi::kContainerd, &info);
  REQUIRE(r.ok());
  CHECK(r.problems.empty());
  CHECK(info.image_digest == digest_of('f'));
  CHECK(info.image_id == std::string(64, 'c'));

  // An index: this machine's platform's manifest, not the other one.
  const Platform host = host_platform();
  const std::string other = host.architecture == "arm64" ? "amd64" : "arm64";
  s.store.image(s.containers.image, "application/vnd.oci.image.index.v1+json", digest_of('a'));
  s.store.blobs[digest_of('a')] =
      R"({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": ")" +
      digest_of('b') + R"(", "platform": {"os": "linux", "architecture": ")" + other + R"("}},
        {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": ")" +
      digest_of('e') + R"(", "platform": {"os": "linux", "architecture": ")" +
      host.architecture + R"("}}]})";
  s.store.blobs[digest_of('b')] = manifest(kOtherConfig);
  s.store.blobs[digest_of('e')] = manifest(kConfig);
  ContainerInfo multi;
  r = s.inspect(GrpcApi::kContainerd, &multi);
  REQUIRE(r.ok());
  CHECK(r.problems.empty());
  CHECK(multi.image_digest == digest_of('a'));
  CHECK(multi.image_id == std::string(64, 'c'));
}

TEST_CASE("containerd: a content store that cannot be read leaves the id empty, and says why") {
  Server s;
  s.containers.image = "registry.example/app:1.0";
  s.store.image(s.containers.image, "application/vnd.oci.image.manifest.v1+json", digest_of('f'));

  s.store.blobs[digest_of('f')] = "this is not JSON";
  ContainerInfo info;
  GrpcResult r = s.inspect(GrpcApi::kContainerd, &info);
  REQUIRE(r.ok());  // the container's metadata stands
  CHECK(info.labels.at("team") == "blue");
  CHECK(info.image_digest == digest_of('f'));
  CHECK(info.image_id.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "image registry.example/app:1.0: the image manifest is not a JSON "
                         "object (" + digest_of('f') + ")");

  s.store.blobs.erase(digest_of('f'));  // the blob is missing
  ContainerInfo missing;
  r = s.inspect(GrpcApi::kContainerd, &missing);
  REQUIRE(r.ok());
  CHECK(missing.image_id.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "content " + digest_of('f') + ": gRPC 5: content not found");

  s.store.blobs[digest_of('f')] = std::string(kMaxManifestBytes + 10, ' ');  // in 5 chunks
  ContainerInfo huge;
  r = s.inspect(GrpcApi::kContainerd, &huge);
  REQUIRE(r.ok());
  CHECK(huge.image_id.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "blob " + digest_of('f') + " is larger than 4194304 bytes: not a "
                         "manifest");

  // An image the store does not know (removed since): no digest, no id, nothing to report.
  s.containers.image = "registry.example/gone:1";
  ContainerInfo gone;
  r = s.inspect(GrpcApi::kContainerd, &gone);
  REQUIRE(r.ok());
  CHECK(r.problems.empty());
  CHECK(gone.image_digest.empty());
  CHECK(gone.image_id.empty());
}

TEST_CASE("CRI: the image id from image_ref, the pod's CNI result from its verbose info") {
  Server s;
  s.cri.sandbox_info = R"({"pid": 9, "cniResult": {"Interfaces": {"eth0": {"IPConfigs":
    [{"IP": "10.88.0.7", "Gateway": "10.88.0.1"}], "Mac": "aa:bb:cc:dd:ee:ff", "Sandbox":
    "/var/run/netns/cni-1"}, "lo": {"IPConfigs": [{"IP": "127.0.0.1"}]}}}})";
  ContainerInfo info;
  GrpcResult r = s.inspect(GrpcApi::kCri, &info);
  REQUIRE(r.ok());
  CHECK(r.problems.empty());
  CHECK(info.name == "app");
  CHECK(info.image_id == std::string(64, 'c'));
  CHECK(info.pod_name == "web");
  CHECK(info.cni_json == R"({"eth0":{"IPConfigs":[{"Gateway":"10.88.0.1","IP":"10.88.0.7"}]}})");

  s.cri.sandbox_info = "{\"cniResult\": {";  // cut short
  ContainerInfo bad;
  r = s.inspect(GrpcApi::kCri, &bad);
  REQUIRE(r.ok());
  CHECK(bad.pod_name == "web");
  CHECK(bad.cni_json.empty());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == "pod pod1: the sandbox's verbose info is not a JSON object");
}
