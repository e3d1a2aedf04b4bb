// gRPC clients for containerd and the CRI (see grpc_runtime.h): the companion library
// libcontainer_grpc.so (with grpc_companion.cpp), the only code that includes gRPC.
#include "grpc_runtime.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>
#include <vector>

#include "containerd.grpc.pb.h"
#include "containerd_content.grpc.pb.h"
#include "containerd_events.grpc.pb.h"
#include "containerd_images.grpc.pb.h"
#include "cri.grpc.pb.h"
#include "docker_inspect.h"
#include "image_manifest.h"
#include "oci_spec.h"

namespace saker::container {
namespace ctrd = containerd::services::containers::v1;
namespace ctrd_content = containerd::services::content::v1;
namespace ctrd_events = containerd::services::events::v1;
namespace ctrd_images = containerd::services::images::v1;
namespace cri = runtime::v1;

class GrpcClient final : public GrpcRuntimeClient {
 public:
  explicit GrpcClient(GrpcOptions opts);
  GrpcResult inspect(const std::string& id, ContainerInfo* info) override;
  GrpcResult list(std::vector<std::string>* ids) override;
  GrpcResult subscribe(const std::function<void()>& on_connected, const EventFn& on_event) override;
  void cancel() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct GrpcClient::Impl {
  GrpcOptions opts;
  std::shared_ptr<grpc::Channel> channel;
  std::mutex mu;  // guards current and cancelled
  std::vector<grpc::ClientContext*> current;  // calls in progress (a stream and a list)
  bool cancelled = false;
  std::vector<std::string> problems;  // of the lookup in progress (GrpcResult::problems)

  std::shared_ptr<grpc::Channel> get_channel() {
    if (!channel) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 200);
      args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
      // The server is a local daemon: "localhost" keeps gRPC from resolving anything.
      args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, "localhost");
      channel = grpc::CreateCustomChannel("unix:" + opts.socket,
                                          grpc::InsecureChannelCredentials(), args);
    }
    return channel;
  }

  // A context registered for cancel(); nullptr when cancelled already.
  struct Call {
    Impl* impl;
    grpc::ClientContext ctx;
    bool live = false;
    Call(Impl* i, uint32_t timeout_ms, const std::string& ns) : impl(i) {
      if (timeout_ms > 0) {
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
      }
      if (!ns.empty()) ctx.AddMetadata("containerd-namespace", ns);
      std::lock_guard lock(impl->mu);
      live = !impl->cancelled;
      if (live) impl->current.push_back(&ctx);
    }
    ~Call() {
      std::lock_guard lock(impl->mu);
      std::erase(impl->current, &ctx);
    }
  };

  uint32_t timeout() const { return opts.connect_timeout_ms + opts.request_timeout_ms; }

  static std::string status_text(const grpc::Status& s) {
    return "gRPC " + std::to_string(static_cast<int>(s.error_code())) + ": " + s.error_message();
  }
  GrpcResult failed(const grpc::Status& s) {
    channel.reset();  // rebuilt on the next call: no reconnect back-off after an outage
    return GrpcResult{GrpcResult::Status::kFailed, status_text(s), {}};
  }
  static GrpcResult cancelled_result() {
    return GrpcResult{GrpcResult::Status::kFailed, "cancelled", {}};
  }

  void put_labels(const google::protobuf::Map<std::string, std::string>& labels,
                  ContainerInfo* info) const {
    for (const auto& [k, v] : labels) {
      if (v.size() <= opts.label_max_len) info->labels.emplace(k, v);
    }
  }

  GrpcResult containerd_inspect(const std::string& id, ContainerInfo* info);
  void containerd_image(const std::string& ns, ContainerInfo* info);
  std::string containerd_config_id(const std::string& ns, const std::string& image,
                                   std::string digest, std::string media_type);
  bool read_blob(const std::string& ns, const std::string& digest, std::string* blob);
  GrpcResult cri_inspect(const std::string& id, ContainerInfo* info);
  void cri_pod(ContainerInfo* info);
};

namespace {

void set_image(const std::string& image, ContainerInfo* info) {
  info->image = image;
  if (image.starts_with("sha256:")) {
    info->image_id = image.substr(7);
    return;
  }
  ImageRef ref = split_image_ref(image);
  info->image_repository = ref.repository;
  info->image_tag = ref.tag;
  info->image_digest = ref.digest;
}

// containerd has no container names: kubelet's and nerdctl's labels give one, else the id.
std::string containerd_name(const ContainerInfo& info, const std::string& id) {
  for (const char* k : {"io.kubernetes.container.name", "nerdctl/name"}) {
    if (auto it = info.labels.find(k); it != info.labels.end() && !it->second.empty()) {
      return it->second;
    }
  }
  return id;
}

}  // namespace

