// The C host API handed to plugins: thin adapters onto HostServices. Every entry point
// is noexcept (no exception may cross into plugin code).
#include <string>

#include "host_services.h"
#include "log.h"
#include "plugin_instance.h"

namespace saker::core {

namespace {

LogLevel to_level(int32_t l) {
  if (l <= SAKER_LOG_ERROR) return LogLevel::kError;
  if (l >= SAKER_LOG_DEBUG) return LogLevel::kDebug;
  return static_cast<LogLevel>(l);
}

void api_log(saker_host* h, int32_t level, const char* msg) noexcept {
  try {
    log(to_level(level), h->instance->name(), msg ? msg : "");
  } catch (...) {
  }
}

int32_t api_metric_register(saker_host* h, const char* name, int32_t kind, const char* help,
                            uint32_t* id) noexcept {
  try {
    std::string full = h->instance->name() + "_" + (name ? name : "");
    *id = h->services->metrics().add(
        full, kind == SAKER_METRIC_GAUGE ? MetricKind::kGauge : MetricKind::kCounter,
        help ? help : "");
    return SAKER_OK;
  } catch (...) {
    return SAKER_FAILURE;
  }
}

void api_metric_set(saker_host* h, uint32_t id, uint64_t v) noexcept {
  h->services->metrics().set(id, v);
}
void api_metric_add(saker_host* h, uint32_t id, uint64_t d) noexcept {
  h->services->metrics().inc(id, d);
}

int32_t api_field_resolve(saker_host* h, const char* source, const char* field, const char* arg,
                          uint32_t* handle, uint32_t* type) noexcept {
  try {
    return h->services->resolve_field(source, field, arg, handle, type);
  } catch (...) {
    return SAKER_FAILURE;
  }
}

int32_t api_field_extract(saker_host* h, const saker_event* evt, saker_extract_request* reqs,
                          uint32_t n) noexcept {
  try {
    return h->services->extract_fields(evt, reqs, n);
  } catch (...) {
    return SAKER_FAILURE;
  }
}

int32_t api_inject(saker_host* h, const char* source, const saker_event* evt) noexcept {
  try {
    return h->services->inject_event(source, evt);
  } catch (...) {
    return SAKER_FAILURE;
  }
}

const char* api_status_json(saker_host* h) noexcept {
  thread_local std::string text;  // valid until this thread's next call
  try {
    text = h->services->status_json();
  } catch (...) {
    text = "{}";
  }
  return text.c_str();
}

int32_t api_stop_requested(saker_host* h) noexcept { return h->services->stop_requested() ? 1 : 0; }

int32_t api_process_exiting(saker_host* h) noexcept {
  return h->services->process_exiting() ? 1 : 0;
}

const saker_host_api kTable = {sizeof(saker_host_api), api_log,        api_metric_register,
                               api_metric_set,         api_metric_add, api_field_resolve,
                               api_field_extract,      api_inject,     api_status_json,
                               api_stop_requested,     api_process_exiting};

}  // namespace

const saker_host_api* host_api_table() { return &kTable; }

}  // namespace saker::core
