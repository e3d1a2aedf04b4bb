// Runtime API calls off the event path (see runtime_worker.h).
#include "runtime_worker.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "companion.h"
#include "unix_http.h"

namespace saker::container {

uint64_t steady_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

void LogQueue::push(int level, std::string msg) {
  std::lock_guard lock(mu_);
  // Debug lines (one per lookup) may only fill half the queue, so a flood of them never
  // crowds out the lines an operator needs (a socket connecting, failing, absent).
  if (msgs_.size() < (level == SAKER_LOG_DEBUG ? 128u : 256u)) msgs_.emplace_back(level, std::move(msg));
  pending_.store(true, std::memory_order_relaxed);
}

std::vector<std::pair<int, std::string>> LogQueue::drain() {
  std::lock_guard lock(mu_);
  pending_.store(false, std::memory_order_relaxed);
  return std::exchange(msgs_, {});
}

RuntimeWorker::RuntimeWorker(WorkerOptions opts, MetadataStore* store, LogQueue* log)
    : opts_(std::move(opts)), store_(store), log_(log), ep_(opts_.endpoints.size()) {}

RuntimeWorker::~RuntimeWorker() { stop(); }

// The factory of companion library `file` (loaded on first call), or nullptr when it
// cannot be loaded: said once per kind (`logged`), naming the runtimes left without metadata.
void* RuntimeWorker::companion_factory(const char* file, const char* factory,
                                       std::atomic<bool>& logged, const char* kind,
                                       const char* runtimes) {
  CompanionSymbol c = load_companion(opts_.companion_dir, file, factory);
  if (!c.symbol && !logged.exchange(true)) {
    log_->push(kLogError, std::string("cannot load the ") + kind + " companion library (" +
                              c.error + "): no " + runtimes + " container metadata");
  }
  return c.symbol;
}

// The thread's client of gRPC endpoint i, made on first use (the socket exists): the gRPC
// companion is loaded then. nullptr when the companion cannot be loaded (logged once:
// containerd and CRI enrichment are off, the other runtimes are not affected) or when
// stopping.
GrpcRuntimeClient* RuntimeWorker::grpc_client(size_t i, bool stream) {
  std::unique_ptr<GrpcRuntimeClient>& slot = (stream ? grpc_stream_ : grpc_lookup_)[i];
  if (slot) return slot.get();  // only this thread writes its slot
  void* factory = companion_factory(kGrpcCompanion, kGrpcFactory, grpc_load_logged_,
                                    "gRPC", "containerd or CRI");
  if (!factory) return nullptr;
  const Endpoint& e = opts_.endpoints[i];
  GrpcOptions g;
  g.api = e.engine == "containerd" ? GrpcApi::kContainerd : GrpcApi::kCri;
  g.socket = e.socket;
  g.namespaces = opts_.containerd_namespaces;
  g.connect_timeout_ms = opts_.connect_timeout_ms;
  g.request_timeout_ms = opts_.request_timeout_ms;
  g.label_max_len = opts_.inspect.label_max_len;
  std::unique_ptr<GrpcRuntimeClient> client(reinterpret_cast<GrpcClientFactory>(factory)(g));
  std::lock_guard lock(mu_);
  if (stop_ || !client) return nullptr;
  slot = std::move(client);
  return slot.get();
}

// A thread's HTTP client (docker, podman), made on first use (a socket exists): the HTTP
// companion is loaded then. nullptr when it cannot be loaded (logged once: docker and
// podman enrichment are off, the other runtimes are not affected).
UnixHttp* RuntimeWorker::http_client(std::unique_ptr<UnixHttp>& slot) {
  if (slot) return slot.get();
  void* factory = companion_factory(kHttpCompanion, kHttpFactory, http_load_logged_, "HTTP",
                                    "docker or podman");
  if (!factory) return nullptr;
  slot.reset(reinterpret_cast<HttpClientFactory>(factory)());
  return slot.get();
}

void RuntimeWorker::start() {
  if (opts_.endpoints.empty() || !threads_.empty()) return;
  for (size_t i = 0; i < opts_.endpoints.size(); ++i) socket_absent(i);
  grpc_lookup_.resize(opts_.endpoints.size());
  grpc_stream_.resize(opts_.endpoints.size());
  threads_.emplace_back([this] { lookup_loop(); });
  if (opts_.event_stream) {
    for (size_t i = 0; i < opts_.endpoints.size(); ++i) {
      if (opts_.endpoints[i].engine == "cri") continue;  // no stream read from the CRI
      threads_.emplace_back([this, i] { stream_loop(i); });
    }
  }
}

void RuntimeWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    for (auto* clients : {&grpc_lookup_, &grpc_stream_}) {
      for (auto& c : *clients) {
        if (c) c->cancel();
      }
    }
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

bool RuntimeWorker::request(const std::string& id, const std::string& type) {
  if (opts_.endpoints.empty()) return false;
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= opts_.queue_capacity) {
      stats_.requests_dropped.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(Request{id, type});
  }
  cv_.notify_one();
  return true;
}