GrpcResult GrpcClient::Impl::containerd_inspect(const std::string& id, ContainerInfo* info) {
  for (const auto& ns : opts.namespaces) {
    auto stub = ctrd::Containers::NewStub(get_channel());
    Call call(this, timeout(), ns);
    if (!call.live) return cancelled_result();
    ctrd::GetContainerRequest req;
    req.set_id(id);
    ctrd::GetContainerResponse resp;
    grpc::Status s = stub->Get(&call.ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::NOT_FOUND) continue;
    if (!s.ok()) return failed(s);
    const ctrd::Container& c = resp.container();
    put_labels(c.labels(), info);
    set_image(c.image(), info);
    if (c.has_spec()) apply_oci_spec(c.spec().value(), info);
    if (c.has_created_at() && c.created_at().seconds() > 0) {
      info->created_ts = static_cast<uint64_t>(c.created_at().seconds()) * 1000000000ull +
                         static_cast<uint64_t>(c.created_at().nanos());
    }
    info->name = containerd_name(*info, id);
    apply_k8s_labels(info);
    if (!info->image.empty() && (info->image_digest.empty() || info->image_id.empty())) {
      containerd_image(ns, info);
    }
    info->has_metadata = true;
    return GrpcResult{GrpcResult::Status::kOk, {}, {}};
  }
  return GrpcResult{GrpcResult::Status::kNotFound, {}, {}};
}

// The image's target (a manifest or an index): its digest is container.image.digest, the
// config it leads to container.image.id. Best effort: the container's answer stands without
// them; what could not be read is told in `problems`.
void GrpcClient::Impl::containerd_image(const std::string& ns, ContainerInfo* info) {
  ctrd_images::Descriptor target;
  {
    auto stub = ctrd_images::Images::NewStub(get_channel());
    Call call(this, timeout(), ns);
    if (!call.live) return;
    ctrd_images::GetImageRequest req;
    req.set_name(info->image);
    ctrd_images::GetImageResponse resp;
    grpc::Status s = stub->Get(&call.ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::NOT_FOUND) return;  // removed since: no digest
    if (!s.ok()) {
      problems.push_back("image " + info->image + ": " + status_text(s));
      return;
    }
    target = resp.image().target();
  }
  if (info->image_digest.empty()) info->image_digest = target.digest();
  if (info->image_id.empty() && !target.digest().empty()) {
    info->image_id =
        containerd_config_id(ns, info->image, target.digest(), target.media_type());
  }
}

// index -> this platform's manifest -> config digest, through the content store.
std::string GrpcClient::Impl::containerd_config_id(const std::string& ns, const std::string& image,
                                                   std::string digest, std::string media_type) {
  const Platform platform = host_platform();
  for (int hop = 0; hop < kMaxManifestHops; ++hop) {
    std::string blob;
    if (!read_blob(ns, digest, &blob)) return {};
    ManifestStep step = read_manifest_blob(blob, media_type, platform);
    if (!step.ok()) {
      problems.push_back("image " + image + ": " + step.error + " (" + digest + ")");
      return {};
    }
    if (step.is_config) return image_id_from_digest(step.next);
    digest = std::move(step.next);
    media_type = std::move(step.next_media_type);
  }
  problems.push_back("image " + image + ": indexes nested more than " +
                     std::to_string(kMaxManifestHops) + " deep");
  return {};
}

// One blob of the content store, at most kMaxManifestBytes.
bool GrpcClient::Impl::read_blob(const std::string& ns, const std::string& digest,
                                 std::string* blob) {
  auto stub = ctrd_content::Content::NewStub(get_channel());
  Call call(this, timeout(), ns);
  if (!call.live) return false;
  ctrd_content::ReadContentRequest req;
  req.set_digest(digest);
  auto reader = stub->Read(&call.ctx, req);
  ctrd_content::ReadContentResponse chunk;
  bool too_large = false;
  while (reader->Read(&chunk)) {
    if (blob->size() + chunk.data().size() > kMaxManifestBytes) {
      too_large = true;
      call.ctx.TryCancel();  // the stream ends; Finish() then reports CANCELLED
      break;
    }
    blob->append(chunk.data());
  }
  if (too_large) {
    while (reader->Read(&chunk)) {
    }
  }
  grpc::Status s = reader->Finish();
  if (too_large) {
    problems.push_back("blob " + digest + " is larger than " +
                       std::to_string(kMaxManifestBytes) + " bytes: not a manifest");
    return false;
  }
  if (!s.ok()) {
    problems.push_back("content " + digest + ": " + status_text(s));
    return false;
  }
  return true;
}

