// YAML access for rules files: documents, positions, and Falco's scalar decoding rules.
//
// yaml-cpp keeps every scalar as a string; values are converted on demand exactly as
// Falco's loader does (RULE-LANGUAGE.md §1.1–§1.2): booleans y|n|yes|no|true|false|on|off
// in lower, UPPER or Capitalized form; unsigned integers in decimal; `key:` (null) differs
// from `key: ""`. Every problem throws LoadError(LOAD_ERR_YAML_VALIDATE) with the exact
// message and a "value for <key>" location.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "diagnostics.h"

namespace saker::rules {

// Parses every YAML document of `content`; throws LoadError(LOAD_ERR_YAML_PARSE).
std::vector<YAML::Node> load_yaml_documents(const std::string& content, const std::string& file);

// The node's position (1-based line/column), or `fallback` if the node has none.
Position position_of(const YAML::Node& node, const std::string& file, const Position& fallback);

bool decode_bool(const std::string& text, bool& out);
bool decode_uint32(const std::string& text, uint32_t& out);

// Reads the keys of one mapping item. Borrows the node; cheap to construct.
class ItemDecoder {
 public:
  ItemDecoder(const YAML::Node& item, Context ctx, std::string file)
      : item_(item), ctx_(std::move(ctx)), file_(std::move(file)) {}

  const YAML::Node& node() const { return item_; }
  const Context& ctx() const { return ctx_; }
  const std::string& file() const { return file_; }
  bool has(const std::string& key) const { return item_[key].IsDefined(); }
  // Context for the value of `key` ("value for" location).
  Context value_ctx(const std::string& key) const;
  Position position(const YAML::Node& n) const;

  // decode_val: missing -> error if required else nullopt; null -> "Mapping for key ... is
  // empty" unless can_be_empty (then ""); non-scalar, "" and bad conversions are errors.
  std::optional<std::string> string(const std::string& key, bool required,
                                    bool can_be_empty = false) const;
  std::optional<bool> boolean(const std::string& key, bool required) const;
  std::optional<uint32_t> uint32(const std::string& key, bool required) const;
  // A sequence of scalars (elements may be ""); nullopt if absent and not required.
  std::optional<std::vector<std::string>> string_seq(const std::string& key, bool required) const;

 private:
  [[noreturn]] void fail(const std::string& msg, const Context& ctx) const;

  YAML::Node item_;
  Context ctx_;
  std::string file_;
};

}  // namespace saker::rules
