// The host API as seen from a plugin written with the SDK: logging, metrics, reading
// another plugin's fields, and injecting events. A Host is a cheap value (two
// pointers); copy it freely. Valid from the plugin's constructor until its destruction.
#pragma once

#include <saker_plugin_api.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "types.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace saker::sdk {

enum class LogLevel : int32_t {
  kError = SAKER_LOG_ERROR,
  kWarning = SAKER_LOG_WARNING,
  kNotice = SAKER_LOG_NOTICE,
  kInfo = SAKER_LOG_INFO,
  kDebug = SAKER_LOG_DEBUG,
};

// A field of another plugin, resolved once through Host::resolve().
struct ForeignField {
  uint32_t handle = 0;
  FieldType type = FieldType::kString;
  bool valid = false;
};

class Host {
 public:
  Host() = default;
  Host(const saker_host_api* api, saker_host* h) : api_(api), h_(h) {}

  void log(LogLevel level, std::string_view msg) const {
    if (!api_) return;
    std::string s(msg);
    api_->log(h_, static_cast<int32_t>(level), s.c_str());
  }

  // Returns a metric id (0 when the host has no metrics table).
  uint32_t register_counter(const std::string& name, const std::string& help) const {
    return register_metric(name, help, SAKER_METRIC_COUNTER);
  }
  uint32_t register_gauge(const std::string& name, const std::string& help) const {
    return register_metric(name, help, SAKER_METRIC_GAUGE);
  }
  void metric_add(uint32_t id, uint64_t delta) const {
    if (api_) api_->metric_add(h_, id, delta);
  }
  void metric_set(uint32_t id, uint64_t value) const {
    if (api_) api_->metric_set(h_, id, value);
  }

  // Resolve a field owned by another plugin for `source`; throws PluginError if unknown.
  ForeignField resolve(const std::string& source, const std::string& field,
                       const char* arg = nullptr) const {
    ForeignField f;
    uint32_t type = 0;
    if (!api_ || api_->field_resolve(h_, source.c_str(), field.c_str(), arg, &f.handle, &type) !=
                     SAKER_OK) {
      throw PluginError("cannot resolve field '" + field + "' of source '" + source + "'");
    }
    f.type = static_cast<FieldType>(type);
    f.valid = true;
    return f;
  }

  // Read a foreign string field for the current event; false when it has no value.
  bool read_string(const Event& evt, const ForeignField& f, std::string* out) const {
    saker_extract_request r{};
    if (!read(evt, f, &r) || f.type != FieldType::kString) return false;
    out->assign(r.values.str[0]);
    return true;
  }
  // Read a foreign numeric field (u64/s64/bool/time) for the current event.
  bool read_u64(const Event& evt, const ForeignField& f, uint64_t* out) const {
    saker_extract_request r{};
    if (!read(evt, f, &r) || f.type == FieldType::kString) return false;
    *out = r.values.u64[0];
    return true;
  }

  // The runtime's state as JSON (ABI 1.2, see saker_host_api.status_json); "{}" when
  // the host is older. Thread-safe.
  std::string status_json() const {
    if (!offers(offsetof(saker_host_api, status_json)) || !api_->status_json) {
      return "{}";
    }
    return api_->status_json(h_);
  }

  // ABI 1.3: true once the host has been asked to stop (SIGTERM, SIGINT). Long work inside
  // one call (seeding state in open, loading a big file) polls it every few thousand items
  // and gives up, throwing PluginError("... interrupted"). Always false with an older host
  // (the callback lies beyond its table). Thread-safe, one atomic load.
  bool stop_requested() const {
    if (!offers(offsetof(saker_host_api, stop_requested)) || !api_->stop_requested) {
      return false;
    }
    return api_->stop_requested(h_) != 0;
  }

  // ABI 1.5: true while the host destroys the plugin because the process is about to
  // exit. A destructor then still finishes what outlives the process (files, children)
  // but may hand large structures to keep_until_exit() instead of freeing them. Always
  // false with an older host. Thread-safe.
  bool process_exiting() const {
    if (!offers(offsetof(saker_host_api, process_exiting)) || !api_->process_exiting) {
      return false;
    }
    return api_->process_exiting(h_) != 0;
  }

  // Queue a copy of an event into `source`'s stream. Thread-safe. False if refused.
  bool inject(const std::string& source, uint16_t type, uint64_t ts, std::string_view data) const {
    if (!api_) return false;
    saker_event e{sizeof(saker_event), type, 0, ts, 0,
                  reinterpret_cast<const uint8_t*>(data.data()), data.size()};
    return api_->inject_event(h_, source.c_str(), &e) == SAKER_OK;
  }

 private:
  // Whether the host's table reaches the callback at `offset`: a table from an older host
  // ends before the members added since (its size says where).
  bool offers(std::size_t offset) const { return api_ && api_->size >= offset + sizeof(void*); }
  uint32_t register_metric(const std::string& name, const std::string& help, int32_t kind) const {
    uint32_t id = 0;
    if (api_) api_->metric_register(h_, name.c_str(), kind, help.c_str(), &id);
    return id;
  }
  bool read(const Event& evt, const ForeignField& f, saker_extract_request* r) const {
    if (!api_ || !f.valid) return false;
    r->size = sizeof(*r);
    r->field_id = f.handle;
    return api_->field_extract(h_, evt.raw(), r, 1) == SAKER_OK && r->num_values > 0;
  }
  const saker_host_api* api_ = nullptr;
  saker_host* h_ = nullptr;
};

// What a plugin's constructor receives.
struct InitContext {
  Host host;
  std::string instance_name;
  std::string config;  // init_config as JSON text ("" when none)
};

// Leaves `p`'s object to the process's exit: never destroyed or freed, and still reachable
// (a leak checker does not report it). For a destructor that sees Host::process_exiting():
// freeing a large state object by object (hundreds of thousands of allocations) only to
// exit costs more than the rest of a short run's teardown. Thread-safe.
namespace detail {
// One list per plugin library, whatever the types kept.
inline void keep_until_exit(void* p) {
  static std::mutex mu;
  static auto* kept = new std::vector<void*>();  // never freed: what it holds stays reachable
  std::lock_guard lock(mu);
#if defined(__SANITIZE_ADDRESS__)
  // The library (and `kept`) may be unloaded before the leak check runs.
  __lsan_ignore_object(p);
#endif
  kept->push_back(p);
}
}  // namespace detail

template <class T>
void keep_until_exit(std::unique_ptr<T> p) {
  detail::keep_until_exit(p.release());
}

}  // namespace saker::sdk
