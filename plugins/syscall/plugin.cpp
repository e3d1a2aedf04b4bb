// The syscall plugin: source "syscall" (scap events; engines: capture replay now, live
// modern_ebpf later), parse (the process/fd/user state of state/) and extract (Falco's
// syscall fields of fields/). One instance owns one State; the host serialises calls.
//
// init_config (Falco's keys where Falco has them; saker maps Falco's top-level engine,
// base_syscalls, syscall_event_drops and capture blocks here):
//   {"engine": {"kind": "modern_ebpf" | "replay",
//               "modern_ebpf": {"buf_size_preset": 4, "cpus_for_each_buffer": 2,
//                               "drop_failed_exit": false, "snaplen": 80},
//               "replay": {"capture_file": "x.scap", "loop": 1}},
//    "base_syscalls": {"custom_set": ["!read", ...], "repair": false, "all": false},
//    "syscall_event_drops": {"threshold": 0.1, "actions": ["log"], "rate": 0.0333,
//                            "max_burst": 1},
//    "capture": {"enabled": false, "mode": "all_rules", "path_prefix": "/tmp/saker",
//                "default_duration": 5000, "max_file_size_mb": 0},
//    "limits": {"max_threads": N, "max_fds_per_process": N, "max_users": N,
//               "max_capture_table_entries": N},
//    "fields": {"any_match_lists": false}}
// open params: "" (use init_config's engine) or a capture file path to replay.
#include <saker/sdk/plugin.h>

#include <nlohmann/json.hpp>

#include "engine/generic_types.h"
#include "engine/live_engine.h"
#include "engine/replay_engine.h"
#include "engine/syscall_selection.h"
#include "event_table.h"
#include "fields/field_table.h"
#include "metrics.h"
#include "state/interrupt.h"
#include "state/state.h"
#include "syscall_names.h"

