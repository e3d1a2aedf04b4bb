// One pass over one CloudTrail record: checks that it is a single, well-formed JSON
// value (RFC 8259 grammar, UTF-8 strings, nesting bounded) and writes it out without
// the whitespace between tokens. Records leave the source in this compact form, so the
// field extractor scans fewer bytes and the object-valued fields (ct.request, ...) can
// hand out the record's own bytes. Pure function of its input; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace saker::cloudtrail {

struct CheckResult {
  bool ok = false;
  size_t error_offset = 0;  // byte offset in the input where the first error was seen
  const char* error = "";   // static text naming the error
};

// Checks `in` and appends its compact form to `*out` (cleared first). On failure,
// `*out` holds a prefix and must be ignored.
CheckResult compact_json(std::string_view in, size_t max_depth, std::string* out);

}  // namespace saker::cloudtrail
