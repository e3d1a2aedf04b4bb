// The syscall plugin: source "syscall" (scap events; engines: capture replay now, live
// modern_ebpf later), parse (the process/fd/user state of state/) and extract (Falco's
// syscall fields of fields/). One instance owns one State; the host serialises calls.
//
// init_config: {"engine": {"kind": "replay", "replay": {"capture_file": "x.scap", "loop": 1}},
//               "limits": {"max_threads": N, "max_fds_per_process": N, "max_users": N},
//               "fields": {"any_match_lists": false}}
// open params: "" (use init_config's engine) or a capture file path to replay.
#include <saker/sdk/plugin.h>

#include <nlohmann/json.hpp>

#include "engine/replay_engine.h"
#include "event_table.h"
#include "fields/field_table.h"
#include "metrics.h"
#include "state/state.h"

namespace saker::syscall {
namespace {

using sdk::Event;
using sdk::ExtractRequest;
using sdk::FieldInfo;

struct EngineConfig {
  std::string kind = "replay";
  std::string capture_file;
  std::uint64_t loop = 1;  // replay the capture this many times from memory (benchmarks)
};

EngineConfig parse_engine(const nlohmann::json& cfg) {
  EngineConfig e;
  if (!cfg.contains("engine")) return e;
  const auto& eng = cfg.at("engine");
  e.kind = eng.value("kind", "replay");
  if (eng.contains("replay")) {
    e.capture_file = eng.at("replay").value("capture_file", "");
    e.loop = eng.at("replay").value("loop", std::uint64_t{1});
  }
  return e;
}

StateLimits parse_limits(const nlohmann::json& cfg) {
  StateLimits l;
  if (!cfg.contains("limits")) return l;
  const auto& j = cfg.at("limits");
  l.max_threads = j.value("max_threads", l.max_threads);
  l.max_fds_per_process = j.value("max_fds_per_process", l.max_fds_per_process);
  l.max_users = j.value("max_users", l.max_users);
  return l;
}

// {"fields": {"any_match_lists": true}}: declare fd.ip/port/net and proc.aname/apid as
// lists (Falco's any-match semantics; needs a rule compiler that accepts = on lists).
bool any_match_lists(const nlohmann::json& cfg) {
  if (!cfg.contains("fields")) return false;
  return cfg.at("fields").value("any_match_lists", false);
}

nlohmann::json parse_json(const std::string& text) {
  if (text.empty()) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    throw sdk::PluginError(std::string("init_config is not valid JSON: ") + e.what());
  }
}

class SyscallPlugin {
 public:
  static constexpr const char* kName = "syscall";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Linux system calls: scap capture replay, process/fd/user state, Falco's syscall fields";
  static constexpr const char* kContact = "https://github.com/saker-dev/saker";
  static constexpr const char* kInitSchema =
      R"({"type":"object","properties":{"engine":{"type":"object","properties":{)"
      R"("kind":{"type":"string","enum":["replay","modern_ebpf"]},)"
      R"("replay":{"type":"object","properties":{"capture_file":{"type":"string"},)"
      R"("loop":{"type":"integer","minimum":1}}}}},)"
      R"("limits":{"type":"object"},)"
      R"("fields":{"type":"object","properties":{"any_match_lists":{"type":"boolean"}}}}})";

  explicit SyscallPlugin(const sdk::InitContext& ctx)
      : cfg_(parse_json(ctx.config)),
        engine_(parse_engine(cfg_)),
        state_(parse_limits(cfg_)),
        metrics_(ctx.host),
        table_(fields::all_fields(any_match_lists(cfg_))) {
    check_engine(engine_.kind);
  }
  ~SyscallPlugin() { metrics_.publish(state_); }

  // --- source
  std::string event_source() { return "syscall"; }
  std::vector<std::string> event_types() {
    std::vector<std::string> names;
    for (const auto& e : scap::event_table()) names.emplace_back(e.name ? e.name : "NA");
    return names;
  }
  std::string open_params() {
    return R"([{"value":"","desc":"replay the capture_file of init_config"},)"
           R"({"value":"/path/to/file.scap","desc":"replay this capture"}])";
  }
  std::unique_ptr<ReplayEngine> open(const std::string& params) {
    check_engine(engine_.kind);
    std::string file = params.empty() ? engine_.capture_file : params;
    if (file.empty()) throw sdk::PluginError("replay engine: no capture_file configured");
    auto eng = std::make_unique<ReplayEngine>(file, engine_.loop);
    state_.seed(eng->capture());
    return eng;
  }

  // --- parse
  std::vector<std::string> parse_sources() { return {"syscall"}; }
  void parse(const Event& evt) {
    state_.parse({evt.data(), static_cast<std::size_t>(evt.size())});
    if (++parsed_ % 64 == 0) metrics_.publish(state_);
  }

  // --- extract
  std::vector<std::string> extract_sources() { return {"syscall"}; }
  std::vector<FieldInfo> fields() {
    std::vector<FieldInfo> out;
    for (const auto& f : table_) out.push_back(f.info);
    return out;
  }
  void extract(const Event& evt, ExtractRequest& req) {
    const EventContext* ec = state_.context_for({evt.data(), static_cast<std::size_t>(evt.size())});
    if (!ec) return;
    const fields::FieldEntry& f = table_[req.field_id()];
    std::string_view key = f.key.empty() ? req.arg_key() : std::string_view(f.key);
    f.fn(fields::FieldCtx{state_, *ec, req, key, req.has_arg() || !f.key.empty(), f.info.is_list});
  }

 private:
  static void check_engine(const std::string& kind) {
    if (kind == "replay") return;
    if (kind == "modern_ebpf") {
      throw sdk::PluginError("engine kind 'modern_ebpf' is not available in this build");
    }
    throw sdk::PluginError("unknown engine kind '" + kind + "' (expected replay or modern_ebpf)");
  }

  nlohmann::json cfg_;
  EngineConfig engine_;
  State state_;
  StateMetrics metrics_;
  std::vector<fields::FieldEntry> table_;
  std::uint64_t parsed_ = 0;
};

}  // namespace
}  // namespace saker::syscall

SAKER_PLUGIN(saker::syscall::SyscallPlugin)
