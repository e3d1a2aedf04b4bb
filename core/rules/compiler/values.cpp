// Constant parsing per field type; see values.h.
#include "values.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace saker::rules {

uint64_t parse_number(const std::string& text, saker_field_type t) {
  const char* b = text.data();
  const char* e = b + text.size();
  bool neg = false;
  if (b != e && (*b == '+' || *b == '-')) neg = *b++ == '-';
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(b, e, v);
  if (b == e || ec != std::errc() || p != e) {
    throw CompileError(text + " is not a valid number");
  }
  if (t == SAKER_FIELD_S64 && v > (neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) {
    throw CompileError(text + " is not a valid number");
  }
  return neg ? uint64_t{0} - v : v;
}

uint64_t parse_bool(const std::string& text) {
  if (text == "true") return 1;
  if (text == "false") return 0;
  throw CompileError(text + " is not a valid boolean value: use true or false");
}

IpConstant parse_ip(const std::string& text) {
  IpConstant c;
  std::string addr = text;
  size_t slash = text.find('/');
  if (slash != std::string::npos) {
    addr = text.substr(0, slash);
    c.is_net = true;
  }
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    c.addr.assign(reinterpret_cast<char*>(buf), 4);
  } else if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    c.addr.assign(reinterpret_cast<char*>(buf), 16);
  } else {
    throw CompileError(text + " is not a valid IP address or network");
  }
  const uint32_t max = static_cast<uint32_t>(c.addr.size() * 8);
  c.prefix = max;
  if (c.is_net) {
    const std::string p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), c.prefix);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || c.prefix > max) {
      throw CompileError(text + " is not a valid IP network");
    }
  }
  return c;
}

std::string parse_hex(const std::string& text) {
  auto nibble = [&](char ch) -> int {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    throw CompileError("bcontains and bstartswith operator support hex strings only");
  };
  if (text.size() % 2 != 0) {
    throw CompileError("bcontains and bstartswith operator support hex strings only");
  }
  std::string out;
  for (size_t i = 0; i < text.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(text[i]) * 16 + nibble(text[i + 1])));
  }
  return out;
}

void check_string_value(const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    throw CompileError("filter value cannot contain a NUL byte");
  }
}

bool ip_matches(std::string_view raw, const IpConstant& net) noexcept {
  size_t len = raw.size() == 5 || raw.size() == 17 ? raw.size() - 1 : raw.size();
  if (len != net.addr.size()) return false;
  const uint32_t full = net.prefix / 8;
  if (std::memcmp(raw.data(), net.addr.data(), full) != 0) return false;
  const uint32_t bits = net.prefix % 8;
  if (bits == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - bits));
  return (static_cast<unsigned char>(raw[full]) & mask) ==
         (static_cast<unsigned char>(net.addr[full]) & mask);
}

}  // namespace saker::rules