namespace saker::syscall {
namespace {

using sdk::Event;
using sdk::ExtractRequest;
using sdk::FieldInfo;

struct EngineConfig {
  std::string kind = "replay";
  std::string capture_file;
  std::uint64_t loop = 1;  // replay the capture this many times from memory (benchmarks)
  // Table entries a capture's list blocks may add (scap::ReaderOptions::max_table_entries).
  std::uint64_t max_table_entries = scap::kDefaultMaxTableEntries;
  LiveEngineConfig live;
  SyscallSelection selection;
};

// Falco's buf_size_preset: 1 = 1 MiB ... 10 = 512 MiB per buffer (0 is taken as 1).
std::uint64_t preset_bytes(std::int64_t preset) {
  if (preset < 1) preset = 1;
  if (preset > 10) throw sdk::PluginError("engine.modern_ebpf.buf_size_preset must be 0..10");
  return std::uint64_t{1} << (20 + preset - 1);
}

// Falco's capture block. Only mode all_rules is served, as "record every event": mode rules
// (capture around the alerts of rules marked `capture: true`) needs the rule engine to tell
// the plugin which rule matched, which the core does not do yet.
LiveCaptureConfig parse_capture(const nlohmann::json& c) {
  LiveCaptureConfig out;
  out.enabled = c.value("enabled", false);
  if (!out.enabled) return out;
  const std::string mode = c.value("mode", "rules");
  if (mode == "rules") {
    throw sdk::PluginError(
        "capture.mode 'rules' (capture around the alerts of rules with capture: true) is not "
        "available: the core does not pass per-rule capture flags to plugins yet; set "
        "capture.mode: all_rules to record every event");
  }
  if (mode != "all_rules") {
    throw sdk::PluginError("capture.mode: unknown mode '" + mode + "' (expected all_rules)");
  }
  out.path_prefix = c.value("path_prefix", out.path_prefix);
  if (out.path_prefix.empty()) throw sdk::PluginError("capture.path_prefix is empty");
  out.duration = std::chrono::milliseconds(c.value("default_duration", std::uint64_t{5000}));
  out.max_file_bytes = c.value("max_file_size_mb", std::uint64_t{0}) << 20;
  return out;
}

void parse_live(const nlohmann::json& cfg, EngineConfig& e) {
  if (cfg.contains("capture")) e.live.capture = parse_capture(cfg.at("capture"));
  if (cfg.contains("engine") && cfg.at("engine").contains("modern_ebpf")) {
    const auto& m = cfg.at("engine").at("modern_ebpf");
    e.live.driver.buffer_bytes = preset_bytes(m.value("buf_size_preset", std::int64_t{4}));
    e.live.driver.cpus_per_buffer = m.value("cpus_for_each_buffer", std::uint32_t{2});
    e.live.driver.drop_failed = m.value("drop_failed_exit", false);
    e.live.driver.raw_open_path = m.value("raw_open_path", true);
    e.live.driver.snaplen = m.value("snaplen", std::uint32_t{80});
  } else {
    e.live.driver.cpus_per_buffer = 2;
  }
  if (cfg.contains("base_syscalls")) {
    const auto& b = cfg.at("base_syscalls");
    e.selection.custom_set = b.value("custom_set", std::vector<std::string>{});
    e.selection.repair = b.value("repair", false);
    e.selection.all = b.value("all", false);
  }
  if (cfg.contains("syscall_event_drops")) {
    const auto& d = cfg.at("syscall_event_drops");
    DropPolicy& p = e.live.drops;
    p.threshold = d.value("threshold", p.threshold);
    p.rate = d.value("rate", p.rate);
    p.max_burst = d.value("max_burst", p.max_burst);
    if (d.contains("actions")) {
      p.log = p.alert = p.exit = false;
      for (const auto& a : d.at("actions").get<std::vector<std::string>>()) {
        if (a == "log") p.log = true;
        else if (a == "alert") p.alert = true;
        else if (a == "exit") p.exit = true;
        else if (a != "ignore") {
          throw sdk::PluginError("syscall_event_drops.actions: unknown action '" + a +
                                 "' (expected ignore, log, alert or exit)");
        }
      }
    }
  }
}

EngineConfig parse_engine(const nlohmann::json& cfg) {
  EngineConfig e;
  if (cfg.contains("engine")) {
    const auto& eng = cfg.at("engine");
    e.kind = eng.value("kind", "replay");
    if (eng.contains("replay")) {
      e.capture_file = eng.at("replay").value("capture_file", "");
      e.loop = eng.at("replay").value("loop", std::uint64_t{1});
    }
  }
  if (cfg.contains("limits")) {
    e.max_table_entries = cfg.at("limits").value("max_capture_table_entries", e.max_table_entries);
  }
  parse_live(cfg, e);
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
      "Linux system calls: live eBPF driver and scap capture replay, process/fd/user state, Falco's syscall fields";
  static constexpr const char* kContact = "https://github.com/saker-dev/saker";
  // What fields hand over by reference (set_ref: thread and descriptor tables, static
  // names) only changes when the next event is parsed: extraction reads the state.
  static constexpr bool kValuesLiveForEvent = true;
  static constexpr const char* kInitSchema =
      R"({"type":"object","properties":{"engine":{"type":"object","properties":{)"
      R"("kind":{"type":"string","enum":["replay","modern_ebpf"]},)"
      R"("replay":{"type":"object","properties":{"capture_file":{"type":"string"},)"
      R"("loop":{"type":"integer","minimum":1}}},)"
      R"("modern_ebpf":{"type":"object","properties":{)"
      R"("buf_size_preset":{"type":"integer","minimum":0,"maximum":10},)"
      R"("cpus_for_each_buffer":{"type":"integer","minimum":0},)"
      R"("drop_failed_exit":{"type":"boolean"},"raw_open_path":{"type":"boolean"},"snaplen":{"type":"integer","minimum":0}}}}},)"
      R"("base_syscalls":{"type":"object","properties":{)"
      R"("custom_set":{"type":"array","items":{"type":"string"}},)"
      R"("repair":{"type":"boolean"},"all":{"type":"boolean"}}},)"
      R"("syscall_event_drops":{"type":"object","properties":{)"
      R"("threshold":{"type":"number"},"rate":{"type":"number"},"max_burst":{"type":"number"},)"
      R"("actions":{"type":"array","items":{"enum":["ignore","log","alert","exit"]}}}},)"
      R"("capture":{"type":"object","properties":{"enabled":{"type":"boolean"},)"
      R"("mode":{"type":"string","enum":["all_rules","rules"]},"path_prefix":{"type":"string"},)"
      R"("default_duration":{"type":"integer","minimum":0},)"
      R"("max_file_size_mb":{"type":"integer","minimum":0}}},)"
      R"("limits":{"type":"object","properties":{)"
      R"("max_capture_table_entries":{"type":"integer","minimum":0}}},)"
      R"("fields":{"type":"object","properties":{"any_match_lists":{"type":"boolean"}}}}})";

  explicit SyscallPlugin(const sdk::InitContext& ctx)
      : cfg_(parse_json(ctx.config)),
        engine_(parse_engine(cfg_)),
        host_(ctx.host),
        state_(std::make_unique<State>(parse_limits(cfg_))),
        metrics_(ctx.host),
        table_(fields::all_fields(any_match_lists(cfg_))) {
    check_engine(engine_.kind);
    for (const auto& f : table_) hot_.push_back({f.fn, f.key, f.info.is_list});
    list_limit_metric_ = host_.register_counter(
        "capture_list_blocks_over_limit",
        "Capture list blocks cut or skipped at limits.max_capture_table_entries");
  }
  ~SyscallPlugin() {
    metrics_.publish(*state_);
    // At the process's exit (ABI 1.5) the thread and descriptor tables are left to the
    // exit: freeing them object by object was 5 % of a short replay's CPU. The state holds
    // memory only (the engine, and a live capture's file, were closed with the source).
    if (host_.process_exiting()) sdk::keep_until_exit(std::move(state_));
  }

  // --- source
  std::string event_source() { return "syscall"; }
  // The scap event types, then one type per syscall code for generic events
  // (engine/generic_types.h), named after the syscall.
  std::vector<std::string> event_types() {
    std::vector<std::string> names;
    for (const auto& e : scap::event_table()) names.emplace_back(e.name ? e.name : "NA");
    for (std::uint32_t c = 0; c < scap::syscall_code_count(); ++c) {
      names.emplace_back(scap::syscall_code_name(c));
    }
    return names;
  }
  std::string open_params() {
    return R"([{"value":"","desc":"replay the capture_file of init_config"},)"
           R"({"value":"/path/to/file.scap","desc":"replay this capture"}])";
  }
  // Seeding (from /proc or the capture's lists) polls the host's stop_requested (ABI 1.3):
  // SIGTERM while loading a huge process table ends open with an "interrupted" error.
  std::unique_ptr<SyscallEngine> open(const std::string& params) {
    InterruptScope interruptible([host = host_] { return host.stop_requested(); });
    if (params.empty() && engine_.kind == "modern_ebpf") {
      auto eng = open_live();
      if (host_.stop_requested()) {
        throw sdk::PluginError("modern_ebpf: interrupted while scanning /proc (stop requested)");
      }
      return eng;
    }
    std::string file = params.empty() ? engine_.capture_file : params;
    if (file.empty()) throw sdk::PluginError("replay engine: no capture_file configured");
    if (engine_.live.capture.enabled) {
      host_.log(sdk::LogLevel::kWarning, "capture: ignored while replaying a capture file");
    }
    auto warn = [host = host_](const std::string& m) { host.log(sdk::LogLevel::kWarning, m); };
    // The reader polls the host's stop_requested also after open (list blocks or a stalled
    // pipe met between events).
    // The state takes the capture's threads and descriptors as the reader parses them.
    auto eng = std::make_unique<ReplayEngine>(
        file, engine_.loop, warn, [host = host_] { return host.stop_requested(); },
        engine_.max_table_entries, &state_->seeder());
    state_->seed_tables(eng->capture());
    if (host_.stop_requested()) {
      throw sdk::PluginError(file + ": interrupted while loading the capture (stop requested)");
    }
    eng->on_list_event([this](std::span<const std::uint8_t> ev) { state_->apply_list_event(ev); });
    const std::uint64_t over_limit = eng->capture().list_blocks_over_limit();
    host_.metric_add(list_limit_metric_, over_limit);
    eng->on_end([this, file, e = eng.get(), over_limit] {
      host_.metric_add(list_limit_metric_, e->capture().list_blocks_over_limit() - over_limit);
      report_bad_events(file);
    });
    return eng;
  }

  // The event types the loaded rules can match (host, before open): the live driver sends
  // those syscalls plus what the state needs; nullopt (a rule matching every type) sends all.
  void set_interesting_types(const std::optional<std::vector<std::uint16_t>>& types) {
    engine_.selection.rules_known = true;
    engine_.selection.rule_syscalls.clear();
    if (!types) {
      engine_.selection.all = true;
      return;
    }
    for (auto code : *types) {
      const char* name = code >= kGenericTypeBase
                             ? scap::syscall_code_name(code - kGenericTypeBase).data()
                             : scap::event_info(code).name;
      if (!name) continue;
      for (auto& sc : syscalls_of_event(name)) engine_.selection.rule_syscalls.push_back(sc);
    }
  }

  // --- parse
  std::vector<std::string> parse_sources() { return {"syscall"}; }
  // false: the event is malformed (its parameters do not fit it; counted in bad_events):
  // the host keeps it from the rules.
  bool parse(const Event& evt) {
    // Events other plugins injected into the stream (container metadata...) reach a live
    // capture from here: the driver's own are recorded by the engine as it reads them.
    if (inlet_->attached() && recorded_from_stream(evt.type())) {
      inlet_->write({evt.data(), static_cast<std::size_t>(evt.size())});
    }
    const bool ok = state_->parse({evt.data(), static_cast<std::size_t>(evt.size())});
    if (++parsed_ % 64 == 0) metrics_.publish(*state_);
    return ok;
  }

  // --- extract
  std::vector<std::string> extract_sources() { return {"syscall"}; }
  std::vector<FieldInfo> fields() {
    std::vector<FieldInfo> out;
    for (const auto& f : table_) out.push_back(f.info);
    return out;
  }
  void extract(const Event& evt, ExtractRequest& req) {
    const EventContext* ec = state_->context_for({evt.data(), static_cast<std::size_t>(evt.size())});
    if (!ec) return;
    const HotField& f = hot_[req.field_id()];
    const bool fixed = !f.key.empty();
    f.fn(fields::FieldCtx{*state_, *ec, req, fixed ? f.key : req.arg_key(), fixed || req.has_arg(),
                          f.is_list});
  }

 private:
  static void check_engine(const std::string& kind) {
    if (kind == "replay" || kind == "modern_ebpf") return;
    throw sdk::PluginError("unknown engine kind '" + kind + "' (expected modern_ebpf or replay)");
  }

  // At the end of a replay: the events the state refused as malformed (counted in the
  // bad_events metric too), skipped one by one while the others were processed.
  void report_bad_events(const std::string& file) {
    metrics_.publish(*state_);
    if (const auto n = state_->counters().bad_events) {
      host_.log(sdk::LogLevel::kWarning,
                file + ": " + std::to_string(n) + " malformed events skipped (metric bad_events)");
    }
  }

  std::unique_ptr<SyscallEngine> open_live() {
    std::vector<std::string> unknown;
    LiveEngineConfig live = engine_.live;
    live.capture.inlet = inlet_;
    live.syscalls = select_syscalls(engine_.selection, &unknown);
    for (const auto& u : unknown) {
      host_.log(sdk::LogLevel::kWarning, "base_syscalls.custom_set: '" + u + "' is no syscall");
    }
    try {
      return std::make_unique<LiveEngine>(live, *state_, host_);
    } catch (const DriverError& e) {
      throw sdk::PluginError(std::string("modern_ebpf: ") + e.what());
    } catch (const scap::CaptureError& e) {
      throw sdk::PluginError(std::string("capture: ") + e.what());
    }
  }

  nlohmann::json cfg_;
  EngineConfig engine_;
  sdk::Host host_;
  std::unique_ptr<State> state_;  // never null; on the heap to be left to the exit
  StateMetrics metrics_;
  std::uint32_t list_limit_metric_ = 0;
  std::vector<fields::FieldEntry> table_;
  // What extract() reads of table_, 32 bytes per field side by side: table_'s entries are
  // a few hundred bytes each (name, description...), and an event's ten-odd extractions
  // missed the cache on each of them. key views table_'s strings, which never move.
  struct HotField {
    fields::ExtractFn fn;
    std::string_view key;
    bool is_list;
  };
  std::vector<HotField> hot_;
  std::uint64_t parsed_ = 0;
  std::shared_ptr<CaptureInlet> inlet_ = std::make_shared<CaptureInlet>();
};

}  // namespace
}  // namespace saker::syscall

SAKER_PLUGIN(saker::syscall::SyscallPlugin)
