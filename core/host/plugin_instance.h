// One initialised plugin instance: the C++ face of a saker_plugin* and its
// capabilities. Every call into the plugin goes through here, so this is where the
// ABI's rules are enforced: tail fields of older plugins read as absent, calls are
// serialised when the instance serves several source threads, failures carry the
// plugin's last_error.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "../fields/field_provider.h"
#include "host_services.h"
#include "plugin_library.h"

namespace saker::core {

class PluginInstance : public FieldProvider {
 public:
  PluginInstance(std::shared_ptr<PluginLibrary> lib, std::string name, HostServices* services);
  ~PluginInstance() override;
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  // Create the plugin's instance with its init_config (JSON text). Throws PluginError.
  void init(const std::string& config_json);

  const std::string& name() const { return name_; }
  const PluginLibrary& library() const { return *lib_; }
  const saker_plugin_descriptor& descriptor() const { return lib_->descriptor(); }
  std::string last_error() const;
  // Serialise calls from now on (the instance serves more than one thread): extraction no
  // longer bypasses extract() (FieldProvider::direct), and values are copied (another
  // thread's event may replace them). Called before any source thread runs.
  void set_shared() {
    shared_ = true;
    direct_ = {};
    stable_per_event_ = false;
  }
  // The plugin declared SAKER_EXTRACT_EVENT_LIFETIME (whether or not the instance is shared).
  bool event_lifetime() const { return event_lifetime_; }

  // Capabilities (nullptr when absent).
  const saker_source_api* source_api() const { return source_; }
  const saker_extract_api* extract_api() const { return extract_; }
  const saker_parse_api* parse_api() const { return parse_; }
  const saker_output_api* output_api() const { return output_; }

  // Source capability.
  std::string source_name() const;
  std::vector<std::string> event_types() const;
  std::string open_params_json() const;
  saker_source* open_source(const std::string& params);  // throws PluginError
  // Tells the source which event types the rules can match (nullopt: every type) before
  // it is opened. No-op for plugins without the 1.1 callback. Returns false when the plugin
  // reported a failure (the source then produces every type).
  bool set_interesting_types(const std::optional<std::vector<uint16_t>>& types);
  void close_source(saker_source* s);
  int32_t next_batch(saker_source* s, uint32_t timeout_ms, const saker_event* const** evts,
                     uint32_t* n) noexcept;
  bool progress(saker_source* s, uint32_t* permille, std::string* text) noexcept;

  // Parse capability.
  bool parses(const std::string& source) const;
  int32_t parse(const char* source, const saker_event* evt) noexcept;

  // Extract capability (FieldProvider).
  const std::string& provider_name() const override { return name_; }
  std::vector<FieldDef> field_defs() override;
  int32_t extract(const char* source, const saker_event* evt, saker_extract_request* reqs,
                  uint32_t num_reqs) noexcept override;

  // Output capability.
  saker_output* open_output(const std::string& params);  // throws PluginError
  int32_t emit(saker_output* o, const saker_alert* a) noexcept;
  int32_t flush(saker_output* o) noexcept;
  // SAKER_NOT_SUPPORTED when the plugin has no reopen (ABI < 1.2 or none given).
  int32_t reopen_output(saker_output* o) noexcept;
  void close_output(saker_output* o) noexcept;

 private:
  class Guard;
  void check_init_config(const std::string& config_json) const;
  std::shared_ptr<PluginLibrary> lib_;
  std::string name_;
  saker_host host_;
  saker_plugin* plugin_ = nullptr;
  const saker_source_api* source_ = nullptr;
  const saker_extract_api* extract_ = nullptr;
  const saker_parse_api* parse_ = nullptr;
  const saker_output_api* output_ = nullptr;
  bool shared_ = false;
  bool event_lifetime_ = false;
  mutable std::recursive_mutex mu_;
};

}  // namespace saker::core
