// Field transformers (RULE-LANGUAGE.md §2.5): tolower, toupper, b64, basename, len.
// (`val()` is not a transformer of values: the compiler turns it into a right-hand field.)
// Type rules are checked at compile time; apply() runs per event into a caller-owned
// scratch value, noexcept, allocation-free once the scratch buffers have grown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiled_expr.h"

namespace saker::rules {

std::optional<TransformerKind> parse_transformer(std::string_view name);
const char* transformer_name(TransformerKind k);

// The type a transformer produces from `in` (list-ness in/out), or an error message:
// "can't add field transformer: type 'U64' is not supported by 'toupper' transformer".
std::string transformer_result(TransformerKind k, saker_field_type in, bool in_list,
                               saker_field_type* out, bool* out_list);

// Apply `k` to every value of `in` (len: to the list itself for a list), into `out`.
// A value b64 cannot decode makes the result missing (count 0).
void apply_transformer(TransformerKind k, const core::FieldValue& in, bool in_list,
                       core::FieldValue* out) noexcept;

// Standard base64 (with or without padding); false on invalid input.
bool base64_decode(std::string_view in, std::string* out);

}  // namespace saker::rules
