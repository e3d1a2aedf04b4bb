// The k8saudit field table: every field is one small extractor function over the
// event's parsed JSON document, grouped by subject (audit_fields.cpp: the audit record
// itself; request_fields.cpp: bindings, roles, services, volumes; container_fields.cpp:
// pod and container specs; json_fields.cpp: JSON-pointer access). Field semantics and
// types follow the upstream k8saudit plugin (every value is a string, as upstream's
// rules expect: `ka.response.code startswith 2`); deliberate differences are listed in
// the README.
#pragma once

#include <saker/sdk/types.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace saker::k8saudit {

using nlohmann::json;

// What an extractor function sees: the parsed event, and the raw event (time, text).
struct FieldCtx {
  const json& doc;
  const sdk::Event& evt;
};
using ExtractFn = std::function<void(const FieldCtx&, sdk::ExtractRequest&)>;

struct FieldEntry {
  sdk::FieldInfo info;
  ExtractFn fn;
};

std::vector<FieldEntry> audit_fields();
std::vector<FieldEntry> request_fields();
std::vector<FieldEntry> container_fields();
std::vector<FieldEntry> json_fields();

// Helpers shared by the field groups.
// The value at keys[0].keys[1]...; nullptr when any step is missing or not an object.
const json* find(const json& j, std::initializer_list<std::string_view> keys);
// A JSON value as field text: strings as they are, anything else as compact JSON.
std::string to_text(const json& v);
// Sets a single string value when `v` is present.
void set_text(sdk::ExtractRequest& r, const json* v);
// The array at `keys`, narrowed to the element given as index argument (if any).
std::vector<const json*> elements(const FieldCtx& c, sdk::ExtractRequest& r,
                                  std::initializer_list<std::string_view> keys);
// A string-list field built from `items`; no value when `items` is absent (nullptr).
void set_list(sdk::ExtractRequest& r, const std::vector<std::string>& items);

// Shorthands to build table entries.
FieldEntry str_field(const char* name, const char* desc, ExtractFn fn);
FieldEntry list_field(const char* name, const char* desc, ExtractFn fn, bool indexed = true);
FieldEntry key_field(const char* name, const char* desc, ExtractFn fn);
// A field that is the value at a fixed path of keys.
FieldEntry path_field(const char* name, const char* desc,
                      std::initializer_list<std::string_view> keys);

}  // namespace saker::k8saudit
