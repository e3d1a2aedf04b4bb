// `-o key.path=value` overrides: the last layer, applied after the main file and config_files.
//
// Values are YAML so that lists and maps can be given on the command line
// (`-o rules_files=[a.yaml,b.yaml]`, `-o 'webserver={enabled: false}'`). But a command line
// is not a YAML document: `-o program_output.program=jq '{text: .output}' | curl ...` must
// stay one string, not become a map, and `a #b` must keep its `#b`. So only text that looks
// like a flow collection ([...] / {...}) is parsed as YAML; anything else is taken verbatim
// as a string (yaml-cpp converts it to bool/int/double on read), except YAML's spellings of
// null (`~`, `null`), which set the key to null so getters fall back to their default.
#include <yaml-cpp/yaml.h>

#include "config.h"
#include "config_path.h"

namespace saker::core {
namespace {

using config_detail::describe;
using config_detail::path_prefix;
using config_detail::PathStep;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool is_absent(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

// Why `steps` cannot be set in `root` (empty message if it can), and the offending node.
struct PathConflict {
  YAML::Node node{YAML::NodeType::Undefined};
  std::string message;
};

PathConflict find_conflict(const YAML::Node& root, const std::vector<PathStep>& steps) {
  YAML::Node cur = root;
  std::size_t size = 0;  // size of a list that is about to be created
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const PathStep& step = steps[i];
    const YAML::Node& c = cur;  // const access: never inserts
    if (!is_absent(c)) {
      const bool ok = step.is_index ? c.IsSequence() : c.IsMap();
      if (!ok) {
        return {c, "'" + path_prefix(steps, i) + "' is " + describe(c) +
                       (step.is_index ? ", not a list" : ", not a map")};
      }
      size = c.IsSequence() ? c.size() : 0;
    } else {
      size = 0;
    }
    if (step.is_index && step.index > size) {
      return {YAML::Node(YAML::NodeType::Undefined),
              "index " + std::to_string(step.index) + " is out of range for '" +
                  path_prefix(steps, i) + "', a list of " + std::to_string(size) +
                  " element(s); use an index up to " + std::to_string(size) + " (which appends)"};
    }
    if (is_absent(c)) {
      cur.reset(YAML::Node(YAML::NodeType::Null));  // everything below is created fresh
    } else if (step.is_index) {
      cur.reset(step.index < size ? c[step.index] : YAML::Node(YAML::NodeType::Null));
    } else {
      // A missing key yields an invalid (zombie) handle, which reset() refuses.
      const YAML::Node child = c[step.key];
      cur.reset(child.IsDefined() ? child : YAML::Node(YAML::NodeType::Null));
    }
  }
  return {};
}

}  // namespace

YAML::Node Config::parse_override_value(const std::string& text, const std::string& option) {
  const std::string_view trimmed = trim(text);
  YAML::Node value(text);  // verbatim by default; an empty value is the empty string
  if (!trimmed.empty() && (trimmed.front() == '[' || trimmed.front() == '{')) {
    try {
      value.reset(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      throw ConfigError("invalid value in option '" + option + "': " + e.msg, "-o");
    }
  } else if (trimmed == "~" || trimmed == "null" || trimmed == "Null" || trimmed == "NULL") {
    value.reset(YAML::Node(YAML::NodeType::Null));
  }
  expand_env(value, "-o " + option);
  return value;
}

void Config::apply_override(const std::string& option) {
  std::string key;
  std::string text;
  config_detail::split_option(option, key, text);
  std::vector<PathStep> steps;
  try {
    steps = config_detail::parse_path(key);
  } catch (const ConfigError& e) {
    throw ConfigError("invalid option '" + option + "': " + e.message(), "-o");
  }
  if (steps.front().is_index) {
    throw ConfigError("invalid option '" + option + "': the configuration root is a map", "-o");
  }
  const YAML::Node value = parse_override_value(text, option);

  // Validate first so that a rejected option leaves the tree untouched.
  if (const PathConflict conflict = find_conflict(root_, steps); !conflict.message.empty()) {
    const std::string message = "option '" + option + "': " + conflict.message;
    if (conflict.node.IsDefined()) throw error_at(conflict.node, message);
    throw ConfigError(message, "-o");
  }
  // Walk down, creating what is missing. `cur.reset()` moves the handle; plain assignment
  // to a yaml-cpp handle would instead overwrite the node it refers to.
  YAML::Node cur = root_;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const PathStep& step = steps[i];
    if (is_absent(cur)) {
      cur = YAML::Node(step.is_index ? YAML::NodeType::Sequence : YAML::NodeType::Map);
    }
    YAML::Node next;
    if (step.is_index) {
      if (step.index == cur.size()) cur.push_back(YAML::Node(YAML::NodeType::Null));
      next.reset(cur[step.index]);
    } else {
      next.reset(cur[step.key]);  // inserts an (undefined until assigned) entry if missing
    }
    if (i + 1 == steps.size()) {
      next = value;  // rebinds the tree's node to the value
    } else {
      cur.reset(next);
    }
  }
  sources_.push_back(Source{"-o " + option, value});
}

}  // namespace saker::core
