// Field transformers; see transformers.h.
#include "transformers.h"

#include <cctype>

namespace saker::rules {
namespace {

constexpr struct {
  const char* name;
  TransformerKind kind;
} kTransformers[] = {{"tolower", TransformerKind::kToLower},
                     {"toupper", TransformerKind::kToUpper},
                     {"b64", TransformerKind::kB64},
                     {"basename", TransformerKind::kBasename},
                     {"len", TransformerKind::kLen}};

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

void map_case(std::string_view in, std::string* out, bool upper) {
  out->assign(in);
  for (char& c : *out) {
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c))
                                : std::tolower(static_cast<unsigned char>(c)));
  }
}

}  // namespace

std::optional<TransformerKind> parse_transformer(std::string_view name) {
  for (const auto& t : kTransformers) {
    if (name == t.name) return t.kind;
  }
  return std::nullopt;
}

const char* transformer_name(TransformerKind k) {
  for (const auto& t : kTransformers) {
    if (t.kind == k) return t.name;
  }
  return "?";
}

std::string transformer_result(TransformerKind k, saker_field_type in, bool in_list,
                               saker_field_type* out, bool* out_list) {
  const bool text = in == SAKER_FIELD_STRING;
  bool ok = false;
  *out = in;
  *out_list = in_list;
  switch (k) {
    case TransformerKind::kToLower:
    case TransformerKind::kToUpper:
    case TransformerKind::kBasename:
      ok = text;
      break;
    case TransformerKind::kB64:
      ok = text || in == SAKER_FIELD_BYTES;
      break;
    case TransformerKind::kLen:
      ok = text || in == SAKER_FIELD_BYTES || in_list;
      *out = SAKER_FIELD_U64;
      *out_list = false;
      break;
  }
  if (ok) return "";
  return std::string("can't add field transformer: type '") + core::field_type_name(in) +
         "' is not supported by '" + transformer_name(k) + "' transformer";
}

bool base64_decode(std::string_view in, std::string* out) {
  out->clear();
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < in.size() && in[i] != '='; ++i) {
    int v = b64_value(in[i]);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  for (; i < in.size(); ++i) {
    if (in[i] != '=') return false;
  }
  return true;
}

void apply_transformer(TransformerKind k, const core::FieldValue& in, bool in_list,
                       core::FieldValue* out) noexcept {
  out->count = 0;
  if (in.count == 0) return;
  if (k == TransformerKind::kLen) {
    if (out->nums.empty()) out->nums.resize(1);
    out->type = SAKER_FIELD_U64;
    out->nums[0] = in_list ? in.count : in.str(0).size();
    out->count = 1;
    return;
  }
  out->type = in.type;
  out->reserve_owned(in.count);
  for (uint32_t i = 0; i < in.count; ++i) {
    std::string_view s = in.str(i);
    std::string* o = &out->owned[i];
    switch (k) {
      case TransformerKind::kToLower:
        map_case(s, o, false);
        break;
      case TransformerKind::kToUpper:
        map_case(s, o, true);
        break;
      case TransformerKind::kBasename: {
        size_t slash = s.rfind('/');
        o->assign(slash == std::string_view::npos ? s : s.substr(slash + 1));
        break;
      }
      case TransformerKind::kB64:
        if (!base64_decode(s, o)) return;
        break;
      case TransformerKind::kLen:
        break;
    }
  }
  out->point_at_owned(in.count);
  out->count = in.count;
}

}  // namespace saker::rules