void RuntimeWorker::sleep_for(uint32_t ms) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_.load(); });
}

void RuntimeWorker::set_health(size_t i, Health h, const std::string& detail) {
  if (ep_[i].health.exchange(h) == h) return;
  const Endpoint& e = opts_.endpoints[i];
  const std::string who = e.engine + " socket " + e.socket;
  switch (h) {
    case Health::kOk:
      log_->push(kLogInfo, "connected to the " + who);
      break;
    case Health::kAbsent:
      log_->push(kLogNotice, who + " is absent: no " + e.engine +
                                 " container metadata until it appears (retried every " +
                                 (opts_.socket_backoff_ms % 1000 == 0
                                      ? std::to_string(opts_.socket_backoff_ms / 1000) + " s)"
                                      : std::to_string(opts_.socket_backoff_ms) + " ms)"));
      break;
    case Health::kFailing:
      log_->push(kLogWarning, who + " does not answer (" + detail +
                                  "): containers get only their cgroup id and type until it "
                                  "does (retried in the background)");
      break;
    case Health::kUnknown:
      break;
  }
}

bool RuntimeWorker::socket_absent(size_t i) {
  struct stat st {};
  if (::stat(opts_.endpoints[i].socket.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) return false;
  set_health(i, Health::kAbsent, "");
  return true;
}

// The endpoints of the container's own runtime first, then the others (a docker socket
// may be served by podman, a kubepods container may be docker's).
std::vector<size_t> lookup_order(const std::vector<Endpoint>& endpoints, const std::string& type) {
  const std::string first = (type == "cri-o" || type == "cri") ? "cri" : type;
  std::vector<size_t> order;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i].engine == first) order.push_back(i);
  }
  for (size_t i = 0; i < endpoints.size(); ++i) {
    if (endpoints[i].engine != first) order.push_back(i);
  }
  return order;
}

void RuntimeWorker::lookup_loop() {
  std::unique_ptr<UnixHttp> http;  // made when a docker/podman socket is first asked
  uint64_t last_sweep = steady_ms();
  for (;;) {
    Request r;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(1000),
                   [this] { return stop_.load() || !queue_.empty(); });
      if (stop_) return;
      if (!queue_.empty()) {
        r = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    if (!r.id.empty()) lookup(r, http);
    const uint64_t now = steady_ms();
    if (now - last_sweep >= 1000) {
      store_->sweep(now, opts_.exit_grace_ms);
      last_sweep = now;
    }
  }
}

// container.type of what a CRI socket answers: CRI-O's socket, containerd's, else what
// the cgroup said.
namespace {
std::string cri_type(const Endpoint& e, const std::string& cgroup_type) {
  if (e.socket.find("crio") != std::string::npos) return "cri-o";
  if (cgroup_type == "cri-o" || cgroup_type == "containerd") return cgroup_type;
  if (e.socket.find("containerd") != std::string::npos) return "containerd";
  return "cri";
}
}  // namespace

