// Field registry: names → providers.
#include "field_registry.h"

#include <algorithm>

namespace saker::core {

bool FieldDef::applies_to(std::string_view source) const {
  if (sources.empty()) return true;
  return std::find(sources.begin(), sources.end(), source) != sources.end();
}

const char* field_type_name(saker_field_type t) {
  switch (t) {
    case SAKER_FIELD_STRING: return "string";
    case SAKER_FIELD_U64: return "uint64";
    case SAKER_FIELD_S64: return "int64";
    case SAKER_FIELD_BOOL: return "bool";
    case SAKER_FIELD_RELTIME: return "reltime";
    case SAKER_FIELD_ABSTIME: return "abstime";
    case SAKER_FIELD_IPADDR: return "ipaddr";
    case SAKER_FIELD_IPNET: return "ipnet";
    case SAKER_FIELD_BYTES: return "bytebuf";
  }
  return "unknown";
}

void FieldRegistry::add_provider(FieldProvider* p) {
  for (auto& d : p->field_defs()) {
    d.provider = p;
    defs_.push_back(std::make_unique<FieldDef>(std::move(d)));
    by_name_.emplace(defs_.back()->name, defs_.back().get());
  }
}

const FieldDef* FieldRegistry::find(std::string_view source, std::string_view name) const {
  const FieldDef* generic = nullptr;
  auto [lo, hi] = by_name_.equal_range(name);
  for (auto it = lo; it != hi; ++it) {
    const FieldDef* d = it->second;
    if (!d->applies_to(source)) continue;
    if (!d->sources.empty()) return d;
    if (!generic) generic = d;
  }
  return generic;
}

std::vector<const FieldDef*> FieldRegistry::list(std::string_view source) const {
  std::vector<const FieldDef*> out;
  for (const auto& d : defs_) {
    if (source.empty() || d->applies_to(source)) out.push_back(d.get());
  }
  return out;
}

}  // namespace saker::core
