// The descriptor and lifecycle thunks (init/destroy/last_error) for plugin class T.
#pragma once

#include "capabilities.h"

namespace saker::sdk::detail {

template <class T>
void fill_tables(Instance<T>* in) {
  T& t = *in->plugin;
  if constexpr (SourcePlugin<T>) {
    in->source_name = t.event_source();
    in->event_types.set(t.event_types());
    if constexpr (HasOpenParams<T>) in->open_params = t.open_params();
  }
  if constexpr (ExtractPlugin<T>) {
    in->field_defs = t.fields();
    for (const auto& f : in->field_defs) {
      in->field_table.push_back(saker_field_info{
          sizeof(saker_field_info), static_cast<uint32_t>(f.type), field_flags(f), 0,
          f.name.c_str(), or_null(f.display_name), or_null(f.description),
          or_null(f.properties)});
    }
    if constexpr (HasExtractSources<T>) {
      in->extract_sources.set(t.extract_sources());
    } else if constexpr (SourcePlugin<T>) {
      in->extract_sources.set({in->source_name});
    }
  }
  if constexpr (ParsePlugin<T>) {
    if constexpr (HasParseSources<T>) in->parse_sources.set(t.parse_sources());
  }
}

template <class T>
int32_t init(const saker_init_input* input, saker_plugin** out) {
  auto* in = new Instance<T>();
  in->arena.sized = true;  // the extract table says SAKER_EXTRACT_SIZED_STRINGS
  *out = reinterpret_cast<saker_plugin*>(in);
  return guarded(in, [&] {
    InitContext ctx;
    ctx.host = Host(input->host_api, input->host);
    ctx.instance_name = input->instance_name ? input->instance_name : T::kName;
    ctx.config = input->config ? input->config : "";
    in->plugin.emplace(ctx);
    fill_tables(in);
    return int32_t{SAKER_OK};
  });
}

template <class T>
void destroy(saker_plugin* p) {
  delete inst<T>(p);
}

template <class T>
const char* last_error(saker_plugin* p) {
  return inst<T>(p)->last_error.c_str();
}

template <class T>
const saker_plugin_descriptor* descriptor() {
  static const saker_plugin_descriptor d = [] {
    saker_plugin_descriptor x{};
    x.size = sizeof(x);
    x.api_major = SAKER_PLUGIN_API_MAJOR;
    x.api_minor = SAKER_PLUGIN_API_MINOR;
    x.name = T::kName;
    x.version = T::kVersion;
    x.description = T::kDescription;
    x.contact = T::kContact;
    if constexpr (HasInitSchema<T>) x.init_schema = T::kInitSchema;
    x.init = &init<T>;
    x.destroy = &destroy<T>;
    x.last_error = &last_error<T>;
    if constexpr (SourcePlugin<T>) x.source = SourceThunks<T>::table();
    if constexpr (ExtractPlugin<T>) x.extract = ExtractThunks<T>::table();
    if constexpr (ParsePlugin<T>) x.parse = ParseThunks<T>::table();
    if constexpr (OutputPlugin<T>) x.output = OutputThunks<T>::table();
    return x;
  }();
  return &d;
}

}  // namespace saker::sdk::detail
