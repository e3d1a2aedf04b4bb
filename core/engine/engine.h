// The microkernel's runtime: owns the plugin manager, the field registry and slots, the
// metrics, the output router and one SourceLoop per open source, and implements the
// host services plugins call. It knows nothing of what events mean: rules plug in as
// an EventSink, and sources, parsers, extractors and outputs are plugins.
#pragma once

#include <chrono>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alert.h"
#include "alert_dedup.h"
#include "core_fields.h"
#include "event_sink.h"
#include "field_registry.h"
#include "field_slots.h"
#include "host_services.h"
#include "output_router.h"
#include "plugin_manager.h"
#include "source_loop.h"

namespace saker::core {

struct EngineOptions {
  std::filesystem::path plugins_dir;
  std::string hostname;
  size_t outputs_queue_capacity = 100000;
  // How long a stop waits for the outputs to deliver their queues (then gives up on them).
  std::chrono::milliseconds outputs_drain_timeout{10000};
  AlertFormatSettings alert_format;
  // Reported as is by status_json (e.g. saker_version), for /versions.
  std::map<std::string, std::string> version_info;
  DedupSettings dedup;  // off by default
};

class Engine : public HostServices {
 public:
  explicit Engine(EngineOptions opts);
  ~Engine() override;

  PluginManager& plugins() { return *plugins_; }
  // After the plugins are loaded: register the core's and every extractor's fields.
  void register_fields();
  FieldRegistry& fields() { return registry_; }
  FieldSlots& slots() { return slots_; }
  CoreFields& core_fields() { return core_fields_; }
  Metrics& metrics() override { return metrics_; }
  const EngineOptions& options() const { return opts_; }

  // Names of the sources that the loaded source plugins provide, in load order.
  std::vector<std::string> available_sources() const;
  PluginInstance* source_plugin(const std::string& source) const;

  // Open an output plugin's channel (throws PluginError).
  void open_output(PluginInstance& inst, const std::string& params);
  OutputRouter& outputs() { return router_; }
  // Render text/JSON and queue the alert for every output. Thread-safe.
  void publish(AlertRecord alert);

  void set_sink(EventSink* sink) { sink_ = sink; }
  // Open `sources` and process events until every source ended or `stop` became true;
  // then deliver every queued alert and close the outputs. A source whose open fails
  // once `stop` is set (a plugin interrupted while seeding) ends the run like a stop;
  // otherwise the failure is thrown (PluginError).
  void run(const std::vector<std::string>& sources, const std::atomic<bool>& stop);
  const std::vector<std::unique_ptr<SourceLoop>>& loops() const { return loops_; }

  // HostServices.
  int32_t resolve_field(const char* source, const char* field, const char* arg, uint32_t* handle,
                        uint32_t* type) override;
  int32_t extract_fields(const saker_event* evt, saker_extract_request* reqs,
                         uint32_t n) override;
  int32_t inject_event(const char* source, const saker_event* evt) override;
  // Versions, plugins, each source's liveness, each output's queue, every metric, as
  // one JSON object (engine_status.cpp). Thread-safe.
  std::string status_json() override;
  // True once the `stop` flag of the current run() is set (false outside run()).
  bool stop_requested() const override {
    const std::atomic<bool>* f = stop_flag_.load();
    return f && f->load(std::memory_order_relaxed);
  }
  // The process exits once this engine is destroyed: from now on process_exiting() is
  // true, and plugins may leave their memory to the exit when destroyed. Called by the
  // application just before it returns from main, never for an engine that is replaced.
  void prepare_exit() { exiting_.store(true, std::memory_order_relaxed); }
  bool process_exiting() const override { return exiting_.load(std::memory_order_relaxed); }

 private:
  void mark_shared_instances(const std::vector<std::string>& sources);
  std::vector<PluginInstance*> parsers_for(const std::string& source) const;

  EngineOptions opts_;
  Metrics metrics_;
  FieldRegistry registry_;
  FieldSlots slots_;
  CoreFields core_fields_;
  std::unique_ptr<PluginManager> plugins_;
  OutputRouter router_;
  EventSink* sink_ = nullptr;
  std::vector<std::unique_ptr<SourceLoop>> loops_;
  std::mutex ended_mu_;               // a source loop ended: run() looks again at once
  std::condition_variable ended_cv_;
  mutable std::mutex loops_mu_;  // guards loops_ against inject_event from plugin threads
  uint32_t m_alerts_;
  AlertDedup dedup_;
  std::atomic<const std::atomic<bool>*> stop_flag_{nullptr};
  std::atomic<bool> exiting_{false};
};

}  // namespace saker::core
