// The container plugin: parse and extract on the `syscall` source. It tells which container
// an event's thread runs in from the thread's cgroups (read from the syscall plugin's
// thread.cgroups through the host, or /proc/TID/cgroup for a live thread the state has no
// cgroups for), caches the answer per thread (refreshed on clone/execve, dropped at
// procexit), and serves container.* / k8s.* fields from that and from the metadata the
// RuntimeWorker fetches asynchronously from the runtimes' APIs. The core knows nothing of
// containers: it only routes the events and the field requests here.
//
// Container events (container_event.h): when the worker learns a container's metadata (or
// its exit) the plugin injects a container event into the syscall stream through the host
// (thread-safe). Rules see it (evt.type = container, with the container.* fields of that
// container), a live capture records it, and parse reads it back, from a replayed capture
// too (Falco's and sysdig's container events as well): a capture keeps its containers'
// metadata when no runtime can be asked.
//
// Threading: the host calls parse/extract from one thread at a time; the worker's threads
// only touch the MetadataStore, the lookup queue and the LogQueue (all thread-safe).
#include <saker/sdk/plugin.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>

#include "announcer.h"
#include "cgroup_match.h"
#include "config.h"
#include "container_event.h"
#include "event_header.h"
#include "event_table.h"
#include "fields/field_table.h"
#include "metadata_store.h"
#include "process_cache.h"
#include "runtime_worker.h"

namespace saker::container {
namespace {

namespace scap = saker::syscall::scap;

enum class EventKind : uint8_t { kOther, kRefresh, kExit };

// Clone/fork/execve exits refresh a thread's container (a runtime moves its init process
// into the container's cgroup before exec); procexit forgets the thread.
std::array<EventKind, scap::kEventTypeCount> event_kinds() {
  std::array<EventKind, scap::kEventTypeCount> k{};
  for (uint16_t t = 0; t < scap::kEventTypeCount; ++t) {
    const std::string_view n = scap::event_info(t).name;
    if (n == "procexit") {
      k[t] = EventKind::kExit;
    } else if (scap::is_exit(t) && (n == "clone" || n == "clone3" || n == "fork" || n == "vfork" ||
                                    n == "execve" || n == "execveat")) {
      k[t] = EventKind::kRefresh;
    }
  }
  return k;
}

uint64_t wall_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

class ContainerPlugin : private fields::ThreadFacts {
 public:
  static constexpr const char* kName = "container";
  // The version of Falco's container plugin whose fields this one serves: rules files
  // declare `required_plugin_versions: [{name: container, version: 0.4.0}]`.
  static constexpr const char* kVersion = "0.4.0";
  static constexpr const char* kDescription =
      "Container and Kubernetes pod of syscall events: ids from cgroups, metadata from the "
      "docker/podman API, containerd and CRI-O (gRPC)";
  static constexpr const char* kContact = "https://github.com/saker-dev/saker";
  static constexpr const char* kInitSchema =
      R"({"type":"object","properties":{)"
      R"("label_max_len":{"type":"integer","minimum":0},"with_size":{"type":"boolean"},)"
      R"("hooks":{"type":"array","items":{"type":"string"}},"engine_timeout":{"type":"integer"},)"
      R"("engines":{"type":"object","additionalProperties":{"type":"object","properties":{)"
      R"("enabled":{"type":"boolean"},"sockets":{"type":"array","items":{"type":"string"}},)"
      R"("namespaces":{"type":"array","items":{"type":"string"}}}}},)"
      R"("connect_timeout_ms":{"type":"integer","minimum":1},)"
      R"("lookup_timeout_ms":{"type":"integer","minimum":1},)"
      R"("lookup_queue":{"type":"integer","minimum":1},"event_stream":{"type":"boolean"},)"
      R"("exit_grace_ms":{"type":"integer","minimum":0},"retry_ms":{"type":"integer","minimum":0},)"
      R"("socket_backoff_ms":{"type":"integer","minimum":0},)"
      R"("max_containers":{"type":"integer","minimum":1},)"
      R"("max_threads":{"type":"integer","minimum":1},)"
      R"("proc_fallback":{"enum":["auto","always","never"]},)"
      R"("runtime_lookups":{"enum":["auto","always","never"]}}})";

