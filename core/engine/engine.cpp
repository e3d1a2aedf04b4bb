// The runtime: wiring sources, parsers, the sink and outputs together.
#include "engine.h"

#include <chrono>
#include <set>

#include "log.h"

namespace saker::core {

Engine::Engine(EngineOptions opts)
    : opts_(std::move(opts)),
      core_fields_(opts_.hostname),
      plugins_(std::make_unique<PluginManager>(opts_.plugins_dir, this)),
      router_(opts_.outputs_queue_capacity, metrics_, opts_.outputs_drain_timeout),
      dedup_(opts_.dedup, metrics_) {
  m_alerts_ = metrics_.add("num_alerts", MetricKind::kCounter, "Alerts raised");
}

Engine::~Engine() {
  std::vector<std::unique_ptr<SourceLoop>> loops;
  {
    std::lock_guard lock(loops_mu_);
    loops.swap(loops_);
  }
  for (auto& l : loops) l->request_stop();
  loops.clear();
  router_.stop();
}

void Engine::register_fields() {
  for (const auto& inst : plugins_->instances()) {
    if (inst->source_api()) {
      core_fields_.set_source_plugin(
          inst->source_name(), inst->name(),
          inst->descriptor().description ? inst->descriptor().description : "");
    }
  }
  registry_.add_provider(&core_fields_);
  for (const auto& inst : plugins_->instances()) {
    if (inst->extract_api()) registry_.add_provider(inst.get());
  }
}

std::vector<std::string> Engine::available_sources() const {
  std::vector<std::string> out;
  for (const auto& inst : plugins_->instances()) {
    if (inst->source_api()) out.push_back(inst->source_name());
  }
  return out;
}

PluginInstance* Engine::source_plugin(const std::string& source) const {
  for (const auto& inst : plugins_->instances()) {
    if (inst->source_api() && inst->source_name() == source) return inst.get();
  }
  return nullptr;
}

void Engine::open_output(PluginInstance& inst, const std::string& params) {
  router_.add_output(inst, params);
}

void Engine::publish(AlertRecord a) {
  if (!dedup_.admit(&a)) return;  // a duplicate within its window: counted there
  if (a.hostname.empty()) a.hostname = opts_.hostname;
  finish_alert(opts_.alert_format, &a);
  metrics_.inc(m_alerts_);
  router_.publish(std::make_shared<const AlertRecord>(std::move(a)));
}

std::vector<PluginInstance*> Engine::parsers_for(const std::string& source) const {
  std::vector<PluginInstance*> out;
  for (const auto& inst : plugins_->instances()) {
    if (inst->parses(source)) out.push_back(inst.get());
  }
  return out;
}

void Engine::mark_shared_instances(const std::vector<std::string>& sources) {
  for (const auto& inst : plugins_->instances()) {
    std::set<std::string> users;
    for (const auto& s : sources) {
      bool uses = (inst->source_api() && inst->source_name() == s) || inst->parses(s);
      for (const auto& d : registry_.all()) {
        uses = uses || (d->provider == inst.get() && d->applies_to(s));
      }
      if (uses) users.insert(s);
    }
    if (users.size() > 1 || (inst->output_api() && !users.empty())) inst->set_shared();
  }
}

void Engine::run(const std::vector<std::string>& sources, const std::atomic<bool>& stop) {
  mark_shared_instances(sources);
  for (const auto& s : sources) {
    PluginInstance* p = source_plugin(s);
    if (!p) throw PluginError("no loaded plugin provides the event source '" + s + "'");
    const PluginSpec* spec = plugins_->spec(p->name());
    // The event types the rules can match, so the source may filter at its origin.
    if (sink_ && !p->set_interesting_types(sink_->interesting_types(s))) {
      log(LogLevel::kWarning, "engine",
          "source '" + s + "' refused the rules' event types: " + p->last_error());
    }
    std::lock_guard lock(loops_mu_);
    loops_.push_back(std::make_unique<SourceLoop>(*p, spec ? spec->open_params : "", parsers_for(s),
                                                  sink_, slots_, metrics_));
    loops_.back()->on_finish([this] {
      std::lock_guard ended(ended_mu_);
      ended_cv_.notify_all();
    });
  }
  // Plugins doing long work inside open (seeding state from /proc or a capture's lists)
  // poll stop_requested(): the flag is theirs to see until run returns.
  stop_flag_ = &stop;
  struct ResetFlag {
    std::atomic<const std::atomic<bool>*>& flag;
    ~ResetFlag() { flag = nullptr; }
  } reset{stop_flag_};
  for (auto& l : loops_) {
    if (stop) break;
    log(LogLevel::kInfo, "engine", "opening event source '" + l->source_name() + "'");
    try {
      l->start();
    } catch (const PluginError& e) {
      if (!stop) throw;
      // Asked to stop while the source was opening: a stop like any other, not a failure.
      log(LogLevel::kNotice, "engine",
          "stop requested while opening event source '" + l->source_name() + "': " + e.what());
      break;
    }
    log(LogLevel::kInfo, "engine", "opened event source '" + l->source_name() + "'");
  }
  {
    // A loop that ends wakes this at once (a replay's end is not delayed); a stop request
    // comes from a signal handler, which cannot notify: it is seen within 20 ms.
    std::unique_lock ended(ended_mu_);
    for (;;) {
      bool all_done = true;
      for (auto& l : loops_) all_done = all_done && l->finished();
      if (all_done || stop) break;
      ended_cv_.wait_for(ended, std::chrono::milliseconds(20));
    }
  }
  for (auto& l : loops_) l->request_stop();
  for (auto& l : loops_) l->join();
  router_.stop();
}

int32_t Engine::resolve_field(const char* source, const char* field, const char* arg,
                              uint32_t* handle, uint32_t* type) {
  const FieldDef* d = registry_.find(source ? source : "", field ? field : "");
  if (!d) return SAKER_FAILURE;
  *handle = slots_.resolve(d, arg);
  *type = d->type;
  return SAKER_OK;
}

int32_t Engine::extract_fields(const saker_event* evt, saker_extract_request* reqs, uint32_t n) {
  EventContext* ctx = EventContext::current();
  if (!ctx || ctx->event() != evt) return SAKER_FAILURE;
  // Pointers handed back must outlive this call only: per-thread scratch suffices.
  thread_local std::vector<std::vector<const char*>> strs;
  thread_local std::vector<std::vector<saker_bytes>> bytes;
  if (strs.size() < n) {
    strs.resize(n);
    bytes.resize(n);
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (reqs[i].field_id >= slots_.size()) return SAKER_FAILURE;
    const FieldValue& v = ctx->get(reqs[i].field_id);
    reqs[i].num_values = v.count;
    if (v.count == 0) continue;
    if (v.is_numeric()) {
      reqs[i].values.u64 = v.nums.data();
    } else if (v.type == SAKER_FIELD_STRING) {
      strs[i].clear();
      for (uint32_t k = 0; k < v.count; ++k) strs[i].push_back(v.str(k).data());  // NUL-terminated
      reqs[i].values.str = strs[i].data();
    } else {
      bytes[i].clear();
      for (uint32_t k = 0; k < v.count; ++k) {
        bytes[i].push_back({reinterpret_cast<const uint8_t*>(v.str(k).data()), v.str(k).size()});
      }
      reqs[i].values.bytes = bytes[i].data();
    }
  }
  return SAKER_OK;
}

int32_t Engine::inject_event(const char* source, const saker_event* evt) {
  if (!source || !evt) return SAKER_FAILURE;
  std::lock_guard lock(loops_mu_);
  for (auto& l : loops_) {
    if (l->source_name() == source) return l->inject(*evt) ? SAKER_OK : SAKER_FAILURE;
  }
  return SAKER_FAILURE;
}

}  // namespace saker::core
