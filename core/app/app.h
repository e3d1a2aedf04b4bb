// The saker application: turns the command line and the configuration into a running
// engine, in Falco's start-up order (help → version → config → plugin info/list →
// plugins → fields → sources → rules → outputs → signals → events).
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "config/config.h"
#include "engine.h"
#include "rules_actions.h"

namespace saker::app {

class App {
 public:
  explicit App(CliOptions opts);
  ~App();
  // Run the requested action; returns the process exit code.
  int run();
  // Ask a running event loop to stop (safe from a signal handler's flag watcher).
  void request_stop() { stop_ = true; }
  // The process exits when this App is destroyed: its plugins may leave their memory to
  // the exit (Engine::prepare_exit). For main, after run().
  void prepare_exit() {
    if (engine_) engine_->prepare_exit();
  }

 private:
  void load_config();
  std::filesystem::path plugins_dir() const;
  std::vector<core::PluginSpec> plugin_specs() const;
  void configure_syscall(std::vector<core::PluginSpec>* specs) const;
  void create_engine();
  void load_plugins();
  void open_outputs();
  // Falco's `webserver` section: loads the web plugin (libweb.so) when enabled.
  void start_webserver();
  bool load_rules();
  void check_plugin_requirements() const;
  int explain_events(const std::vector<std::string>& sources);
  std::vector<std::string> select_sources() const;
  int process_events(const std::vector<std::string>& sources);

  CliOptions opts_;
  core::Config config_;
  std::unique_ptr<core::Engine> engine_;
  std::unique_ptr<rules::RuleSet> rule_set_;
  std::unique_ptr<rules::RuleEngine> rule_engine_;
  std::unique_ptr<ExplainSink> explain_sink_;
  std::atomic<bool> stop_{false};
};

// Listing actions (listing.cpp).
int print_version(const core::Config& config);
int list_fields(core::Engine& engine, const CliOptions& opts, const core::Config& config);
int list_plugins(core::Engine& engine, const core::Config& config);
int plugin_info(core::Engine& engine, const std::string& name, const core::Config& config);

// The hostname alerts carry: FALCO_HOSTNAME / SAKER_HOSTNAME, else gethostname().
std::string host_name();

}  // namespace saker::app