GrpcResult GrpcClient::Impl::cri_inspect(const std::string& id, ContainerInfo* info) {
  auto stub = cri::RuntimeService::NewStub(get_channel());
  cri::ContainerStatusResponse resp;
  {
    Call call(this, timeout(), "");
    if (!call.live) return cancelled_result();
    cri::ContainerStatusRequest req;
    req.set_container_id(id);
    req.set_verbose(true);
    grpc::Status s = stub->ContainerStatus(&call.ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
      return {GrpcResult::Status::kNotFound, {}, {}};
    }
    if (!s.ok()) return failed(s);
  }
  const cri::ContainerStatus& st = resp.status();
  info->name = st.metadata().name();
  put_labels(st.labels(), info);
  set_image(st.image().image(), info);
  // image_ref: "repo@sha256:..." (a digest reference) or the image id "sha256:...".
  if (auto at = st.image_ref().find('@'); at != std::string::npos && info->image_digest.empty()) {
    info->image_digest = st.image_ref().substr(at + 1);
  }
  for (const auto& m : st.mounts()) {
    Mount mt{m.host_path(), m.container_path(), m.readonly() ? "ro" : "rw", !m.readonly(), ""};
    mt.propagation = m.propagation() == cri::PROPAGATION_BIDIRECTIONAL      ? "rshared"
                     : m.propagation() == cri::PROPAGATION_HOST_TO_CONTAINER ? "rslave"
                                                                             : "rprivate";
    info->mounts.push_back(std::move(mt));
  }
  const int64_t ts = st.started_at() > 0 ? st.started_at() : st.created_at();
  if (ts > 0) info->created_ts = static_cast<uint64_t>(ts);
  // The verbose info's runtime spec gives privileged and host namespaces; its mounts would
  // add the runtime's own (/etc/hosts, ...): the CRI's list is kept.
  // kubelet's labels first (pod name, namespace, uid), then the runtime's sandbox id.
  apply_k8s_labels(info);
  std::vector<Mount> cri_mounts = std::move(info->mounts);
  if (auto it = resp.info().find("info"); it != resp.info().end()) apply_cri_info(it->second, info);
  info->mounts = std::move(cri_mounts);
  // The image id: the verbose config's (above), else the CRI's image_id (cri-api 1.30+),
  // else an image_ref that is the id itself.
  for (const std::string* id : {&st.image_id(), &st.image_ref()}) {
    if (info->image_id.empty()) info->image_id = image_id_from_digest(*id);
  }
  cri_pod(info);
  info->has_metadata = true;
  return GrpcResult{GrpcResult::Status::kOk, {}, {}};
}

// The pod: name, namespace, uid, labels and IP from its sandbox. Best effort.
void GrpcClient::Impl::cri_pod(ContainerInfo* info) {
  if (info->sandbox_id.empty()) return;
  auto stub = cri::RuntimeService::NewStub(get_channel());
  Call call(this, timeout(), "");
  if (!call.live) return;
  cri::PodSandboxStatusRequest req;
  req.set_pod_sandbox_id(info->sandbox_id);
  req.set_verbose(true);  // the info's JSON holds the CNI result
  cri::PodSandboxStatusResponse resp;
  if (!stub->PodSandboxStatus(&call.ctx, req, &resp).ok()) return;
  if (auto it = resp.info().find("info"); it != resp.info().end()) {
    if (std::string err = apply_cri_sandbox_info(it->second, info); !err.empty()) {
      problems.push_back("pod " + info->sandbox_id.substr(0, 12) + ": " + err);
    }
  }
  const cri::PodSandboxStatus& p = resp.status();
  if (!p.metadata().name().empty()) info->pod_name = p.metadata().name();
  if (!p.metadata().namespace_().empty()) info->pod_namespace = p.metadata().namespace_();
  if (!p.metadata().uid().empty()) info->pod_uid = p.metadata().uid();
  info->pod_labels.clear();
  for (const auto& [k, v] : p.labels()) {
    if (!k.starts_with("io.kubernetes.") && v.size() <= opts.label_max_len) {
      info->pod_labels.emplace(k, v);
    }
  }
  if (!p.network().ip().empty()) info->ip = p.network().ip();
  if (p.has_linux() && p.linux().has_namespaces()) {
    const cri::NamespaceOption& o = p.linux().namespaces().options();
    if (o.network() == cri::NODE) info->host_network = true;
    if (o.pid() == cri::NODE) info->host_pid = true;
    if (o.ipc() == cri::NODE) info->host_ipc = true;
  }
}

