// Health, readiness, versions.
#include "health.h"

namespace saker::web {

using nlohmann::json;

namespace {

// Why a source is not live ("" when it is).
std::string source_problem(const json& src, const HealthSettings& s) {
  const std::string state = src.value("state", "");
  if (state == "failed")
    return "source " + src.value("name", "") + " failed: " + src.value("error", "");
  if (state != "running") return "";
  const uint64_t idle = src.value("ms_since_progress", uint64_t{0});
  if (idle >= s.source_stall_timeout_ms) {
    return "source " + src.value("name", "") + " loop stuck for " + std::to_string(idle) + " ms";
  }
  return "";
}

std::string output_problem(const json& out, const HealthSettings& s) {
  const uint64_t busy = out.value("busy_ms", uint64_t{0});
  if (busy >= s.output_stall_timeout_ms) {
    return "output " + out.value("name", "") + " not draining: one delivery has taken " +
           std::to_string(busy) + " ms, " + std::to_string(out.value("queue_depth", 0)) +
           " alert(s) queued";
  }
  return "";
}

}  // namespace

Answer healthz(const json& state, const HealthSettings& s) {
  json body;
  json reasons = json::array();
  json sources = json::object();
  for (const auto& src : state.value("sources", json::array())) {
    std::string why = source_problem(src, s);
    sources[src.value("name", "")] = {{"state", src.value("state", "")},
                                      {"ms_since_progress", src.value("ms_since_progress", 0)},
                                      {"healthy", why.empty()}};
    if (!why.empty()) reasons.push_back(why);
  }
  json outputs = json::object();
  for (const auto& out : state.value("outputs", json::array())) {
    std::string why = output_problem(out, s);
    outputs[out.value("name", "")] = {{"queue_depth", out.value("queue_depth", 0)},
                                      {"busy_ms", out.value("busy_ms", 0)},
                                      {"drops", out.value("drops", 0)},
                                      {"healthy", why.empty()}};
    if (!why.empty()) reasons.push_back(why);
  }
  const bool ok = reasons.empty();
  body["status"] = ok ? "ok" : "unhealthy";
  body["sources"] = std::move(sources);
  body["outputs"] = std::move(outputs);
  if (!ok) body["reasons"] = std::move(reasons);
  return {ok ? 200 : 503, body.dump()};
}

Answer readyz(const json& state, const HealthSettings& s, const std::string& only) {
  json sources = json::object();
  bool ready = true, found = false;
  for (const auto& src : state.value("sources", json::array())) {
    const std::string name = src.value("name", "");
    if (!only.empty() && name != only) continue;
    found = true;
    const bool r = src.value("state", "") == "running" && source_problem(src, s).empty();
    sources[name] = {{"ready", r}, {"state", src.value("state", "")}};
    ready = ready && r;
  }
  if (!only.empty() && !found) {
    return {404, json{{"error", "unknown or unopened source '" + only + "'"}}.dump()};
  }
  ready = ready && found;  // nothing open yet: not ready
  return {ready ? 200 : 503, json{{"ready", ready}, {"sources", sources}}.dump()};
}

Answer versions(const json& state) {
  json v;
  for (const char* k : {"saker_version", "engine_version_semver", "plugin_api_version"}) {
    if (state.contains(k)) v[k] = state[k];
  }
  json plugins = json::object();
  for (const auto& p : state.value("plugins", json::array())) {
    plugins[p.value("library", "")] = p.value("version", "");
  }
  v["plugin_versions"] = std::move(plugins);
  return {200, v.dump()};
}

}  // namespace saker::web
