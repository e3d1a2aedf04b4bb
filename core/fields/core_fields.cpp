// Generic event fields owned by the core.
#include "core_fields.h"

#include <ctime>

#include "event_context.h"

namespace saker::core {

namespace {

enum Id : uint32_t {
  kNum, kTime, kTimeS, kTimeIso, kDatetime, kDatetimeS, kRawtime, kRawtimeS, kRawtimeNs,
  kSource, kHostname, kPluginName, kPluginInfo, kCount
};


std::string format(uint64_t ts, bool local, const char* date_fmt, bool nanos) {
  time_t secs = static_cast<time_t>(ts / 1000000000ull);
  struct tm tm {};
  if (local) localtime_r(&secs, &tm); else gmtime_r(&secs, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), date_fmt, &tm);
  std::string s(buf);
  if (nanos) {
    char ns[16];
    snprintf(ns, sizeof(ns), ".%09llu", static_cast<unsigned long long>(ts % 1000000000ull));
    s += ns;
  }
  return s;
}

void render_hms(const FieldValue& v, std::string* out) { out->append(CoreFields::time_hms(v.num())); }
void render_hms_s(const FieldValue& v, std::string* out) {
  out->append(format(v.num(), true, "%H:%M:%S", false));
}
void render_iso(const FieldValue& v, std::string* out) {
  out->append(CoreFields::time_iso8601_tz(v.num()));
}
void render_dt(const FieldValue& v, std::string* out) { out->append(CoreFields::datetime(v.num())); }
void render_dt_s(const FieldValue& v, std::string* out) {
  out->append(format(v.num(), true, "%Y-%m-%d %H:%M:%S", false));
}
void render_secs(const FieldValue& v, std::string* out) {
  out->append(std::to_string(v.num() / 1000000000ull));
}
void render_nsecs(const FieldValue& v, std::string* out) {
  out->append(std::to_string(v.num() % 1000000000ull));
}

FieldDef def(const char* name, saker_field_type t, const char* desc,
             void (*render)(const FieldValue&, std::string*) = nullptr) {
  FieldDef d;
  d.name = name;
  d.type = t;
  d.description = desc;
  d.render = render;
  return d;
}

}  // namespace

std::string CoreFields::time_hms(uint64_t ts) { return format(ts, true, "%H:%M:%S", true); }
std::string CoreFields::time_iso8601(uint64_t ts) {
  return format(ts, false, "%Y-%m-%dT%H:%M:%S", true) + "Z";
}
std::string CoreFields::time_iso8601_tz(uint64_t ts) {
  return format(ts, false, "%Y-%m-%dT%H:%M:%S", true) + "+0000";
}
std::string CoreFields::datetime(uint64_t ts) {
  return format(ts, true, "%Y-%m-%d %H:%M:%S", true);
}

CoreFields::CoreFields(std::string hostname) : hostname_(std::move(hostname)) {}

void CoreFields::set_source_plugin(const std::string& source, const std::string& plugin,
                                   const std::string& info) {
  sources_[source] = {plugin, info};
}

std::vector<FieldDef> CoreFields::field_defs() {
  std::vector<FieldDef> v = {
      def("evt.num", SAKER_FIELD_U64, "Event number, counted per event source"),
      def("evt.time", SAKER_FIELD_ABSTIME, "Event time as HH:MM:SS.nnnnnnnnn (local)", render_hms),
      def("evt.time.s", SAKER_FIELD_ABSTIME, "Event time as HH:MM:SS (local)", render_hms_s),
      def("evt.time.iso8601", SAKER_FIELD_ABSTIME, "Event time in ISO 8601, UTC, with nanoseconds",
          render_iso),
      def("evt.datetime", SAKER_FIELD_ABSTIME, "Event date and time, YYYY-MM-DD HH:MM:SS.nnnnnnnnn",
          render_dt),
      def("evt.datetime.s", SAKER_FIELD_ABSTIME, "Event date and time, YYYY-MM-DD HH:MM:SS",
          render_dt_s),
      def("evt.rawtime", SAKER_FIELD_ABSTIME, "Event time in nanoseconds since the epoch"),
      def("evt.rawtime.s", SAKER_FIELD_ABSTIME, "Integer part of the event time in seconds",
          render_secs),
      def("evt.rawtime.ns", SAKER_FIELD_ABSTIME, "Fractional part of the event time in ns",
          render_nsecs),
      def("evt.source", SAKER_FIELD_STRING, "The name of the event's source"),
      def("evt.hostname", SAKER_FIELD_STRING, "The host's name (FALCO_HOSTNAME or gethostname)"),
      def("evt.pluginname", SAKER_FIELD_STRING, "The plugin that produced the event"),
      def("evt.plugininfo", SAKER_FIELD_STRING, "A description of the plugin that produced it"),
  };
  for (uint32_t i = 0; i < v.size(); ++i) v[i].field_id = i;
  return v;
}

int32_t CoreFields::extract(const char* source, const saker_event* evt,
                            saker_extract_request* reqs, uint32_t n) noexcept {
  // Values live in per-thread buffers, valid until this thread's next call, as the ABI
  // says: the core fields are extracted from every source loop's thread at once.
  thread_local std::vector<uint64_t> num_buf;
  thread_local std::vector<const char*> str_buf;
  if (num_buf.size() < n) {
    num_buf.resize(n);
    str_buf.resize(n);
  }
  for (uint32_t i = 0; i < n; ++i) {
    saker_extract_request& r = reqs[i];
    r.num_values = 1;
    const SourceInfo* si = nullptr;
    if (auto it = sources_.find(source); it != sources_.end()) si = &it->second;
    switch (r.field_id) {
      case kNum: num_buf[i] = evt->num; r.values.u64 = &num_buf[i]; break;
      case kSource: str_buf[i] = source; r.values.str = &str_buf[i]; break;
      case kHostname: str_buf[i] = hostname_.c_str(); r.values.str = &str_buf[i]; break;
      case kPluginName:
      case kPluginInfo:
        if (!si) { r.num_values = 0; break; }
        str_buf[i] = r.field_id == kPluginName ? si->plugin.c_str() : si->info.c_str();
        r.values.str = &str_buf[i];
        break;
      default:
        if (r.field_id >= kCount) return SAKER_FAILURE;
        num_buf[i] = evt->ts;
        r.values.u64 = &num_buf[i];
    }
  }
  return SAKER_OK;
}

}  // namespace saker::core