  explicit ContainerPlugin(const sdk::InitContext& ctx)
      : host_(ctx.host),
        cfg_(parse_config(ctx.config)),
        kinds_(event_kinds()),
        store_(cfg_.max_containers),
        threads_(cfg_.max_threads),
        worker_(cfg_.worker, &store_, &logs_),
        announcer_(cfg_.max_containers),
        table_(fields::all_fields()) {
    worker_.set_listener({[this](const ContainerInfo& i) { announce_added(i); },
                          [this](const std::string& id) { announce_removed(id); }});
    for (const auto& e : cfg_.unsupported_engines) {
      host_.log(sdk::LogLevel::kWarning,
                "engine '" + e +
                    "' is not supported yet: its containers get their id and type "
                    "from the cgroup only (no name, image or pod)");
    }
    if (cfg_.worker.endpoints.empty()) {
      host_.log(sdk::LogLevel::kInfo, "no runtime socket enabled: container ids and types only");
    }
    m_lookups_ = host_.register_counter("lookups", "container metadata lookups made");
    m_failed_ = host_.register_counter("lookups_failed", "lookups no runtime answered");
    m_dropped_ = host_.register_counter("lookup_requests_dropped", "lookups not queued (full)");
    m_problems_ = host_.register_counter("lookup_answer_problems",
                                         "parts of runtime answers that could not be read");
    m_containers_ = host_.register_gauge("n_containers", "containers known");
    m_threads_ = host_.register_gauge("n_threads", "threads with a known container");
    m_events_in_ =
        host_.register_counter("container_events_read", "container events read from the stream");
    m_events_bad_ = host_.register_counter("container_events_malformed",
                                           "container events that could not be read (skipped)");
    m_events_out_ = host_.register_counter("container_events_injected",
                                           "container events put into the syscall stream");
    m_events_lost_ = host_.register_counter("container_events_not_injected",
                                            "container events the host refused (queue full)");
  }
  ~ContainerPlugin() override { worker_.stop(); }

  std::vector<std::string> parse_sources() { return {"syscall"}; }
  std::vector<std::string> extract_sources() { return {"syscall"}; }

  void parse(const sdk::Event& evt) {
    // The runtimes are contacted once live events flow (not for -V, --list, a replay...).
    if (!worker_started_) {
      worker_started_ = true;
      scap::EventHeader first;
      if (header(evt, &first) && live(cfg_.runtime_lookups, first.ts)) {
        worker_.start();
      } else if (worker_.has_endpoints()) {
        host_.log(sdk::LogLevel::kInfo,
                  "events from a capture: container runtimes not asked (runtime_lookups: always "
                  "to ask them)");
      }
    }
    if (logs_.pending()) flush_logs();
    if ((++n_events_ & 0xfff) == 0) publish_metrics();
    scap::EventHeader h;
    if (!header(evt, &h)) return;
    if (events::is_container_event_type(h.type)) return read_container_event(evt);
    const int64_t tid = static_cast<int64_t>(h.tid);
    const EventKind kind = h.type < kinds_.size() ? kinds_[h.type] : EventKind::kOther;
    if (kind == EventKind::kExit) {
      threads_.erase(tid);
      if (tid == known_tid_) known_tid_ = -1;
      return;
    }
    // Most events come from the thread of the previous one: skip the table lookup then.
    if (kind == EventKind::kOther && (tid == known_tid_ || threads_.contains(tid))) {
      known_tid_ = tid;
      return;
    }
    learn(evt, h, tid);
    known_tid_ = threads_.contains(tid) ? tid : -1;
  }

  std::vector<sdk::FieldInfo> fields() {
    std::vector<sdk::FieldInfo> v;
    for (const auto& f : table_) v.push_back(f.info);
    return v;
  }

  void extract(const sdk::Event& evt, sdk::ExtractRequest& req) {
    scap::EventHeader h;
    if (!header(evt, &h)) return;
    const int64_t tid = static_cast<int64_t>(h.tid);
    if (evt.raw() != cur_evt_ || evt.num() != cur_num_ || tid != cur_tid_) {
      cur_evt_ = evt.raw();
      cur_num_ = evt.num();
      cur_tid_ = tid;
      if (events::is_container_event_type(h.type) && evt.num() == event_num_ && event_key_) {
        // A container event: the fields describe the container it carries.
        cur_key_ = event_key_;
        cur_info_ = event_info_;
      } else {
        cur_key_ = threads_.find(tid);
        // A thread parse has not kept (its procexit): answer without remembering it.
        if (!cur_key_) cur_key_ = learn(evt, h, tid, /*remember=*/false);
        cur_info_ = cur_key_->is_host() ? nullptr : find_info(cur_key_->id);
      }
    }
    const auto& f = table_[req.field_id()];
    fields::FieldCtx c{evt, req, *cur_key_, cur_info_.get(), *this, req.arg_key(), req.has_arg()};
    f.fn(c);
  }

