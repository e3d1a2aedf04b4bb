// Read-only access into the JSON text of one record without building a document: find
// a member, walk a path or a JSON pointer, iterate an array, decode a string. Values are
// views into the text. Records from this plugin's sources are checked and compact
// (json_check.h); events injected by others may not be, so every function copes with
// any bytes: on anything unexpected it answers "absent" (std::nullopt), never reads out
// of bounds, and bounds its own nesting. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace saker::cloudtrail::jv {

using View = std::string_view;

// The value starting at text[0] (after whitespace), trimmed to its exact extent.
std::optional<View> value_at(View text);
// The member `key` of the object `obj`.
std::optional<View> member(View obj, std::string_view key);
// obj.k1.k2...; absent when any step is missing or not an object.
std::optional<View> path(View obj, std::initializer_list<std::string_view> keys);
// A dotted path ("a.b.c") given at run time (field arguments); array indexes allowed.
std::optional<View> dotted(View v, std::string_view dotted_path);
// An RFC 6901 JSON pointer ("/a/0/b"; "" is the whole value).
std::optional<View> pointer(View v, std::string_view ptr);
// The i-th element of an array.
std::optional<View> element(View arr, size_t i);
// Calls fn for each element of an array, until fn returns false. False if not an array.
bool for_each(View arr, const std::function<bool(View)>& fn);
// Calls fn(key, value) for each member of an object (keys still quoted/escaped).
bool for_each_member(View obj, const std::function<bool(View raw_key, View value)>& fn);

inline bool is_string(View v) { return !v.empty() && v.front() == '"'; }
inline bool is_null(View v) { return v == "null"; }
inline bool is_object(View v) { return !v.empty() && v.front() == '{'; }
inline bool is_array(View v) { return !v.empty() && v.front() == '['; }

// The text of a string value, escapes decoded (bad escapes become U+FFFD).
std::string decode(View string_value);
// True when the raw string value equals `s` (no escapes in the value: compared as is).
bool string_equals(View string_value, std::string_view s);
// A value as field text: a string decoded, anything else as its JSON text; absent for
// null.
std::optional<std::string> text(std::optional<View> v);
// A boolean (true/false, or the strings "true"/"false").
std::optional<bool> boolean(std::optional<View> v);
// A non-negative number (floats truncated, as CloudTrail sometimes writes 33.0).
std::optional<uint64_t> unsigned_number(std::optional<View> v);

}  // namespace saker::cloudtrail::jv
