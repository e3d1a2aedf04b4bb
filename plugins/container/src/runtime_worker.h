// The only place the plugin talks to container runtimes. Its threads (one for metadata
// lookups, one per socket for the runtime's event stream) make the HTTP calls; the event
// path only ever calls request(), which queues an id without blocking (a full queue drops
// the request and the store schedules a retry). Lookups use the Docker-compatible API
// (docker, podman's compat service): GET /containers/<id>/json, then /images/<id>/json when
// the image digest is unknown; or gRPC (GrpcRuntimeClient): containerd's Containers/Get in
// each configured namespace, the CRI's ContainerStatus + PodSandboxStatus (containerd's CRI
// plugin, CRI-O). The event stream (GET /events; containerd's Events/Subscribe) prefetches
// containers as they are created or started and schedules their eviction when they exit; at
// connection the running containers are listed and prefetched. The CRI socket has no stream
// here (its lookups are on demand).
//
// A socket that is absent, refuses connections or hangs only delays metadata: each call is
// bounded (connect/request timeouts), a socket that failed is skipped for a back-off period
// (lookups try the other sockets meanwhile), and lookups of containers still without
// metadata are retried, so enrichment recovers when the runtime comes back.
//
// Logging: the host API may only be called on the plugin's callback threads, so the
// worker's messages are queued (LogQueue) and written by the event path's next parse call.
#pragma once

#include <saker_plugin_api.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "docker_inspect.h"
#include "grpc_runtime.h"
#include "metadata_store.h"

namespace saker::container {

class UnixHttp;

struct Endpoint {
  // "docker" or "podman" (Docker-compatible HTTP; the container.type of what it answers),
  // "containerd" (containerd's gRPC API) or "cri" (the CRI over gRPC: CRI-O, containerd).
  std::string engine;
  std::string socket;
  bool grpc() const { return engine == "containerd" || engine == "cri"; }
};

struct WorkerOptions {
  std::vector<Endpoint> endpoints;
  uint32_t connect_timeout_ms = 1000;
  uint32_t request_timeout_ms = 3000;
  size_t queue_capacity = 1024;
  bool event_stream = true;
  uint32_t exit_grace_ms = 5000;      // exited container kept this long
  uint32_t retry_ms = 2000;           // a failed lookup may be retried after this
  uint32_t socket_backoff_ms = 5000;  // a failing socket is skipped this long
  std::string api_prefix = "/v1.41";
  std::vector<std::string> containerd_namespaces = {"k8s.io", "moby", "default"};
  InspectOptions inspect;
  // Where the companion libraries are (companion.h); empty: next to this code's own .so.
  std::string companion_dir;
};

// Messages from worker threads, written by the plugin on its own thread.
class LogQueue {
 public:
  void push(int level, std::string msg);
  bool pending() const { return pending_.load(std::memory_order_relaxed); }
  std::vector<std::pair<int, std::string>> drain();

 private:
  std::mutex mu_;
  std::vector<std::pair<int, std::string>> msgs_;
  std::atomic<bool> pending_{false};
};

struct WorkerStats {
  std::atomic<uint64_t> lookups{0}, lookups_ok{0}, lookups_failed{0}, requests_dropped{0},
      stream_events{0};
  // Parts of runtimes' answers that could not be read (the rest was used): each is logged.
  std::atomic<uint64_t> answer_problems{0};
};

class RuntimeWorker {
 public:
  // Log levels as in the C ABI.
  static constexpr int kLogError = SAKER_LOG_ERROR, kLogWarning = SAKER_LOG_WARNING,
                       kLogNotice = SAKER_LOG_NOTICE, kLogInfo = SAKER_LOG_INFO,
                       kLogDebug = SAKER_LOG_DEBUG;

  RuntimeWorker(WorkerOptions opts, MetadataStore* store, LogQueue* log);
  ~RuntimeWorker();  // stops and joins the threads (each within about a second)
  RuntimeWorker(const RuntimeWorker&) = delete;
  RuntimeWorker& operator=(const RuntimeWorker&) = delete;

  // Starts the threads. Sockets absent at this point are reported once through the log.
  void start();
  bool started() const { return !threads_.empty(); }
  void stop();

  // Event path: queue a metadata lookup. Never blocks on I/O; false when the queue is full.
  bool request(const std::string& id, const std::string& type);

  // Told on a worker thread, after the store was updated: each time a container's metadata
  // is published, and each time the runtime reports a container's exit (possibly several
  // times for one exit: die, then remove). Set before start().
  struct Listener {
    std::function<void(const ContainerInfo&)> published;
    std::function<void(const std::string& id)> exited;
  };
  void set_listener(Listener l) { listener_ = std::move(l); }

  const WorkerStats& stats() const { return stats_; }
  bool has_endpoints() const { return !opts_.endpoints.empty(); }

 private:
  struct Request {
    std::string id, type;
  };
  // What the log last said about a socket: a message is written on each change only.
  enum class Health : int { kUnknown, kOk, kAbsent, kFailing };
  struct EndpointState {
    std::atomic<uint64_t> down_until_ms{0};
    std::atomic<Health> health{Health::kUnknown};
  };

  void lookup_loop();
  void lookup(const Request& r, std::unique_ptr<UnixHttp>& http);
  enum class Answer { kFound, kNotFound, kFailed };
  Answer lookup_http(size_t i, const Request& r, UnixHttp& http, ContainerInfo* info);
  Answer lookup_grpc(size_t i, const Request& r, ContainerInfo* info);
  void grpc_stream_loop(size_t i);
  GrpcRuntimeClient* grpc_client(size_t i, bool stream);
  void stream_loop(size_t i);
  void handle_stream_line(size_t i, std::string_view line);
  void prefetch_running(size_t i, UnixHttp& http);
  UnixHttp* http_client(std::unique_ptr<UnixHttp>& slot);
  void* companion_factory(const char* file, const char* factory, std::atomic<bool>& logged,
                          const char* kind, const char* runtimes);
  bool socket_absent(size_t i);  // logs once per outage
  void set_health(size_t i, Health h, const std::string& detail);
  void sleep_for(uint32_t ms);

  WorkerOptions opts_;
  MetadataStore* store_;
  LogQueue* log_;
  WorkerStats stats_;
  Listener listener_;
  std::vector<EndpointState> ep_;
  // gRPC endpoints' clients (null for HTTP ones): one for the lookup thread, one for the
  // stream thread; each made by its thread once the socket exists (which loads the gRPC
  // companion), stored under mu_, cancelled by stop() before joining.
  std::vector<std::unique_ptr<GrpcRuntimeClient>> grpc_lookup_, grpc_stream_;
  std::atomic<bool> grpc_load_logged_{false}, http_load_logged_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Request> queue_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

uint64_t steady_ms();

// The order a lookup asks the endpoints in, by the container's cgroup type: its own
// runtime's endpoints first, then the others. CRI-O's and kubelet's containers ("cri-o",
// "cri") ask the CRI endpoints first. Indexes into `endpoints`.
std::vector<size_t> lookup_order(const std::vector<Endpoint>& endpoints, const std::string& type);

}  // namespace saker::container
