// Rendering of extracted values: as text (alert output, --list examples) and as JSON
// (output_fields), following Falco's conventions (<NA> for a missing value, lists as
// "(a,b)", IP addresses in their usual notation, numbers raw in JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "event_context.h"

namespace saker::core {

inline constexpr const char* kNotAvailable = "<NA>";

// Append the text form of `v` (as the field `def` renders it) to `out`, control
// characters escaped (\n, \r, \t, \xHH) so that no value can forge a line or send
// terminal escape sequences.
void render_text(const FieldDef& def, const FieldValue& v, std::string* out);
// The same without escaping (for callers that escape themselves).
void render_text_raw(const FieldDef& def, const FieldValue& v, std::string* out);
// Escapes the control characters of out[from..].
void escape_controls(std::string* out, size_t from);
// The JSON form of `v`: number for numeric fields, string otherwise, null when missing.
nlohmann::json render_json(const FieldDef& def, const FieldValue& v);
// One IPv4/IPv6 address (4 or 16 bytes) or network (address + prefix byte) as text.
std::string format_ip(std::string_view raw, bool is_net);

}  // namespace saker::core
