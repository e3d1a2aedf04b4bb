// Calls into one plugin instance.
#include "plugin_instance.h"

#include <nlohmann/json.hpp>

#include "schema_check.h"

#include <algorithm>
#include <cstddef>

namespace saker::core {

// Locks the instance only when it is shared between threads (an uncontended lock per
// call would cost more than many extractions do).
class PluginInstance::Guard {
 public:
  explicit Guard(const PluginInstance& p) : p_(p) {
    if (p_.shared_) p_.mu_.lock();
  }
  ~Guard() {
    if (p_.shared_) p_.mu_.unlock();
  }

 private:
  const PluginInstance& p_;
};

namespace {

std::vector<std::string> cstr_list(const char* const* l) {
  std::vector<std::string> out;
  for (; l && *l; ++l) out.emplace_back(*l);
  return out;
}

template <class S, class F>
void require(const S* table, F S::*member, const std::string& what, const std::string& plugin) {
  if (!abi_has(table, member) || !(table->*member)) {
    throw PluginError("plugin '" + plugin + "': its " + what + " table lacks a required function");
  }
}

}  // namespace

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> lib, std::string name,
                               HostServices* services)
    : lib_(std::move(lib)), name_(std::move(name)), host_{this, services} {}

PluginInstance::~PluginInstance() {
  if (plugin_) descriptor().destroy(plugin_);
}

std::string PluginInstance::last_error() const {
  if (!plugin_) return "plugin not initialised";
  const char* e = descriptor().last_error(plugin_);
  return e && *e ? e : "unknown error";
}

// init_config against the plugin's schema, when it publishes one that parses. A config
// that is not JSON is left to the plugin (it reports its own parse error).
void PluginInstance::check_init_config(const std::string& config_json) const {
  const auto& d = descriptor();
  if (!abi_has(&d, &saker_plugin_descriptor::init_schema) || !d.init_schema ||
      !*d.init_schema || config_json.empty()) {
    return;
  }
  const auto schema = nlohmann::json::parse(d.init_schema, nullptr, false);
  const auto value = nlohmann::json::parse(config_json, nullptr, false);
  if (schema.is_discarded() || value.is_discarded()) return;
  if (auto why = schema_violation(schema, value)) {
    throw PluginError("plugin '" + name_ + "' refused its configuration: " + *why);
  }
}

void PluginInstance::init(const std::string& config_json) {
  source_ = lib_->source();
  extract_ = lib_->extract();
  parse_ = lib_->parse();
  output_ = lib_->output();
  if (source_) {
    require(source_, &saker_source_api::next_batch, "source", name_);
    require(source_, &saker_source_api::open, "source", name_);
    require(source_, &saker_source_api::close, "source", name_);
    require(source_, &saker_source_api::get_name, "source", name_);
  }
  if (extract_) require(extract_, &saker_extract_api::extract, "extract", name_);
  if (parse_) require(parse_, &saker_parse_api::parse, "parse", name_);
  if (output_) require(output_, &saker_output_api::close, "output", name_);
  check_init_config(config_json);
  saker_init_input in{sizeof(saker_init_input), host_api_table(), &host_, name_.c_str(),
                      config_json.c_str()};
  saker_plugin* p = nullptr;
  int32_t rc = descriptor().init(&in, &p);
  plugin_ = p;
  if (rc != SAKER_OK || !p) {
    std::string why = p ? last_error() : "init returned no instance";
    throw PluginError("plugin '" + name_ + "' failed to initialise: " + why);
  }
  if (extract_) {
    // A table older than 1.4 ends before `flags`: none.
    const bool has_flags = extract_->size >= offsetof(saker_extract_api, flags) + sizeof(uint32_t);
    const uint32_t flags = has_flags ? extract_->flags : 0;
    sized_strings_ = (flags & SAKER_EXTRACT_SIZED_STRINGS) != 0;
    event_lifetime_ = (flags & SAKER_EXTRACT_EVENT_LIFETIME) != 0;
    stable_per_event_ = event_lifetime_ && !shared_;
    if (!shared_) direct_ = {extract_->extract, plugin_};
  }
}

std::string PluginInstance::source_name() const {
  Guard g(*this);
  const char* n = source_ ? source_->get_name(plugin_) : nullptr;
  return n ? n : "";
}

std::vector<std::string> PluginInstance::event_types() const {
  Guard g(*this);
  std::vector<std::string> out;
  if (!abi_has(source_, &saker_source_api::get_event_types) || !source_->get_event_types) {
    return out;
  }
  uint32_t n = 0;
  const char* const* names = source_->get_event_types(plugin_, &n);
  for (uint32_t i = 0; names && i < n; ++i) out.emplace_back(names[i] ? names[i] : "");
  return out;
}

std::string PluginInstance::open_params_json() const {
  Guard g(*this);
  if (!abi_has(source_, &saker_source_api::list_open_params) || !source_->list_open_params) {
    return "";
  }
  const char* s = source_->list_open_params(plugin_);
  return s ? s : "";
}

