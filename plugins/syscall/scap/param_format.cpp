// Rendering of parameters to text (see param_format.h). One small function per family of
// parameter types, dispatched by format_param.
#include "param_format.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

#include "event_table.h"

namespace saker::syscall::scap {
namespace {

std::string hex_upper(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%llX", static_cast<unsigned long long>(v));
  return buf;
}

std::string octal(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%#llo", static_cast<unsigned long long>(v));
  return buf;
}

bool is_bit(std::uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

// Bit-set names in table order; a multi-bit entry wins when listed before its parts.
void append_bits(std::uint64_t& rest, const FlagTable& t, bool high_bits_only, std::string& out) {
  for (std::uint16_t k = 0; k < t.count; ++k) {
    const std::uint32_t v = t.entries[k].value;
    if (v == 0 || (rest & v) != v) continue;
    if (high_bits_only && !(is_bit(v) && v >= 128)) continue;
    if (!out.empty()) out += '|';
    out += t.entries[k].name;
    rest &= ~static_cast<std::uint64_t>(v);
  }
}

const char* exact_name(std::uint64_t value, const FlagTable& t) {
  for (std::uint16_t k = 0; k < t.count; ++k)
    if (t.entries[k].value == value) return t.entries[k].name;
  return nullptr;
}

// Every name of an enumeration value, '|'-joined (AF_LOCAL and AF_UNIX are both 1), as
// libsinsp renders enum flags.
std::string exact_names(std::uint64_t value, const FlagTable& t) {
  std::string out;
  for (std::uint16_t k = 0; k < t.count; ++k) {
    if (t.entries[k].value != value) continue;
    if (!out.empty()) out += '|';
    out += t.entries[k].name;
  }
  return out;
}

std::string printable(std::span<const std::uint8_t> p) {
  std::string s;
  s.reserve(p.size());
  for (auto c : p) s += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
  return s;
}

std::string format_fdlist(const EventView& ev, std::uint32_t i) {
  auto n = ev.param_fdlist_size(i);
  if (!n) return "";
  std::string out;
  for (std::uint16_t k = 0; k < *n; ++k) {
    auto e = ev.param_fdlist_entry(i, k);
    if (!out.empty()) out += ' ';
    out += std::to_string(e->fd) + ':' + std::to_string(e->flags);
  }
  return out;
}

std::string format_number(const EventView& ev, std::uint32_t i, const ParamInfo& pi) {
  auto v = ev.param_int(i);
  if (!v) return printable(ev.param(i));
  const bool negative_errno = (pi.type == ParamType::kErrno || pi.type == ParamType::kFd) && *v < 0;
  if (negative_errno) return format_errno(*v);
  if (pi.format == PrintFormat::kHex) return hex_upper(static_cast<std::uint64_t>(*v));
  if (pi.format == PrintFormat::kOct) return octal(static_cast<std::uint64_t>(*v));
  switch (pi.type) {
    case ParamType::kInt8:
    case ParamType::kInt16:
    case ParamType::kInt32:
    case ParamType::kInt64:
    case ParamType::kErrno:
    case ParamType::kFd:
    case ParamType::kPid:
      return std::to_string(*v);
    default:
      return std::to_string(static_cast<std::uint64_t>(*v));
  }
}

std::string format_typed(const EventView& ev, std::uint32_t i, const ParamInfo& pi) {
  switch (pi.type) {
    case ParamType::kCharBuf:
    case ParamType::kFsPath:
    case ParamType::kFsRelPath:
      return std::string(*ev.param_str(i));
    case ParamType::kByteBuf:
      return printable(ev.param(i));
    case ParamType::kSockAddr: {
      auto a = ev.param_sockaddr(i);
      return a ? format_sockaddr(*a) : printable(ev.param(i));
    }
    case ParamType::kSockTuple: {
      auto t = ev.param_socktuple(i);
      return t ? format_socktuple(*t) : printable(ev.param(i));
    }
    case ParamType::kFdList:
      return format_fdlist(ev, i);
    case ParamType::kFlags8:
    case ParamType::kFlags16:
    case ParamType::kFlags32:
    case ParamType::kMode:
    case ParamType::kEnumFlags8:
    case ParamType::kEnumFlags16:
    case ParamType::kEnumFlags32: {
      auto v = ev.param_uint(i);
      if (!v) return printable(ev.param(i));
      const bool is_enum = pi.type >= ParamType::kEnumFlags8;
      if (pi.type == ParamType::kMode)
        return octal(*v) + "(" + format_flags(*v, pi.flags, false) + ")";
      const std::string names = format_flags(*v, pi.flags, is_enum);
      return names.empty() ? std::to_string(*v) : std::to_string(*v) + "(" + names + ")";
    }
    case ParamType::kDyn: {
      auto p = ev.param(i);
      if (p.size() < 2) return printable(p);
      std::uint64_t v = 0;
      std::memcpy(&v, p.data() + 1, std::min<std::size_t>(8, p.size() - 1));
      return std::to_string(v);
    }
    default:
      return format_number(ev, i, pi);
  }
}

}  // namespace

std::string format_errno(std::int64_t value) {
  std::string s = std::to_string(value);
  if (value < 0 && value > -4096) {
    if (const char* n = strerrorname_np(static_cast<int>(-value))) s += std::string("(") + n + ")";
  }
  return s;
}

std::string format_flags(std::uint64_t value, const FlagTable* table, bool enum_like) {
  if (!table || table->count == 0) return "";
  if (enum_like) {
    if (std::string all = exact_names(value, *table); !all.empty()) return all;
  } else if (const char* n = exact_name(value, *table); n && value == 0) {
    return n;
  }
  std::string out;
  std::uint64_t rest = value;
  if (enum_like) {
    append_bits(rest, *table, true, out);
    if (std::string n = exact_names(rest, *table); !n.empty()) out += out.empty() ? n : "|" + n;
    return out;
  }
  append_bits(rest, *table, false, out);
  return out;
}

std::string format_endpoint(std::uint8_t family, const IpEndpoint& ep) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == 10 ? AF_INET6 : AF_INET, ep.addr.data(), buf, sizeof buf);
  return std::string(buf) + ':' + std::to_string(ep.port);
}

std::string format_sockaddr(const SockAddr& a) {
  if (a.family == 2 || a.family == 10) return format_endpoint(a.family, a.ip);
  if (a.family == 1) return std::string(a.unix_path);
  return "family " + std::to_string(a.family);
}

std::string format_socktuple(const SockTuple& t) {
  if (t.family == 1) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%llx->%llx ", static_cast<unsigned long long>(t.unix_src),
                  static_cast<unsigned long long>(t.unix_dst));
    return buf + std::string(t.unix_path);
  }
  return format_endpoint(t.family, t.src) + "->" + format_endpoint(t.family, t.dst);
}

std::string format_param(const EventView& ev, std::uint32_t i) {
  if (!ev.has_param(i)) return "";
  if (ev.param(i).empty()) return "NULL";
  const EventInfo& e = ev.info();
  if (i >= e.nparams) return printable(ev.param(i));
  return format_typed(ev, i, e.params[i]);
}

std::string format_args(const EventView& ev) {
  std::string out;
  const EventInfo& e = ev.info();
  for (std::uint32_t i = 0; i < ev.nparams(); ++i) {
    if (!out.empty()) out += ' ';
    out += i < e.nparams ? e.params[i].name : ("arg" + std::to_string(i)).c_str();
    out += '=';
    out += format_param(ev, i);
  }
  return out;
}

}  // namespace saker::syscall::scap
