// JSON access to any part of a record under the names the upstream rules use (the json
// plugin's json.* and their jevt.* aliases): json.value[/json/pointer] (RFC 6901),
// json.obj (the whole record) and json.rawtime (the event time in ns, as text).
#include "field_table.h"

namespace saker::cloudtrail {
namespace {

void value_at(const FieldCtx& c, sdk::ExtractRequest& r) {
  set_text(r, jv::pointer(c.rec.doc(), r.arg_key()));
}

void whole(const FieldCtx& c, sdk::ExtractRequest& r) { r.set(c.evt.text()); }

void rawtime(const FieldCtx& c, sdk::ExtractRequest& r) { r.set(std::to_string(c.evt.ts())); }

}  // namespace

std::vector<FieldEntry> json_fields() {
  std::vector<FieldEntry> out;
  for (std::string prefix : {"json", "jevt"}) {
    const bool alias = prefix == "jevt";
    FieldEntry v = str_field((prefix + ".value").c_str(), "JSON value",
                             alias ? "Alias of json.value"
                                   : "The value at a JSON pointer in the record (json.value[/a/b])",
                             value_at);
    v.info.with_arg(sdk::ArgKind::kKey, true);
    out.push_back(std::move(v));
    out.push_back(str_field((prefix + ".obj").c_str(), "JSON object",
                            alias ? "Alias of json.obj" : "The whole record as JSON text", whole));
    out.push_back(
        str_field((prefix + ".rawtime").c_str(), "Raw time",
                  alias ? "Alias of json.rawtime" : "The event time in ns since the epoch, as text",
                  rawtime));
  }
  return out;
}

}  // namespace saker::cloudtrail
