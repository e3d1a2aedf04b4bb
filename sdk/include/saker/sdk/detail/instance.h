// Per-instance state the SDK keeps beside the plugin object: the last error, and the
// storage behind every pointer handed to the host (tables, names, extracted values).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "concepts.h"

namespace saker::sdk::detail {

// Owns strings and the NULL-terminated array of their c_str()s.
struct CStringList {
  std::vector<std::string> items;
  std::vector<const char*> ptrs;
  const char* const* set(std::vector<std::string> v) {
    items = std::move(v);
    ptrs.clear();
    for (auto& s : items) ptrs.push_back(s.c_str());
    ptrs.push_back(nullptr);
    return ptrs.data();
  }
};

template <class T>
struct Instance {
  std::optional<T> plugin;
  std::string last_error;
  std::string source_name;
  std::string open_params;
  CStringList event_types;
  CStringList extract_sources;
  CStringList parse_sources;
  std::vector<FieldInfo> field_defs;
  std::vector<saker_field_info> field_table;
  ExtractArena arena;
  std::vector<ExtractRequest> requests;
  // The event the arena's strings belong to (ValuesLiveForEvent plugins keep them until
  // another one comes).
  struct EventKey {
    const uint8_t* data = nullptr;
    uint64_t len = 0, ts = 0, num = 0;
    bool operator==(const EventKey&) const = default;
  } arena_event;
};

template <class T>
Instance<T>* inst(saker_plugin* p) {
  return reinterpret_cast<Instance<T>*>(p);
}

// Run `fn`, turning any exception into SAKER_FAILURE + last_error.
template <class T, class Fn>
int32_t guarded(Instance<T>* in, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (const std::exception& e) {
    in->last_error = e.what();
  } catch (...) {
    in->last_error = "unknown exception thrown by the plugin";
  }
  return SAKER_FAILURE;
}

inline uint32_t field_flags(const FieldInfo& f) {
  uint32_t fl = 0;
  if (f.is_list) fl |= SAKER_FIELD_IS_LIST;
  if (f.arg == ArgKind::kIndex || f.arg == ArgKind::kIndexOrKey) fl |= SAKER_FIELD_ARG_INDEX;
  if (f.arg == ArgKind::kKey || f.arg == ArgKind::kIndexOrKey) fl |= SAKER_FIELD_ARG_KEY;
  if (f.arg_required) fl |= SAKER_FIELD_ARG_REQUIRED;
  if (f.hidden) fl |= SAKER_FIELD_HIDDEN;
  return fl;
}

inline const char* or_null(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace saker::sdk::detail