RuntimeWorker::Answer RuntimeWorker::lookup_http(size_t i, const Request& r, UnixHttp& http,
                                                 ContainerInfo* info) {
  const Endpoint& e = opts_.endpoints[i];
  HttpResult res = http.get(e.socket, opts_.api_prefix + "/containers/" + r.id + "/json",
                            opts_.connect_timeout_ms, opts_.request_timeout_ms, &stop_);
  if (!res.ok) {
    ep_[i].down_until_ms = steady_ms() + opts_.socket_backoff_ms;
    set_health(i, Health::kFailing, res.error);
    return Answer::kFailed;
  }
  set_health(i, Health::kOk, "");
  if (res.status != 200) return Answer::kNotFound;  // 404: not this runtime's container
  info->type = e.engine;
  try {
    parse_container_inspect(res.body, opts_.inspect, info);
  } catch (const std::exception& ex) {
    log_->push(kLogDebug, "container " + r.id + ": unreadable answer from the " + e.engine +
                              " socket: " + ex.what());
    return Answer::kNotFound;
  }
  if (info->image_digest.empty() && !info->image_id.empty()) {
    HttpResult img = http.get(e.socket, opts_.api_prefix + "/images/" + info->image_id + "/json",
                              opts_.connect_timeout_ms, opts_.request_timeout_ms, &stop_);
    if (img.ok && img.status == 200) apply_image_inspect(img.body, info);
  }
  return Answer::kFound;
}

RuntimeWorker::Answer RuntimeWorker::lookup_grpc(size_t i, const Request& r,
                                                 ContainerInfo* info) {
  const Endpoint& e = opts_.endpoints[i];
  GrpcRuntimeClient* client = grpc_client(i, /*stream=*/false);
  if (!client) return Answer::kFailed;
  GrpcResult res = client->inspect(r.id, info);
  if (res.status == GrpcResult::Status::kFailed) {
    if (stop_) return Answer::kFailed;
    ep_[i].down_until_ms = steady_ms() + opts_.socket_backoff_ms;
    set_health(i, Health::kFailing, res.error);
    return Answer::kFailed;
  }
  set_health(i, Health::kOk, "");
  if (res.status == GrpcResult::Status::kNotFound) return Answer::kNotFound;
  info->type = e.engine == "cri" ? cri_type(e, r.type) : e.engine;
  for (const auto& p : res.problems) {
    stats_.answer_problems.fetch_add(1, std::memory_order_relaxed);
    log_->push(kLogWarning, "container " + r.id.substr(0, 12) + ", " + e.engine + " socket " +
                                e.socket + ": " + p + " (the rest of its metadata is kept)");
  }
  return Answer::kFound;
}

