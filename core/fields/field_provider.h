// The core's view of anything that extracts fields: a plugin instance with the extract
// capability, or the core's own generic fields. The field registry maps names to
// (provider, field id); the event context calls providers and memoises the values.
#pragma once

#include <saker_plugin_api.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace saker::core {

// One field as the registry knows it (a copy of the provider's saker_field_info).
struct FieldDef {
  std::string name;
  saker_field_type type = SAKER_FIELD_STRING;
  uint32_t flags = 0;
  std::string description;
  std::string display_name;
  std::string properties;
  uint32_t field_id = 0;  // index in the provider's table
  class FieldProvider* provider = nullptr;
  std::vector<std::string> sources;  // empty: every source
  // Optional text rendering for this field (core fields such as evt.time use it to
  // print a number as a date); nullptr: render by type.
  void (*render)(const struct FieldValue& v, std::string* out) = nullptr;

  bool is_list() const { return flags & SAKER_FIELD_IS_LIST; }
  bool takes_index() const { return flags & SAKER_FIELD_ARG_INDEX; }
  bool takes_key() const { return flags & SAKER_FIELD_ARG_KEY; }
  bool arg_required() const { return flags & SAKER_FIELD_ARG_REQUIRED; }
  bool applies_to(std::string_view source) const;
};

class FieldProvider {
 public:
  virtual ~FieldProvider() = default;
  // Who owns the fields, for --list and error messages ("core", a plugin instance name).
  virtual const std::string& provider_name() const = 0;
  virtual std::vector<FieldDef> field_defs() = 0;
  // Fill `reqs` for `evt` of `source`. Values stay valid until the next extract call on
  // this provider. Must not throw.
  virtual int32_t extract(const char* source, const saker_event* evt, saker_extract_request* reqs,
                          uint32_t num_reqs) noexcept = 0;
  // Whether the values extract() returns stay valid until it is called with a different
  // event (rather than until its next call): the event context then keeps views into
  // them instead of copies. Fixed at construction.
  bool values_stable_per_event() const { return stable_per_event_; }
  // Whether STRING values come with their lengths, in values.bytes (NUL-terminated still),
  // instead of values.str (SAKER_EXTRACT_SIZED_STRINGS). Fixed at construction.
  bool sized_strings() const { return sized_strings_; }

  // When extract() is nothing but one call to a plugin's ABI function (an instance only one
  // thread calls, so without a lock), that function and its handle: the event context
  // calls it directly, without the virtual call. Empty otherwise.
  struct Direct {
    int32_t (*fn)(saker_plugin* p, const char* source, const saker_event* evt,
                  saker_extract_request* reqs, uint32_t num_reqs) = nullptr;
    saker_plugin* plugin = nullptr;
  };
  const Direct& direct() const { return direct_; }

 protected:
  bool stable_per_event_ = false;
  bool sized_strings_ = false;
  Direct direct_;
};

const char* field_type_name(saker_field_type t);

}  // namespace saker::core