saker_source* PluginInstance::open_source(const std::string& params) {
  Guard g(*this);
  saker_source* s = nullptr;
  if (source_->open(plugin_, params.c_str(), &s) != SAKER_OK || !s) {
    throw PluginError("plugin '" + name_ + "' could not open its source: " + last_error());
  }
  return s;
}

bool PluginInstance::set_interesting_types(const std::optional<std::vector<uint16_t>>& types) {
  // Absent from tables of 1.0 plugins: only read inside the table's own size.
  if (!source_ || source_->size < offsetof(saker_source_api, set_interesting_types) +
                                      sizeof(source_->set_interesting_types) ||
      !source_->set_interesting_types) {
    return true;
  }
  Guard g(*this);
  const uint16_t* data = types ? types->data() : nullptr;
  const auto n = static_cast<uint32_t>(types ? types->size() : 0);
  static const uint16_t kNone = 0;  // a non-NULL pointer for an empty list
  return source_->set_interesting_types(plugin_, types && n == 0 ? &kNone : data, n) == SAKER_OK;
}

void PluginInstance::close_source(saker_source* s) {
  Guard g(*this);
  source_->close(plugin_, s);
}

int32_t PluginInstance::next_batch(saker_source* s, uint32_t timeout_ms,
                                   const saker_event* const** evts, uint32_t* n) noexcept {
  Guard g(*this);
  *n = 0;
  return source_->next_batch(plugin_, s, timeout_ms, evts, n);
}

bool PluginInstance::progress(saker_source* s, uint32_t* permille, std::string* text) noexcept {
  Guard g(*this);
  if (!abi_has(source_, &saker_source_api::get_progress) || !source_->get_progress) return false;
  const char* t = nullptr;
  if (source_->get_progress(plugin_, s, permille, &t) != SAKER_OK) return false;
  *text = t ? t : "";
  return true;
}

bool PluginInstance::parses(const std::string& source) const {
  if (!parse_) return false;
  Guard g(*this);
  if (!abi_has(parse_, &saker_parse_api::get_sources) || !parse_->get_sources) return true;
  auto l = cstr_list(parse_->get_sources(plugin_));
  return l.empty() || std::find(l.begin(), l.end(), source) != l.end();
}

int32_t PluginInstance::parse(const char* source, const saker_event* evt) noexcept {
  Guard g(*this);
  return parse_->parse(plugin_, source, evt);
}

std::vector<FieldDef> PluginInstance::field_defs() {
  std::vector<FieldDef> out;
  if (!extract_) return out;
  Guard g(*this);
  uint32_t n = 0;
  const saker_field_info* table = extract_->get_fields(plugin_, &n);
  if (!table || n == 0) return out;
  const uint32_t stride = table->size;
  std::vector<std::string> sources;
  if (abi_has(extract_, &saker_extract_api::get_sources) && extract_->get_sources) {
    sources = cstr_list(extract_->get_sources(plugin_));
  }
  auto base = reinterpret_cast<const uint8_t*>(table);
  for (uint32_t i = 0; i < n; ++i) {
    auto* f = reinterpret_cast<const saker_field_info*>(base + size_t{i} * stride);
    FieldDef d;
    d.name = f->name ? f->name : "";
    d.type = static_cast<saker_field_type>(f->type);
    d.flags = f->flags;
    if (abi_has(f, &saker_field_info::display_name) && f->display_name) d.display_name = f->display_name;
    if (abi_has(f, &saker_field_info::description) && f->description) d.description = f->description;
    if (abi_has(f, &saker_field_info::properties) && f->properties) d.properties = f->properties;
    d.field_id = i;
    d.sources = sources;
    out.push_back(std::move(d));
  }
  return out;
}

int32_t PluginInstance::extract(const char* source, const saker_event* evt,
                                saker_extract_request* reqs, uint32_t n) noexcept {
  Guard g(*this);
  return extract_->extract(plugin_, source, evt, reqs, n);
}

saker_output* PluginInstance::open_output(const std::string& params) {
  Guard g(*this);
  saker_output* o = nullptr;
  if (!output_->open || output_->open(plugin_, params.c_str(), &o) != SAKER_OK || !o) {
    throw PluginError("plugin '" + name_ + "' could not open its output: " + last_error());
  }
  return o;
}

int32_t PluginInstance::emit(saker_output* o, const saker_alert* a) noexcept {
  Guard g(*this);
  return output_->emit ? output_->emit(plugin_, o, a) : SAKER_NOT_SUPPORTED;
}

int32_t PluginInstance::flush(saker_output* o) noexcept {
  Guard g(*this);
  return output_->flush ? output_->flush(plugin_, o) : SAKER_OK;
}

int32_t PluginInstance::reopen_output(saker_output* o) noexcept {
  if (!abi_has(output_, &saker_output_api::reopen) || !output_->reopen) return SAKER_NOT_SUPPORTED;
  Guard g(*this);
  return output_->reopen(plugin_, o);
}

void PluginInstance::close_output(saker_output* o) noexcept {
  Guard g(*this);
  output_->close(plugin_, o);
}

}  // namespace saker::core