GrpcClient::GrpcClient(GrpcOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
}

GrpcResult GrpcClient::inspect(const std::string& id, ContainerInfo* info) {
  impl_->problems.clear();
  GrpcResult r = impl_->opts.api == GrpcApi::kContainerd ? impl_->containerd_inspect(id, info)
                                                         : impl_->cri_inspect(id, info);
  if (r.ok()) r.problems = std::move(impl_->problems);
  return r;
}

GrpcResult GrpcClient::list(std::vector<std::string>* ids) {
  if (impl_->opts.api != GrpcApi::kContainerd) {
    return {GrpcResult::Status::kFailed, "not listed", {}};
  }
  for (const auto& ns : impl_->opts.namespaces) {
    auto stub = ctrd::Containers::NewStub(impl_->get_channel());
    Impl::Call call(impl_.get(), impl_->timeout(), ns);
    if (!call.live) return Impl::cancelled_result();
    ctrd::ListContainersRequest req;
    ctrd::ListContainersResponse resp;
    grpc::Status s = stub->List(&call.ctx, req, &resp);
    if (!s.ok()) return impl_->failed(s);
    for (const auto& c : resp.containers()) ids->push_back(c.id());
  }
  return GrpcResult{GrpcResult::Status::kOk, {}, {}};
}

GrpcResult GrpcClient::subscribe(const std::function<void()>& on_connected,
                                        const EventFn& on_event) {
  if (impl_->opts.api != GrpcApi::kContainerd) {
    return {GrpcResult::Status::kFailed, "no stream", {}};
  }
  // No deadline: the stream lives until cancel(). The channel must first be ready within
  // the timeout (a socket that accepts but never answers fails here, not in Read).
  auto channel = impl_->get_channel();
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->timeout());
  for (;;) {  // in slices, so that cancel() is seen within 200 ms
    if (channel->WaitForConnected(std::chrono::system_clock::now() +
                                  std::chrono::milliseconds(200))) {
      break;
    }
    bool cancelled;
    {
      std::lock_guard lock(impl_->mu);
      cancelled = impl_->cancelled;
    }
    if (cancelled) return Impl::cancelled_result();
    if (std::chrono::steady_clock::now() >= deadline) {
      impl_->channel.reset();
      return {GrpcResult::Status::kFailed, "no connection within the timeout", {}};
    }
  }
  auto stub = ctrd_events::Events::NewStub(channel);
  Impl::Call call(impl_.get(), 0, "");
  if (!call.live) return Impl::cancelled_result();
  ctrd_events::SubscribeRequest req;
  for (const char* t : {"/tasks/start", "/tasks/exit", "/containers/create", "/containers/delete"}) {
    req.add_filters(std::string("topic==\"") + t + "\"");
  }
  auto reader = stub->Subscribe(&call.ctx, req);
  on_connected();
  ctrd_events::Envelope env;
  while (reader->Read(&env)) {
    const std::string& topic = env.topic();
    const std::string& payload = env.event().value();
    std::string id;
    if (topic == "/tasks/start") {
      ctrd_events::TaskStart e;
      if (e.ParseFromString(payload)) id = e.container_id();
    } else if (topic == "/tasks/exit") {
      ctrd_events::TaskExit e;
      if (e.ParseFromString(payload)) id = e.container_id();
    } else if (topic == "/containers/create" || topic == "/containers/delete") {
      ctrd_events::ContainerDelete e;  // ContainerCreate's id is field 1 too
      if (e.ParseFromString(payload)) id = e.id();
    }
    if (!id.empty()) on_event(topic, id);
  }
  grpc::Status s = reader->Finish();
  if (s.error_code() == grpc::StatusCode::CANCELLED) return Impl::cancelled_result();
  return impl_->failed(s);
}

void GrpcClient::cancel() {
  std::lock_guard lock(impl_->mu);
  impl_->cancelled = true;
  for (auto* ctx : impl_->current) ctx->TryCancel();
}

std::unique_ptr<GrpcRuntimeClient> make_grpc_runtime_client(GrpcOptions opts) {
  return std::make_unique<GrpcClient>(std::move(opts));
}

}  // namespace saker::container
