// JSON views; see json_view.h. Scanning a value's extent is the only primitive: it
// follows strings and brackets and stops at the matching close, so a member lookup costs
// one pass over the members before it, with no allocation.
#include "json_view.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace saker::cloudtrail::jv {
namespace {

constexpr int kMaxDepth = 512;

inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_ws(View t, size_t i) {
  while (i < t.size() && is_ws(t[i])) ++i;
  return i;
}

// The end (one past) of the string starting at t[i] == '"', or npos.
size_t string_end(View t, size_t i) {
  const char* d = t.data();
  const size_t n = t.size();
  for (++i; i < n;) {
    const char* q = static_cast<const char*>(memchr(d + i, '"', n - i));
    if (!q) return View::npos;
    const size_t end = static_cast<size_t>(q - d);
    const char* bs = static_cast<const char*>(memchr(d + i, '\\', end - i));
    if (!bs) return end + 1;
    i = static_cast<size_t>(bs - d) + 2;  // skip the escape and the escaped character
  }
  return View::npos;
}

// The end (one past) of the value starting at t[i], or npos.
size_t value_end(View t, size_t i) {
  if (i >= t.size()) return View::npos;
  const char c = t[i];
  if (c == '"') return string_end(t, i);
  if (c == '{' || c == '[') {
    int depth = 0;
    for (; i < t.size(); ++i) {
      const char d = t[i];
      if (d == '"') {
        i = string_end(t, i);
        if (i == View::npos) return i;
        --i;
      } else if (d == '{' || d == '[') {
        if (++depth > kMaxDepth) return View::npos;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
    }
    return View::npos;
  }
  size_t j = i;
  while (j < t.size() && !is_ws(t[j]) && t[j] != ',' && t[j] != '}' && t[j] != ']' && t[j] != ':')
    ++j;
  return j == i ? View::npos : j;
}

void append_utf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

int hex4(View s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    const char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

bool key_equals(View raw_key, std::string_view key) {
  if (raw_key.size() < 2) return false;
  View inner = raw_key.substr(1, raw_key.size() - 2);
  if (inner.find('\\') == View::npos) return inner == key;
  return decode(raw_key) == key;
}

}  // namespace

std::optional<View> value_at(View text) {
  size_t i = skip_ws(text, 0);
  size_t e = value_end(text, i);
  if (e == View::npos) return std::nullopt;
  return text.substr(i, e - i);
}

bool for_each_member(View obj, const std::function<bool(View, View)>& fn) {
  size_t i = skip_ws(obj, 0);
  if (i >= obj.size() || obj[i] != '{') return false;
  i = skip_ws(obj, i + 1);
  if (i < obj.size() && obj[i] == '}') return true;
  while (i < obj.size() && obj[i] == '"') {
    size_t ke = string_end(obj, i);
    if (ke == View::npos) return false;
    View key = obj.substr(i, ke - i);
    i = skip_ws(obj, ke);
    if (i >= obj.size() || obj[i] != ':') return false;
    i = skip_ws(obj, i + 1);
    size_t ve = value_end(obj, i);
    if (ve == View::npos) return false;
    if (!fn(key, obj.substr(i, ve - i))) return true;
    i = skip_ws(obj, ve);
    if (i < obj.size() && obj[i] == '}') return true;
    if (i >= obj.size() || obj[i] != ',') return false;
    i = skip_ws(obj, i + 1);
  }
  return false;
}

std::optional<View> member(View obj, std::string_view key) {
  // The hot path of field extraction: a direct loop rather than for_each_member.
  size_t i = skip_ws(obj, 0);
  if (i >= obj.size() || obj[i] != '{') return std::nullopt;
  i = skip_ws(obj, i + 1);
  while (i < obj.size() && obj[i] == '"') {
    size_t ke = string_end(obj, i);
    if (ke == View::npos) return std::nullopt;
    const bool match = key_equals(obj.substr(i, ke - i), key);
    i = skip_ws(obj, ke);
    if (i >= obj.size() || obj[i] != ':') return std::nullopt;
    i = skip_ws(obj, i + 1);
    size_t ve = value_end(obj, i);
    if (ve == View::npos) return std::nullopt;
    if (match) return obj.substr(i, ve - i);
    i = skip_ws(obj, ve);
    if (i >= obj.size() || obj[i] != ',') return std::nullopt;
    i = skip_ws(obj, i + 1);
  }
  return std::nullopt;
}

std::optional<View> path(View obj, std::initializer_list<std::string_view> keys) {
  std::optional<View> cur = obj;
  for (auto k : keys) {
    cur = member(*cur, k);
    if (!cur) return std::nullopt;
  }
  return cur;
}

bool for_each(View arr, const std::function<bool(View)>& fn) {
  size_t i = skip_ws(arr, 0);
  if (i >= arr.size() || arr[i] != '[') return false;
  i = skip_ws(arr, i + 1);
  if (i < arr.size() && arr[i] == ']') return true;
  while (i < arr.size()) {
    size_t ve = value_end(arr, i);
    if (ve == View::npos) return false;
    if (!fn(arr.substr(i, ve - i))) return true;
    i = skip_ws(arr, ve);
    if (i >= arr.size() || arr[i] != ',') return true;
    i = skip_ws(arr, i + 1);
  }
  return true;
}

std::optional<View> element(View arr, size_t index) {
  std::optional<View> out;
  size_t n = 0;
  for_each(arr, [&](View v) {
    if (n++ == index) {
      out = v;
      return false;
    }
    return true;
  });
  return out;
}

namespace {
std::optional<size_t> parse_index(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  return v;
}

std::optional<View> step(View v, std::string_view token) {
  if (is_object(v)) return member(v, token);
  if (is_array(v)) {
    auto idx = parse_index(token);
    return idx ? element(v, *idx) : std::nullopt;
  }
  return std::nullopt;
}
}  // namespace

std::optional<View> dotted(View v, std::string_view p) {
  std::optional<View> cur = value_at(v);
  while (cur && !p.empty()) {
    size_t dot = p.find('.');
    cur = step(*cur, p.substr(0, dot));
    p = dot == std::string_view::npos ? std::string_view() : p.substr(dot + 1);
  }
  return cur;
}

std::optional<View> pointer(View v, std::string_view ptr) {
  std::optional<View> cur = value_at(v);
  if (ptr.empty()) return cur;
  if (ptr.front() != '/') return std::nullopt;
  std::string token;
  size_t i = 1;
  while (cur) {
    token.clear();
    while (i < ptr.size() && ptr[i] != '/') {
      if (ptr[i] == '~' && i + 1 < ptr.size() && (ptr[i + 1] == '0' || ptr[i + 1] == '1')) {
        token.push_back(ptr[i + 1] == '0' ? '~' : '/');
        i += 2;
      } else if (ptr[i] == '~') {
        return std::nullopt;  // not a valid pointer
      } else {
        token.push_back(ptr[i++]);
      }
    }
    cur = step(*cur, token);
    if (i >= ptr.size()) break;
    ++i;  // the '/'
  }
  return cur;
}

std::string decode(View s) {
  std::string out;
  if (s.size() < 2 || s.front() != '"') return out;
  View in = s.substr(1, s.size() - 2);
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= in.size()) break;
    switch (in[i]) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'u': {
        int hi = hex4(in, i + 1);
        if (hi < 0) {
          append_utf8(&out, 0xFFFD);
          break;
        }
        i += 4;
        uint32_t cp = static_cast<uint32_t>(hi);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          int lo =
              (i + 2 < in.size() && in[i + 1] == '\\' && in[i + 2] == 'u') ? hex4(in, i + 3) : -1;
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        append_utf8(&out, cp);
        break;
      }
      default:
        out.push_back(in[i]);
        break;  // \" \\ \/ (and anything else, kept)
    }
  }
  return out;
}