 private:
  // By full id; else by the short id older captures' container events name containers by.
  std::shared_ptr<const ContainerInfo> find_info(const std::string& id) const {
    auto i = store_.find(id);
    if ((!i || !i->has_metadata) && id.size() > 12) {
      if (auto s = store_.find(id.substr(0, 12)); s && s->has_metadata) return s;
    }
    return i;
  }

  // --- container events (worker threads: announce_*; the event path: read_container_event)
  void announce_added(const ContainerInfo& info) {
    if (!info.has_metadata || !announcer_.should_add(info.id)) return;
    inject(events::kContainerJson2E, events::encode_added(info, wall_ns()));
  }
  void announce_removed(const std::string& id) {
    auto info = store_.find(id);
    if (!info || !announcer_.should_remove(id)) return;
    inject(events::kAsyncE, events::encode_removed(*info, wall_ns()));
  }
  void inject(uint16_t type, const std::vector<uint8_t>& ev) {
    const uint64_t ts = scap::decode_header(ev.data()).ts;
    const std::string_view data(reinterpret_cast<const char*>(ev.data()), ev.size());
    if (host_.inject("syscall", type, ts, data)) {
      injected_.fetch_add(1, std::memory_order_relaxed);
    } else if (not_injected_.fetch_add(1, std::memory_order_relaxed) == 0) {
      logs_.push(SAKER_LOG_WARNING,
                 "a container event could not be put into the syscall stream (the host's "
                 "queue is full): rules at container start may miss it, a capture lacks it");
    }
  }

  void read_container_event(const sdk::Event& evt) {
    events::Decoded d;
    try {
      d = events::decode({evt.data(), static_cast<size_t>(evt.size())});
    } catch (const std::exception& e) {
      host_.metric_add(m_events_bad_, 1);
      event_key_.reset();
      // Logged the first times, then every 1000th: a capture full of them stays readable.
      if (n_bad_events_++ % 1000 < 5) {
        host_.log(sdk::LogLevel::kWarning, "event " + std::to_string(evt.num()) +
                                               " skipped: " + e.what() + " (" +
                                               std::to_string(n_bad_events_) + " so far)");
      }
      return;
    }
    if (d.kind == events::Decoded::Kind::kNone) return;
    host_.metric_add(m_events_in_, 1);
    const std::string id = d.info.id;
    if (d.kind == events::Decoded::Kind::kAdded) {
      // Live, the store has it from the worker already (maybe fresher); from a capture the
      // event is all there is.
      auto known = store_.find(id);
      if (!known || !known->has_metadata) store_.publish(d.info);
    } else if (!worker_.started()) {
      store_.mark_exited(id, steady_ms());
    }
    event_num_ = evt.num();
    event_info_ = store_.find(id);
    if (!event_info_) event_info_ = std::make_shared<const ContainerInfo>(std::move(d.info));
    event_key_ =
        std::make_shared<const ContainerKey>(ContainerKey{id, id.substr(0, 12), event_info_->type});
  }

  static bool header(const sdk::Event& evt, scap::EventHeader* h) {
    if (evt.size() < scap::kEventHeaderSize) return false;
    *h = scap::decode_header(evt.data());
    return true;
  }

  void resolve_foreign() {
    resolved_ = true;
    try {
      f_cgroups_ = host_.resolve("syscall", "thread.cgroups");
      f_pidns_ = host_.resolve("syscall", "proc.pidns_init_start_ts");
    } catch (const std::exception& e) {
      host_.log(sdk::LogLevel::kWarning, std::string("the syscall plugin gives no cgroups (") +
                                             e.what() + "): container ids come from /proc only");
    }
  }

