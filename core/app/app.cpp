// Application start-up and the main event-processing action.
#include "app.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "rules/collect/collector.h"
#include "log.h"
#include "saker_version.h"
#include "syscall_config.h"
#include "yaml_json.h"

namespace saker::app {

namespace fs = std::filesystem;
using core::LogLevel;

namespace {

constexpr const char* kDefaultConfig = "/etc/saker/saker.yaml";

// The outputs Falco users enable by config key, each backed by a plugin library.
constexpr const char* kOutputKeys[] = {"stdout_output", "file_output", "syslog_output",
                                       "program_output", "http_output"};

std::atomic<bool>* g_stop = nullptr;
void on_signal(int) {
  if (g_stop) g_stop->store(true);
}
// SIGUSR1, as in Falco: reopen the outputs (file_output after log rotation, a fresh
// program_output child).
std::atomic<core::OutputRouter*> g_outputs{nullptr};
void on_reopen(int) {
  if (auto* r = g_outputs.load()) r->request_reopen();
}

fs::path exe_dir() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path() : p.parent_path();
}

std::string to_json_text(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "";
  if (n.IsScalar()) return n.Scalar();
  return yaml_to_json(n).dump();
}

}  // namespace

std::string host_name() {
  for (const char* var : {"SAKER_HOSTNAME", "FALCO_HOSTNAME"}) {
    if (const char* v = getenv(var); v && *v) return v;
  }
  char buf[256] = {0};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "unknown";
  return buf;
}

App::App(CliOptions opts) : opts_(std::move(opts)) {}
App::~App() {
  g_stop = nullptr;
  g_outputs = nullptr;
}

void App::load_config() {
  std::string path = opts_.config_file;
  if (path.empty() && fs::exists(kDefaultConfig)) path = kDefaultConfig;
  if (path.empty()) {
    config_ = core::Config::from_string(std::string(default_config_yaml()), "<defaults>",
                                        opts_.overrides);
  } else {
    config_ = core::Config::load(path, opts_.overrides);
  }
  if (opts_.unbuffered) config_.apply_override("buffered_outputs=false");
  core::LogSettings ls;
  ls.level = core::parse_log_level(config_.get<std::string>("log_level", "info"));
  ls.to_stderr = config_.get<bool>("log_stderr", true);
  ls.to_syslog = config_.get<bool>("log_syslog", false);
  ls.time_format_iso_8601 = config_.get<bool>("time_format_iso_8601", false);
  core::log_configure(ls);
  if (path.empty()) {
    core::log(LogLevel::kNotice, "config",
              "no configuration file found; using the defaults (syscall source, engine.kind=" +
                  config_.get<std::string>("engine.kind", "") + ")");
  }
  for (const auto& w : config_.warnings()) {
    // A missing config.d folder is the normal case, not worth a warning.
    bool missing = w.find("does not exist") != std::string::npos;
    core::log(missing ? LogLevel::kDebug : LogLevel::kWarning, "config", w);
  }
}

fs::path App::plugins_dir() const {
  std::string configured = config_.get<std::string>("plugins_dir", "");
  if (!configured.empty()) return configured;
  const fs::path here = exe_dir();
  for (const auto& cand : {here / ".." / "plugins", here / ".." / "lib" / "saker" / "plugins"}) {
    if (fs::is_directory(cand)) return fs::weakly_canonical(cand);
  }
  return "/usr/share/saker/plugins";
}

std::vector<core::PluginSpec> App::plugin_specs() const {
  std::vector<core::PluginSpec> all;
  YAML::Node plugins = config_.node("plugins");
  for (size_t i = 0; plugins.IsSequence() && i < plugins.size(); ++i) {
    const std::string p = "plugins[" + std::to_string(i) + "]";
    core::PluginSpec s;
    s.name = config_.get<std::string>(p + ".name", "");
    s.library_path = config_.get<std::string>(p + ".library_path", "");
    s.init_config = to_json_text(config_.node(p + ".init_config"));
    s.open_params = to_json_text(config_.node(p + ".open_params"));
    all.push_back(std::move(s));
  }
  // Falco's `engine` section selects the syscall source: it is loaded whenever set, even
  // without a `plugins` entry or outside `load_plugins`.
  const bool engine_set = config_.has("engine.kind");
  auto is_syscall = [](const core::PluginSpec& s) { return s.name == kSyscallPluginName; };
  if (engine_set && std::none_of(all.begin(), all.end(), is_syscall)) {
    all.push_back({kSyscallPluginName, kSyscallLibrary, "", ""});
  }
  std::vector<core::PluginSpec> chosen;
  if (!config_.has("load_plugins")) {
    chosen = std::move(all);
  } else {
    for (const auto& name : config_.get<std::vector<std::string>>("load_plugins", {})) {
      auto it = std::find_if(all.begin(), all.end(),
                             [&](const core::PluginSpec& s) { return s.name == name; });
      if (it == all.end()) {
        throw core::PluginError("load_plugins names '" + name + "', which is not in 'plugins'");
      }
      chosen.push_back(*it);
    }
    auto sys = std::find_if(all.begin(), all.end(), is_syscall);
    if (engine_set && sys != all.end() && std::none_of(chosen.begin(), chosen.end(), is_syscall)) {
      chosen.push_back(*sys);
    }
  }
  configure_syscall(&chosen);
  return chosen;
}

