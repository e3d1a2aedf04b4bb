// A gRPC client for one runtime socket: containerd's native API (containers, images, the
// content store, events; every call carries the "containerd-namespace" header, tried in the
// configured order) or the Kubernetes CRI (runtime.v1 ContainerStatus + PodSandboxStatus:
// containerd's CRI plugin, CRI-O). The counterpart of UnixHttp + docker_inspect for runtimes
// that speak gRPC; the RuntimeWorker uses it from its own threads only, never from the event
// path.
//
// Every call is bounded: it fails after connect + request timeout (a socket that accepts
// but never answers), and at once on a refused or absent socket. After a failure the
// channel is rebuilt, so a runtime that comes back is reached on the next call (gRPC's
// own reconnect back-off could otherwise keep failing for up to two minutes).
//
// Thread-safety: one thread uses a client (lookup or event stream); cancel() may be called
// from any thread and makes the call in progress, and every later one, fail at once.
// gRPC types stay in the .cpp (companions/grpc_runtime.cpp), which only the companion
// library and the gRPC tests are built from.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "container_info.h"

namespace saker::container {

enum class GrpcApi { kContainerd, kCri };

struct GrpcOptions {
  GrpcApi api = GrpcApi::kContainerd;
  std::string socket;
  std::vector<std::string> namespaces = {"k8s.io", "moby", "default"};  // containerd only
  uint32_t connect_timeout_ms = 1000;
  uint32_t request_timeout_ms = 3000;
  size_t label_max_len = 100;
};

struct GrpcResult {
  enum class Status { kOk, kNotFound, kFailed };
  Status status = Status::kFailed;
  std::string error;  // kFailed: gRPC's status code and message
  // kOk: what the runtime answered that could not be read, the rest of the answer standing
  // (an image manifest that is not JSON, a sandbox's CNI result...): for the log.
  std::vector<std::string> problems;
  bool ok() const { return status == Status::kOk; }
};

// The client lives in the companion library libcontainer_grpc.so (companion.h): the plugin
// only sees this interface and gets objects from the companion's factory.
class GrpcRuntimeClient {
 public:
  virtual ~GrpcRuntimeClient() = default;

  // The container's metadata into *info (id and type are left as they are). kNotFound when
  // the runtime (in none of the namespaces) knows the id. containerd: the image's config
  // digest (container.image.id) is read from the content store (the image's manifest, or
  // this platform's manifest of its index). CRI: the pod's CNI result from its verbose
  // sandbox status.
  virtual GrpcResult inspect(const std::string& id, ContainerInfo* info) = 0;

  // containerd: the ids of every container of the configured namespaces. CRI: kFailed.
  virtual GrpcResult list(std::vector<std::string>* ids) = 0;

  // containerd: reads the event stream until it ends, fails or is cancelled, calling
  // `on_event(topic, container id)` for /tasks/start, /tasks/exit, /containers/create,
  // /containers/delete. `on_connected` is called once the stream is established.
  using EventFn = std::function<void(std::string_view topic, const std::string& id)>;
  virtual GrpcResult subscribe(const std::function<void()>& on_connected,
                               const EventFn& on_event) = 0;

  virtual void cancel() = 0;
};

// The companion's factory (companion.h: kGrpcFactory; nullptr if the client cannot be
// made). Defined in libcontainer_grpc.so only: the plugin reaches it through dlsym.
using GrpcClientFactory = GrpcRuntimeClient* (*)(const GrpcOptions& opts);
// The client itself, for the companion's entry point and for tests that link it directly.
std::unique_ptr<GrpcRuntimeClient> make_grpc_runtime_client(GrpcOptions opts);

}  // namespace saker::container
