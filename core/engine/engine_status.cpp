// Engine::status_json: the state a health/metrics plugin reports (host API status_json).
#include <nlohmann/json.hpp>

#include "engine.h"

namespace saker::core {

std::string Engine::status_json() {
  nlohmann::json j;
  for (const auto& [k, v] : opts_.version_info) j[k] = v;
  j["plugin_api_version"] =
      std::to_string(SAKER_PLUGIN_API_MAJOR) + "." + std::to_string(SAKER_PLUGIN_API_MINOR) + ".0";
  j["hostname"] = opts_.hostname;
  nlohmann::json plugins = nlohmann::json::array();
  for (const auto& inst : plugins_->instances()) {
    const auto& d = inst->descriptor();
    plugins.push_back({{"name", inst->name()},
                       {"library", d.name ? d.name : ""},
                       {"version", d.version ? d.version : ""}});
  }
  j["plugins"] = std::move(plugins);
  nlohmann::json sources = nlohmann::json::array();
  {
    std::lock_guard lock(loops_mu_);
    for (const auto& l : loops_) {
      sources.push_back({{"name", l->source_name()},
                         {"state", l->state()},
                         {"events", l->num_events()},
                         {"ms_since_progress", l->ms_since_progress()},
                         {"error", l->error()}});
    }
  }
  j["sources"] = std::move(sources);
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto& o : router_.status()) {
    outputs.push_back({{"name", o.name},
                       {"queue_depth", o.queue_depth},
                       {"sent", o.sent},
                       {"errors", o.errors},
                       {"drops", o.drops},
                       {"busy_ms", o.busy_ms}});
  }
  j["outputs"] = std::move(outputs);
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : metrics_.describe()) {
    metrics.push_back({{"name", m.name},
                       {"kind", m.kind == MetricKind::kGauge ? "gauge" : "counter"},
                       {"help", m.help},
                       {"value", m.value}});
  }
  j["metrics"] = std::move(metrics);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace saker::core