void RuntimeWorker::lookup(const Request& r, std::unique_ptr<UnixHttp>& http) {
  stats_.lookups.fetch_add(1, std::memory_order_relaxed);
  for (size_t i : lookup_order(opts_.endpoints, r.type)) {
    if (stop_) return;
    const Endpoint& e = opts_.endpoints[i];
    if (steady_ms() < ep_[i].down_until_ms.load() || socket_absent(i)) continue;
    ContainerInfo info;
    info.id = r.id;
    Answer a = Answer::kFailed;
    if (e.grpc()) {
      a = lookup_grpc(i, r, &info);
    } else if (UnixHttp* h = http_client(http)) {
      a = lookup_http(i, r, *h, &info);
    }
    if (a != Answer::kFound) continue;
    log_->push(kLogDebug, "container " + r.id.substr(0, 12) + " (" + info.type + "): name " +
                              info.name + ", image " + info.image);
    if (listener_.published) {
      store_->publish(info);
      listener_.published(info);
    } else {
      store_->publish(std::move(info));
    }
    stats_.lookups_ok.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  stats_.lookups_failed.fetch_add(1, std::memory_order_relaxed);
  log_->push(kLogDebug, "container " + r.id.substr(0, 12) + ": no runtime answered for it");
  store_->lookup_failed(r.id, steady_ms() + opts_.retry_ms);
}

void RuntimeWorker::prefetch_running(size_t i, UnixHttp& http) {
  const Endpoint& e = opts_.endpoints[i];
  HttpResult res = http.get(e.socket, opts_.api_prefix + "/containers/json",
                            opts_.connect_timeout_ms, opts_.request_timeout_ms, &stop_);
  if (!res.ok) {
    ep_[i].down_until_ms = steady_ms() + opts_.socket_backoff_ms;
    set_health(i, Health::kFailing, res.error);
    return;
  }
  if (res.status != 200) return;
  set_health(i, Health::kOk, "");
  auto list = nlohmann::json::parse(res.body, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return;
  for (const auto& c : list) {
    if (c.is_object() && c.contains("Id") && c["Id"].is_string()) {
      request(c["Id"].get<std::string>(), e.engine);
    }
  }
}

void RuntimeWorker::handle_stream_line(size_t i, std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return;
  stats_.stream_events.fetch_add(1, std::memory_order_relaxed);
  auto get = [&](const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string type = get(j, "Type");
  if (!type.empty() && type != "container") return;
  std::string action = get(j, "Action");
  if (action.empty()) action = get(j, "status");
  std::string id = get(j, "id");
  if (id.empty() && j.contains("Actor") && j["Actor"].is_object()) id = get(j["Actor"], "ID");
  if (id.size() != 64) return;
  if (action == "create" || action == "init" || action == "start" || action == "restart" ||
      action == "rename" || action == "update") {
    request(id, opts_.endpoints[i].engine);
  } else if (action == "die" || action == "died" || action == "destroy" || action == "remove" ||
             action == "kill" || action == "stop" || action == "cleanup") {
    if (action != "kill" && action != "stop") {
      store_->mark_exited(id, steady_ms());
      if (listener_.exited) listener_.exited(id);
    }
  }
}

// containerd: list the containers at connection (prefetch), then follow /tasks/start
// (lookup) and /tasks/exit, /containers/delete (eviction after the grace period).
void RuntimeWorker::grpc_stream_loop(size_t i) {
  const std::string engine = opts_.endpoints[i].engine;
  while (!stop_) {
    if (socket_absent(i) || steady_ms() < ep_[i].down_until_ms.load()) {
      sleep_for(std::min<uint32_t>(opts_.socket_backoff_ms, 1000));
      continue;
    }
    GrpcRuntimeClient* c = grpc_client(i, /*stream=*/true);
    if (!c) return;  // no companion (logged), or stopping
    GrpcRuntimeClient& client = *c;
    auto on_connected = [&] {
      set_health(i, Health::kOk, "");
      std::vector<std::string> ids;
      if (client.list(&ids).ok()) {
        for (const auto& id : ids) request(id, engine);
      }
    };
    auto on_event = [&](std::string_view topic, const std::string& id) {
      stats_.stream_events.fetch_add(1, std::memory_order_relaxed);
      if (topic == "/tasks/start" || topic == "/containers/create") {
        request(id, engine);
      } else {
        store_->mark_exited(id, steady_ms());
        if (listener_.exited) listener_.exited(id);
      }
    };
    GrpcResult res = client.subscribe(on_connected, on_event);
    if (stop_) break;
    ep_[i].down_until_ms = steady_ms() + opts_.socket_backoff_ms;
    set_health(i, Health::kFailing, res.error);
    sleep_for(opts_.socket_backoff_ms);
  }
}

void RuntimeWorker::stream_loop(size_t i) {
  if (opts_.endpoints[i].grpc()) return grpc_stream_loop(i);
  std::unique_ptr<UnixHttp> client;  // made once the socket exists
  const Endpoint& e = opts_.endpoints[i];
  // filters={"type":["container"]}
  const std::string path =
      opts_.api_prefix + "/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D";
  while (!stop_) {
    if (socket_absent(i) || steady_ms() < ep_[i].down_until_ms.load()) {
      sleep_for(std::min<uint32_t>(opts_.socket_backoff_ms, 1000));
      continue;
    }
    UnixHttp* http = http_client(client);
    if (!http) return;  // no companion (logged)
    prefetch_running(i, *http);
    if (steady_ms() < ep_[i].down_until_ms.load()) continue;
    HttpResult res = http->stream_lines(e.socket, path, opts_.connect_timeout_ms, stop_,
                                        [&](std::string_view l) { handle_stream_line(i, l); });
    if (stop_) break;
    if (!res.ok) {
      ep_[i].down_until_ms = steady_ms() + opts_.socket_backoff_ms;
      set_health(i, Health::kFailing, res.error);
    }
    sleep_for(opts_.socket_backoff_ms);
  }
}

}  // namespace saker::container