// Map Falco's top-level syscall keys (engine, base_syscalls, syscall_event_drops, capture; -e
// sets engine) onto the syscall plugin's init_config where it has none of its own; drop the
// plugin when the engine is `nodriver` (Falco's "no syscall source").
void App::configure_syscall(std::vector<core::PluginSpec>* specs) const {
  auto sys = std::find_if(specs->begin(), specs->end(),
                          [](const core::PluginSpec& s) { return s.name == kSyscallPluginName; });
  if (sys == specs->end()) return;
  SyscallMapping m = map_falco_syscall_keys(config_, sys->init_config);
  for (const auto& key : m.ignored) {
    core::log(LogLevel::kNotice, "config",
              "top-level '" + key + "' ignored: the syscall plugin's init_config sets its own");
  }
  if (engine_kind(m.init_config) == "nodriver") {
    core::log(LogLevel::kInfo, "config",
              "engine.kind is nodriver: the syscall source is not loaded");
    specs->erase(sys);
    return;
  }
  sys->init_config = m.init_config.dump();
  core::log(LogLevel::kDebug, "config", "syscall plugin init_config: " + sys->init_config);
}

void App::create_engine() {
  core::EngineOptions o;
  o.plugins_dir = plugins_dir();
  o.hostname = host_name();
  uint64_t cap = config_.get<uint64_t>("outputs_queue.capacity", 0);
  o.outputs_queue_capacity = cap ? cap : 100000;
  o.outputs_drain_timeout =
      std::chrono::milliseconds(config_.get<uint64_t>("outputs_queue.drain_timeout_ms", 10000));
  if (config_.has("dedup")) o.dedup = core::dedup_settings_from_json(yaml_to_json(config_.node("dedup")));
  o.version_info["saker_version"] = SAKER_VERSION;
  o.version_info["engine_version_semver"] = rules::CollectorOptions{}.engine_version.to_string();
  o.alert_format.time_format_iso_8601 = config_.get<bool>("time_format_iso_8601", false);
  o.alert_format.json_include_output_property =
      config_.get<bool>("json_include_output_property", true);
  o.alert_format.json_include_output_fields_property =
      config_.get<bool>("json_include_output_fields_property", true);
  o.alert_format.json_include_tags_property = config_.get<bool>("json_include_tags_property", true);
  o.alert_format.json_include_message_property =
      config_.get<bool>("json_include_message_property", false);
  engine_ = std::make_unique<core::Engine>(o);
}

void App::load_plugins() {
  engine_->plugins().load_all(plugin_specs());
  for (const auto& f : engine_->plugins().failures()) {
    engine_->metrics().inc(engine_->metrics().add(
        "plugins_load_failures", core::MetricKind::kCounter, "Plugins refused at load or init"));
    (void)f;
  }
  engine_->register_fields();
}

