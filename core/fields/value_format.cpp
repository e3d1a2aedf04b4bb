// Text and JSON rendering of field values.
#include "value_format.h"

#include <arpa/inet.h>

namespace saker::core {

std::string format_ip(std::string_view raw, bool is_net) {
  size_t alen = is_net ? raw.size() - 1 : raw.size();
  char buf[INET6_ADDRSTRLEN] = {0};
  if (alen == 4) {
    inet_ntop(AF_INET, raw.data(), buf, sizeof(buf));
  } else if (alen == 16) {
    inet_ntop(AF_INET6, raw.data(), buf, sizeof(buf));
  } else {
    return kNotAvailable;
  }
  std::string s(buf);
  if (is_net) s += "/" + std::to_string(static_cast<unsigned char>(raw.back()));
  return s;
}

namespace {

void render_one(const FieldDef& def, const FieldValue& v, uint32_t i, std::string* out) {
  switch (v.type) {
    case SAKER_FIELD_STRING:
    case SAKER_FIELD_BYTES:
      out->append(v.str(i));
      break;
    case SAKER_FIELD_S64:
      out->append(std::to_string(static_cast<int64_t>(v.nums[i])));
      break;
    case SAKER_FIELD_BOOL:
      out->append(v.nums[i] ? "true" : "false");
      break;
    case SAKER_FIELD_IPADDR:
      out->append(format_ip(v.str(i), false));
      break;
    case SAKER_FIELD_IPNET:
      out->append(format_ip(v.str(i), true));
      break;
    default:
      out->append(std::to_string(v.nums[i]));
      break;
  }
  (void)def;
}

}  // namespace

// Control characters of a value would let it forge a second alert line or drive the
// operator's terminal (ANSI escapes): in text they are written as \n, \r, \t or \xHH.
// JSON output escapes them its own way (render_json keeps the raw value).
void escape_controls(std::string* out, size_t from) {
  size_t i = from;
  while (i < out->size() && static_cast<unsigned char>((*out)[i]) >= 0x20 && (*out)[i] != 0x7f) ++i;
  if (i == out->size()) return;  // the usual case: nothing to escape, no copy
  std::string tail = out->substr(i);
  out->resize(i);
  static const char* hex = "0123456789abcdef";
  for (char ch : tail) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out->push_back(ch);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else {
      out->append("\\x");
      out->push_back(hex[c >> 4]);
      out->push_back(hex[c & 15]);
    }
  }
}

void render_text(const FieldDef& def, const FieldValue& v, std::string* out) {
  const size_t before = out->size();
  render_text_raw(def, v, out);
  escape_controls(out, before);
}

void render_text_raw(const FieldDef& def, const FieldValue& v, std::string* out) {
  if (v.count == 0) {
    out->append(kNotAvailable);
    return;
  }
  if (def.render) {
    def.render(v, out);
    return;
  }
  if (!def.is_list()) {
    render_one(def, v, 0, out);
    return;
  }
  out->push_back('(');
  for (uint32_t i = 0; i < v.count; ++i) {
    if (i) out->push_back(',');
    render_one(def, v, i, out);
  }
  out->push_back(')');
}

nlohmann::json render_json(const FieldDef& def, const FieldValue& v) {
  if (v.count == 0) return nullptr;
  auto one = [&](uint32_t i) -> nlohmann::json {
    switch (v.type) {
      case SAKER_FIELD_STRING:
      case SAKER_FIELD_BYTES:
        return std::string(v.str(i));
      case SAKER_FIELD_S64:
        return static_cast<int64_t>(v.nums[i]);
      case SAKER_FIELD_BOOL:
        return v.nums[i] != 0;
      case SAKER_FIELD_IPADDR:
        return format_ip(v.str(i), false);
      case SAKER_FIELD_IPNET:
        return format_ip(v.str(i), true);
      default:
        return v.nums[i];
    }
  };
  if (!def.is_list()) return one(0);
  nlohmann::json arr = nlohmann::json::array();
  for (uint32_t i = 0; i < v.count; ++i) arr.push_back(one(i));
  return arr;
}

}  // namespace saker::core