  // Where `tid` runs, from its cgroups; remembered, and the container's metadata requested
  // when it is new (or still missing and due for a retry).
  std::shared_ptr<const ContainerKey> learn(const sdk::Event& evt, const scap::EventHeader& h,
                                            int64_t tid, bool remember = true) {
    if (!resolved_) resolve_foreign();
    std::string cg;
    if (f_cgroups_.valid) host_.read_string(evt, f_cgroups_, &cg);
    if (cgroups_say_nothing(cg) && live(cfg_.proc_fallback, h.ts)) {
      if (std::string proc = read_proc_cgroup(tid); !proc.empty()) cg = std::move(proc);
    }
    const CgroupMatch m = match_cgroups(cg);
    auto key = remember ? threads_.assign(tid, m) : threads_.key_for(m);
    if (m.in_container() && store_.note_seen(m, steady_ms()) && worker_.started()) {
      if (!worker_.request(m.id, m.type)) store_.lookup_not_queued(m.id, steady_ms() + 1000);
    }
    return key;
  }

  // /proc and the runtimes describe this machine now: worth asking only for events that are
  // happening now (live), not for a capture's.
  static bool live(LiveOnly mode, uint64_t ts) {
    switch (mode) {
      case LiveOnly::kAlways:
        return true;
      case LiveOnly::kNever:
        return false;
      case LiveOnly::kAuto:
        break;
    }
    const uint64_t now = wall_ns();
    const uint64_t d = now > ts ? now - ts : ts - now;
    return d < 60ull * 1000000000ull;
  }

  std::optional<uint64_t> pidns_init_start_ts() const override {
    uint64_t v = 0;
    if (cur_evt_ && f_pidns_.valid && host_.read_u64(sdk::Event(cur_evt_), f_pidns_, &v)) {
      return v;
    }
    return std::nullopt;
  }

  void flush_logs() {
    for (auto& [level, msg] : logs_.drain()) {
      host_.log(static_cast<sdk::LogLevel>(level), msg);
    }
  }

  void publish_metrics() {
    const WorkerStats& s = worker_.stats();
    host_.metric_set(m_containers_, store_.size());
    host_.metric_set(m_threads_, threads_.size());
    const uint64_t l = s.lookups.load(), f = s.lookups_failed.load(), d = s.requests_dropped.load();
    host_.metric_add(m_lookups_, l - last_lookups_);
    host_.metric_add(m_failed_, f - last_failed_);
    host_.metric_add(m_dropped_, d - last_dropped_);
    last_lookups_ = l, last_failed_ = f, last_dropped_ = d;
    const uint64_t p = s.answer_problems.load();
    host_.metric_add(m_problems_, p - last_problems_);
    last_problems_ = p;
    const uint64_t in = injected_.load(), out = not_injected_.load();
    host_.metric_add(m_events_out_, in - last_injected_);
    host_.metric_add(m_events_lost_, out - last_not_injected_);
    last_injected_ = in, last_not_injected_ = out;
  }

  sdk::Host host_;
  PluginConfig cfg_;
  std::array<EventKind, scap::kEventTypeCount> kinds_;
  LogQueue logs_;
  MetadataStore store_;
  ProcessCache threads_;
  int64_t known_tid_ = -1;  // a thread known to threads_ (the last event's), or -1
  RuntimeWorker worker_;
  Announcer announcer_;
  std::vector<fields::FieldEntry> table_;

  bool worker_started_ = false;
  bool resolved_ = false;
  sdk::ForeignField f_cgroups_, f_pidns_;

  // The event the last extract call was for, and what it resolved to.
  const saker_event* cur_evt_ = nullptr;
  uint64_t cur_num_ = 0;
  int64_t cur_tid_ = -1;
  std::shared_ptr<const ContainerKey> cur_key_;
  std::shared_ptr<const ContainerInfo> cur_info_;

  // The last container event parse read: its number and the container it carries.
  uint64_t event_num_ = 0;
  std::shared_ptr<const ContainerKey> event_key_;
  std::shared_ptr<const ContainerInfo> event_info_;
  uint64_t n_bad_events_ = 0;
  std::atomic<uint64_t> injected_{0}, not_injected_{0};
  uint64_t last_injected_ = 0, last_not_injected_ = 0;
  uint32_t m_events_in_ = 0, m_events_bad_ = 0, m_events_out_ = 0, m_events_lost_ = 0;

  uint64_t n_events_ = 0;
  uint32_t m_lookups_ = 0, m_failed_ = 0, m_dropped_ = 0, m_problems_ = 0, m_containers_ = 0,
           m_threads_ = 0;
  uint64_t last_lookups_ = 0, last_failed_ = 0, last_dropped_ = 0, last_problems_ = 0;
};

}  // namespace
}  // namespace saker::container

SAKER_PLUGIN(saker::container::ContainerPlugin)
