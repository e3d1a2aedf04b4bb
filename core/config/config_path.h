// Internal to core/config: the dotted-path syntax shared by getters and `-o` overrides,
// environment-variable expansion, and merging of included files.
//
// Path grammar (a backslash makes the next character literal, so `a\.b` is one key):
//   path    = segment { "." segment }
//   segment = key { "[" digits "]" }
//   key     = 1*( any char except ". [ ] \" | "\" any char )
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace saker::core::config_detail {

// One step of a path: a map key, or a list index.
struct PathStep {
  bool is_index = false;
  std::string key;
  std::size_t index = 0;
};

// Parses a path; throws ConfigError (naming `path`) on syntax errors. "" yields no steps.
std::vector<PathStep> parse_path(std::string_view path);

// Renders steps[0, count) back as a path, for messages.
std::string path_prefix(const std::vector<PathStep>& steps, std::size_t count);

// Splits "key=value" at the first '=' not escaped by a backslash; throws ConfigError if
// there is none or the key is empty.
void split_option(std::string_view option, std::string& key, std::string& value);

// A short name for a node's kind ("a map", "a list", "a scalar 'x'", "null").
std::string describe(const YAML::Node& node);

// Expands `${VAR}` (an unset VAR becomes "" and is reported in `unset`) and turns `${{VAR}}`
// into a literal `${VAR}`. An unterminated `${` is kept as is.
std::string expand_env_string(std::string_view text, std::vector<std::string>& unset);

// Merges `incoming` (a map) into `root` (a map) with `strategy` (see MergeStrategy).
void merge_maps(YAML::Node root, const YAML::Node& incoming, MergeStrategy strategy);

}  // namespace saker::core::config_detail
