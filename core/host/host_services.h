// What the core offers plugins through the C host API, as a C++ interface the engine
// implements. host_api.cpp adapts it to saker_host_api.
#pragma once

#include <saker_plugin_api.h>

#include <cstdint>
#include <string>

#include "metrics.h"

namespace saker::core {

class PluginInstance;

class HostServices {
 public:
  virtual ~HostServices() = default;
  virtual Metrics& metrics() = 0;
  virtual int32_t resolve_field(const char* source, const char* field, const char* arg,
                                uint32_t* handle, uint32_t* type) = 0;
  virtual int32_t extract_fields(const saker_event* evt, saker_extract_request* reqs,
                                 uint32_t n) = 0;
  virtual int32_t inject_event(const char* source, const saker_event* evt) = 0;
  // The runtime's state as JSON (host API status_json). Thread-safe.
  virtual std::string status_json() { return "{}"; }
  // True once the runtime has been asked to stop (host API stop_requested). Thread-safe.
  virtual bool stop_requested() const { return false; }
  // True while the runtime destroys its plugins because the process is about to exit
  // (host API process_exiting). Thread-safe.
  virtual bool process_exiting() const { return false; }
};

// The saker_host_api table (static, shared by every instance).
const saker_host_api* host_api_table();

}  // namespace saker::core

// The concrete type behind the opaque saker_host handle: one per plugin instance.
struct saker_host {
  saker::core::PluginInstance* instance;
  saker::core::HostServices* services;
};