void App::open_outputs() {
  const bool json = config_.get<bool>("json_output", false);
  const bool buffered = config_.get<bool>("buffered_outputs", false);
  for (const char* key : kOutputKeys) {
    const std::string k(key);
    if (!config_.get<bool>(k + ".enabled", k == "stdout_output")) continue;
    nlohmann::json params = yaml_to_json(config_.node(k));
    if (!params.is_object()) params = nlohmann::json::object();
    // An output's own json_output / buffered win over the top-level keys.
    if (!params.contains("json_output")) params["json_output"] = json;
    if (!params.contains("buffered")) params["buffered"] = buffered;
    try {
      core::PluginInstance* inst = engine_->plugins().find(k);
      if (!inst) inst = &engine_->plugins().load({k, "lib" + k + ".so", "", ""});
      engine_->open_output(*inst, params.dump());
    } catch (const std::exception& e) {
      core::log(LogLevel::kError, "outputs",
                std::string(key) + " is enabled but unusable: " + e.what());
    }
  }
  for (const auto& inst : engine_->plugins().instances()) {
    bool builtin = false;
    for (const char* key : kOutputKeys) builtin = builtin || inst->name() == key;
    if (!inst->output_api() || builtin) continue;
    const core::PluginSpec* s = engine_->plugins().spec(inst->name());
    engine_->open_output(*inst, s ? s->open_params : "");
  }
}

void App::start_webserver() {
  // Off unless configured (Falco's default is on): a saker started by a test or a script
  // should not take port 8765 by surprise.
  if (!config_.get<bool>("webserver.enabled", false)) return;
  nlohmann::json cfg = yaml_to_json(config_.node("webserver"));
  if (!cfg.is_object()) cfg = nlohmann::json::object();
  try {
    engine_->plugins().load({"web", "libweb.so", cfg.dump(), ""});
  } catch (const std::exception& e) {
    core::log(LogLevel::kError, "webserver", std::string("not started: ") + e.what());
  }
}

std::vector<std::string> App::select_sources() const {
  std::vector<std::string> avail = engine_->available_sources();
  std::set<std::string> have(avail.begin(), avail.end());
  for (const auto& s : opts_.enable_sources) {
    if (!have.count(s)) throw core::PluginError("cannot enable unknown event source '" + s + "'");
  }
  for (const auto& s : opts_.disable_sources) {
    if (have.count(s)) continue;
    // Falco users' command lines and Helm values pass --disable-source syscall on nodes
    // without a driver (cloud logs only); without the syscall plugin it is already off.
    if (s == kSyscallPluginName) {
      core::log(LogLevel::kInfo, "engine",
                "--disable-source syscall: the syscall source is not loaded anyway");
      continue;
    }
    throw core::PluginError("cannot disable unknown event source '" + s + "'");
  }
  // Replaying a capture (engine.kind=replay, e.g. -e) processes the syscall source only,
  // unless sources were chosen explicitly.
  const bool replay = config_.get<std::string>("engine.kind", "") == "replay";
  const bool explicit_choice = !opts_.enable_sources.empty() || !opts_.disable_sources.empty();
  std::vector<std::string> out;
  for (const auto& s : avail) {
    if (replay && !explicit_choice && s != kSyscallPluginName) continue;
    bool on = opts_.enable_sources.empty() ||
              std::count(opts_.enable_sources.begin(), opts_.enable_sources.end(), s);
    if (std::count(opts_.disable_sources.begin(), opts_.disable_sources.end(), s)) on = false;
    if (on) out.push_back(s);
  }
  if (out.empty() && !avail.empty()) throw core::PluginError("every event source is disabled");
  return out;
}

