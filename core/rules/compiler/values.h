// Constants of a check, parsed once at compile time for the left field's type
// (RULE-LANGUAGE.md §2.8.3): decimal integers only, `true`/`false` for booleans, IPv4/IPv6
// addresses and CIDR networks, hex strings for bcontains/bstartswith, and strings
// verbatim (a NUL byte is refused). Every function throws CompileError with Falco's text.
#pragma once

#include <saker_plugin_api.h>

#include <stdexcept>
#include <string>

#include "compiled_expr.h"

namespace saker::rules {

struct CompileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// U64 / RELTIME / ABSTIME: optional sign (a negative value wraps, as sscanf does);
// S64: signed. Anything but [+-]digits -> "<v> is not a valid number".
uint64_t parse_number(const std::string& text, saker_field_type t);
uint64_t parse_bool(const std::string& text);
// An address ("10.0.0.1", "::1") or a network ("10.0.0.0/8"). For a network field a
// bare address is a /32 (/128) network.
IpConstant parse_ip(const std::string& text);
// "48545450" -> "HTTP"; odd length or non-hex digits -> CompileError.
std::string parse_hex(const std::string& text);
void check_string_value(const std::string& text);

// Does the address `raw` (4 or 16 bytes, optionally followed by a prefix byte) fall in
// `net` (or equal `net` when it is a plain address)?
bool ip_matches(std::string_view raw, const IpConstant& net) noexcept;

}  // namespace saker::rules
