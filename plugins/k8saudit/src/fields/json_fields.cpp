// JSON access to any part of an event, under the names the upstream rules use (the
// json plugin's json.* and their jevt.* aliases): json.value[/json/pointer] (RFC 6901),
// json.obj (the whole event) and json.rawtime (the event time in ns, as text).
#include "field_table.h"

namespace saker::k8saudit {
namespace {

void value_at(const FieldCtx& c, sdk::ExtractRequest& r) {
  std::string_view ptr = r.arg_key();
  if (ptr.empty()) return set_text(r, &c.doc);
  try {
    json::json_pointer p{std::string(ptr)};
    if (c.doc.contains(p)) set_text(r, &c.doc.at(p));
  } catch (const json::exception&) {
    // Not a valid pointer, or it walks through a scalar: no value.
  }
}

void whole(const FieldCtx& c, sdk::ExtractRequest& r) { r.set(c.evt.text()); }

void rawtime(const FieldCtx& c, sdk::ExtractRequest& r) { r.set(std::to_string(c.evt.ts())); }

}  // namespace

std::vector<FieldEntry> json_fields() {
  std::vector<FieldEntry> out;
  for (std::string prefix : {"json", "jevt"}) {
    const bool alias = prefix == "jevt";
    out.push_back(key_field((prefix + ".value").c_str(),
                            alias ? "Alias of json.value"
                                  : "The value at a JSON pointer in the event (json.value[/a/b])",
                            value_at));
    out.push_back(str_field((prefix + ".obj").c_str(),
                            alias ? "Alias of json.obj" : "The whole event as JSON text", whole));
    out.push_back(
        str_field((prefix + ".rawtime").c_str(),
                  alias ? "Alias of json.rawtime" : "The event time in ns since the epoch, as text",
                  rawtime));
  }
  return out;
}

}  // namespace saker::k8saudit
