// Documents, positions and scalar decoding of rules files; see yaml_reader.h.
#include "yaml_reader.h"

#include "config/yaml_budget.h"

#include <algorithm>
#include <optional>

#include "yaml_documents.h"

namespace saker::rules {
namespace {

Position mark_position(const YAML::Mark& m, const std::string& file) {
  return {file, static_cast<uint32_t>(m.line + 1), static_cast<uint32_t>(m.column + 1),
          static_cast<uint32_t>(m.pos)};
}

}  // namespace

std::vector<YAML::Node> load_yaml_documents(const std::string& content, const std::string& file) {
  try {
    std::optional<YAML::Mark> m;
    std::vector<YAML::Node> docs = parse_yaml_documents(content, &m);
    if (m) {
      throw LoadError(LoadCode::kErrYamlParse,
                      "yaml-cpp: error at line " + std::to_string(m->line + 1) + ", column " +
                          std::to_string(m->column + 1) +
                          ": unexpected token where a document should start (a ',' outside "
                          "any flow collection?)",
                      Context().child("rules content", "", mark_position(*m, file)));
    }
    // A document may not expand (aliases) to more nodes than its text could hold plainly.
    const size_t budget = core::yaml_node_budget(content.size());
    size_t total = 0;
    for (const auto& d : docs) {
      total += core::expanded_yaml_nodes(d, budget - std::min(budget, total));
      if (total > budget) {
        throw LoadError(LoadCode::kErrYamlParse,
                        "the document expands to more than " + std::to_string(budget) +
                            " YAML nodes through aliases (anchors repeated inside each other)",
                        Context().child("rules content", "", mark_position(d.Mark(), file)));
      }
    }
    return docs;
  } catch (const YAML::Exception& e) {
    Position pos{file, 1, 1, 0};
    if (!e.mark.is_null()) {
      pos = mark_position(e.mark, file);
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