bool string_equals(View v, std::string_view s) {
  if (!is_string(v) || v.size() < 2) return false;
  View inner = v.substr(1, v.size() - 2);
  if (inner.find('\\') == View::npos) return inner == s;
  return decode(v) == s;
}

std::optional<std::string> text(std::optional<View> v) {
  if (!v || is_null(*v)) return std::nullopt;
  if (is_string(*v)) return decode(*v);
  return std::string(*v);
}

std::optional<bool> boolean(std::optional<View> v) {
  if (!v) return std::nullopt;
  if (*v == "true" || string_equals(*v, "true")) return true;
  if (*v == "false" || string_equals(*v, "false")) return false;
  return std::nullopt;
}

std::optional<uint64_t> unsigned_number(std::optional<View> v) {
  if (!v || v->empty()) return std::nullopt;
  std::string s(is_string(*v) ? decode(*v) : std::string(*v));
  if (s.empty() || s[0] == '-') return std::nullopt;
  char* end = nullptr;
  if (s.find_first_not_of("0123456789") == std::string::npos && s.size() <= 19) {
    return std::strtoull(s.c_str(), &end, 10);
  }
  double d = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || *end != '\0' || !std::isfinite(d) || d < 0 || d >= 1.8e19)
    return std::nullopt;
  return static_cast<uint64_t>(d);
}

}  // namespace saker::cloudtrail::jv