int App::process_events(const std::vector<std::string>& sources) {
  g_stop = &stop_;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  g_outputs = &engine_->outputs();
  struct sigaction su {};
  su.sa_handler = on_reopen;
  sigaction(SIGUSR1, &su, nullptr);
  std::thread timer;
  if (opts_.stop_after_s > 0) {
    timer = std::thread([this] {
      auto end = std::chrono::steady_clock::now() + std::chrono::seconds(opts_.stop_after_s);
      while (!stop_ && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      stop_ = true;
    });
  }
  struct TimerGuard {  // joins the timer also when run() throws (a source failing to open)
    std::atomic<bool>& stop;
    std::thread& timer;
    ~TimerGuard() {
      stop = true;
      if (timer.joinable()) timer.join();
    }
  } guard{stop_, timer};
  engine_->run(sources, stop_);
  uint64_t events = 0;
  for (const auto& l : engine_->loops()) events += l->num_events();
  core::log(LogLevel::kInfo, "engine",
            "stopped: " + std::to_string(events) + " events, " +
                std::to_string(engine_->metrics().value_of("num_alerts")) + " alerts");
  for (const auto& l : engine_->loops()) {
    if (!l->error().empty()) return 1;
  }
  return 0;
}

bool App::load_rules() {
  rule_set_ =
      std::make_unique<rules::RuleSet>(rules::engine_host(*engine_), rule_set_options(config_));
  const bool listing = opts_.list_rules || !opts_.describe_rule.empty();
  for (const auto& r :
       load_rules_files(*rule_set_, rules_files_to_load(opts_, config_), false, opts_.verbose)) {
    if (!r.successful) {
      core::log(LogLevel::kError, "rules", "could not load rules file " + r.name);
      return false;
    }
  }
  if (!listing) check_plugin_requirements();
  rule_engine_ = std::make_unique<rules::RuleEngine>(*rule_set_, rule_engine_options(config_));
  rule_engine_->activate();
  engine_->set_sink(rule_engine_.get());
  core::log(LogLevel::kInfo, "rules",
            std::to_string(rule_set_->compiled().rules.size()) + " rules loaded, " +
                std::to_string(rule_engine_->num_active()) + " enabled");
  return true;
}

void App::check_plugin_requirements() const {
  std::map<std::string, std::string> loaded;
  for (const auto& inst : engine_->plugins().instances()) {
    const auto& d = inst->descriptor();
    if (d.name && d.version) loaded[d.name] = d.version;
  }
  // Falco refuses to start here; saker warns, since several plugins Falco's rules name
  // (json) have no saker counterpart yet. Files whose rules are all of sources not loaded
  // are skipped whole (one info line says so): the plugins they name are not needed.
  std::set<std::string> shown;  // several files may require the same plugin
  for (const auto& e :
       rule_set_->loader().collector().check_plugin_requirements(loaded, /*skip_idle_files=*/true)) {
    if (shown.insert(e).second) core::log(LogLevel::kWarning, "rules", e);
  }
}

int App::explain_events(const std::vector<std::string>& sources) {
  const rules::CompiledRule* rule = rule_set_->find(opts_.explain_rule);
  if (rule == nullptr) {
    core::log(LogLevel::kError, "rules",
              "--explain: rule '" + opts_.explain_rule + "' is not loaded");
    return 1;
  }
  explain_sink_ =
      std::make_unique<ExplainSink>(*rule_set_, *rule, config_.get<bool>("json_output", false));
  engine_->set_sink(explain_sink_.get());
  std::vector<std::string> only;
  for (const auto& s : sources) {
    if (s == rule->info.source) only.push_back(s);
  }
  if (only.empty()) {
    core::log(LogLevel::kError, "rules",
              "--explain: source '" + rule->info.source + "' is not open");
    return 1;
  }
  return process_events(only);
}

int App::run() {
  if (opts_.help) {
    std::cout << help_text();
    return 0;
  }
  load_config();
  if (opts_.version) return print_version(config_);
  create_engine();
  load_plugins();
  if (!opts_.plugin_info.empty()) return plugin_info(*engine_, opts_.plugin_info, config_);
  if (opts_.list_plugins) return list_plugins(*engine_, config_);
  if (opts_.list_fields) return list_fields(*engine_, opts_, config_);
  if (!opts_.validate_files.empty()) {
    // A refused plugin would turn its source's rules into "unknown source" warnings and a
    // passing validation: fail instead, as Falco does when a plugin cannot be loaded.
    for (const auto& f : engine_->plugins().failures()) {
      std::cerr << "saker: cannot validate rules: " << f.message << "\n";
    }
    if (!engine_->plugins().failures().empty()) return 1;
    return validate_rules(*engine_, opts_, config_);
  }
  std::vector<std::string> sources = select_sources();
  if (!load_rules()) return 1;
  if (opts_.list_rules || !opts_.describe_rule.empty()) {
    return list_rules(*rule_set_, opts_, config_);
  }
  if (!opts_.explain_rule.empty()) return explain_events(sources);
  open_outputs();
  if (!opts_.pidfile.empty()) std::ofstream(opts_.pidfile) << getpid() << "\n";
  if (opts_.dry_run) {
    // A dry run checks the set-up: a plugin refused (its library or its init_config) fails
    // it, where a real run goes on with the others.
    const auto refused = engine_->plugins().failures().size();
    if (refused > 0) {
      core::log(LogLevel::kError, "engine",
                "dry run: " + std::to_string(refused) + " plugin(s) refused (see above)");
      return 1;
    }
    core::log(LogLevel::kInfo, "engine", "dry run: set-up complete, no event processed");
    return 0;
  }
  if (sources.empty()) {
    core::log(LogLevel::kError, "engine", "no event source is loaded: nothing to do");
    return 1;
  }
  start_webserver();
  return process_events(sources);
}

}  // namespace saker::app
