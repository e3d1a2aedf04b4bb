// Documents, positions and scalar decoding of rules files; see yaml_reader.h.
#include "yaml_reader.h"

namespace saker::rules {
namespace {

// yaml-cpp 0.7 never returns when a document starts with a ',' flow entry (found by
// rules_loader_fuzz: ",\n" alone hangs it). Such input is not a rules file anyway: find a
// line that begins with ',' at column 0 outside any flow collection, or a first content
// line beginning with ','. Returns its 1-based line number, 0 if none. Approximate flow
// tracking (quotes and comments skipped) is enough: it only has to catch the hang.
uint32_t stray_flow_entry_line(const std::string& content) {
  int depth = 0;
  bool seen_content = false;
  uint32_t line = 1;
  for (size_t i = 0; i < content.size(); ++line) {
    size_t end = content.find('\n', i);
    if (end == std::string::npos) end = content.size();
    std::string_view l(content.data() + i, end - i);
    size_t first = l.find_first_not_of(" \t\r");
    bool blank = first == std::string_view::npos || l[first] == '#' || l[first] == '%' ||
                 l.substr(0, 3) == "---";
    if (!blank && depth <= 0 && l[first] == ',' && (first == 0 || !seen_content)) return line;
    seen_content = seen_content || !blank;
    char quote = 0;
    for (size_t k = 0; k < l.size(); ++k) {
      char c = l[k];
      if (quote) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (k == 0 || l[k - 1] == ' ')) {
        break;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        --depth;
      }
    }
    i = end + 1;
  }
  return 0;
}

}  // namespace

std::vector<YAML::Node> load_yaml_documents(const std::string& content, const std::string& file) {
  if (uint32_t line = stray_flow_entry_line(content)) {
    Context ctx = Context().child("rules content", "", Position{file, line, 1, 0});
    throw LoadError(LoadCode::kErrYamlParse,
                    "yaml-cpp: error at line " + std::to_string(line) +
                        ", column 1: illegal flow entry ',' outside a flow collection",
                    ctx);
  }
  try {
    return YAML::LoadAll(content);
  } catch (const YAML::Exception& e) {
    Position pos{file, 1, 1, 0};
    if (!e.mark.is_null()) {
      pos = {file, static_cast<uint32_t>(e.mark.line + 1), static_cast<uint32_t>(e.mark.column + 1),
             static_cast<uint32_t>(e.mark.pos)};
    }
    Context ctx;
    throw LoadError(LoadCode::kErrYamlParse, e.what(), ctx.child("rules content", "", pos));
  }
}

Position position_of(const YAML::Node& node, const std::string& file, const Position& fallback) {
  if (!node.IsDefined()) return fallback;
  YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0) return fallback;
  return {file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1),
          static_cast<uint32_t>(m.pos)};
}

bool decode_bool(const std::string& text, bool& out) {
  static const char* kTrue[] = {"y",    "Y",    "yes", "Yes", "YES", "true",
                                "True", "TRUE", "on",  "On",  "ON"};
  static const char* kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                 "False", "FALSE", "off", "Off", "OFF"};
  for (const char* t : kTrue) {
    if (text == t) return out = true, true;
  }
  for (const char* f : kFalse) {
    if (text == f) return out = false, true;
  }
  return false;
}

bool decode_uint32(const std::string& text, uint32_t& out) {
  if (text.empty() || text.size() > 10) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

Position ItemDecoder::position(const YAML::Node& n) const {
  const Position* p = ctx_.innermost();
  return position_of(n, file_, p ? *p : Position{file_, 1, 1, 0});
}

Context ItemDecoder::value_ctx(const std::string& key) const {
  return ctx_.child("value for", key, position(item_[key]));
}

void ItemDecoder::fail(const std::string& msg, const Context& ctx) const {
  throw LoadError(LoadCode::kErrYamlValidate, msg, ctx);
}

std::optional<std::string> ItemDecoder::string(const std::string& key, bool required,
                                               bool can_be_empty) const {
  YAML::Node v = item_[key];
  if (!v.IsDefined()) {
    if (required) fail("Item has no mapping for key '" + key + "'", ctx_);
    return std::nullopt;
  }
  Context vctx = value_ctx(key);
  if (v.IsNull()) {
    if (can_be_empty) return std::string();
    fail("Mapping for key '" + key + "' is empty", vctx);
  }
  if (!v.IsScalar()) fail("Value is not a scalar value", vctx);
  std::string s = v.Scalar();
  if (s.empty() && !can_be_empty) fail("Value must be non-empty", vctx);
  return s;
}

std::optional<bool> ItemDecoder::boolean(const std::string& key, bool required) const {
  auto s = string(key, required);
  if (!s) return std::nullopt;
  bool out = false;
  if (!decode_bool(*s, out)) fail("Can't decode YAML scalar value", value_ctx(key));
  return out;
}

std::optional<uint32_t> ItemDecoder::uint32(const std::string& key, bool required) const {
  auto s = string(key, required);
  if (!s) return std::nullopt;
  uint32_t out = 0;
  if (!decode_uint32(*s, out)) fail("Can't decode YAML scalar value", value_ctx(key));
  return out;
}

std::optional<std::vector<std::string>> ItemDecoder::string_seq(const std::string& key,
                                                                bool required) const {
  YAML::Node v = item_[key];
  if (!v.IsDefined()) {
    if (required) fail("Item has no mapping for key '" + key + "'", ctx_);
    return std::nullopt;
  }
  Context vctx = value_ctx(key);
  if (v.IsNull()) fail("Mapping for key '" + key + "' is empty", vctx);
  if (!v.IsSequence()) fail("Value is not a sequence", vctx);
  std::vector<std::string> out;
  for (const YAML::Node& e : v) {
    if (!e.IsScalar())
      fail("sequence value is not scalar", vctx.child("list item", "", position(e)));
    out.push_back(e.Scalar());
  }
  return out;
}

}  // namespace saker::rules
