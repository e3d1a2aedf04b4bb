// Dotted-path parsing and option splitting for core/config (grammar in config_path.h).
#include "config_path.h"

#include <charconv>

namespace saker::core::config_detail {
namespace {

[[noreturn]] void bad_path(std::string_view path, const std::string& why) {
  throw ConfigError("invalid configuration path '" + std::string(path) + "': " + why);
}

// Reads "[digits]" at path[i] (which is '['); returns the index, advances i past ']'.
std::size_t read_index(std::string_view path, std::size_t& i) {
  const std::size_t close = path.find(']', i);
  if (close == std::string_view::npos) bad_path(path, "missing ']'");
  const std::string_view digits = path.substr(i + 1, close - i - 1);
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    bad_path(path, "list index '" + std::string(digits) + "' is not a non-negative integer");
  }
  i = close + 1;
  return index;
}

}  // namespace

std::vector<PathStep> parse_path(std::string_view path) {
  std::vector<PathStep> steps;
  if (path.empty()) return steps;
  std::size_t i = 0;
  while (true) {
    // A key; only the first segment may omit it, and only before an index (`[0].x`).
    std::string key;
    while (i < path.size() && path[i] != '.' && path[i] != '[') {
      if (path[i] == ']') bad_path(path, "unexpected ']'");
      if (path[i] == '\\') {
        if (++i == path.size()) bad_path(path, "trailing backslash");
      }
      key += path[i++];
    }
    if (!key.empty()) {
      steps.push_back(PathStep{false, key, 0});
    } else if (!(steps.empty() && i < path.size() && path[i] == '[')) {
      bad_path(path, "empty key");
    }
    while (i < path.size() && path[i] == '[')
      steps.push_back(PathStep{true, {}, read_index(path, i)});
    if (i == path.size()) break;
    if (path[i] != '.') bad_path(path, "expected '.' or '[' after ']'");
    if (++i == path.size()) bad_path(path, "trailing '.'");
  }
  return steps;
}

std::string path_prefix(const std::vector<PathStep>& steps, std::size_t count) {
  std::string out;
  for (std::size_t n = 0; n < count && n < steps.size(); ++n) {
    const PathStep& s = steps[n];
    if (s.is_index) {
      out += "[" + std::to_string(s.index) + "]";
      continue;
    }
    if (!out.empty()) out += '.';
    for (char c : s.key) {
      if (c == '.' || c == '[' || c == ']' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out.empty() ? std::string("<root>") : out;
}

void split_option(std::string_view option, std::string& key, std::string& value) {
  for (std::size_t i = 0; i < option.size(); ++i) {
    if (option[i] == '\\') {
      ++i;  // the next character is literal, '=' included
    } else if (option[i] == '=') {
      key.assign(option.substr(0, i));
      value.assign(option.substr(i + 1));
      if (key.empty()) break;
      return;
    }
  }
  throw ConfigError("invalid option '" + std::string(option) + "': expected key.path=value", "-o");
}

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "the scalar '" + node.Scalar() + "'";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "undefined";
  }
}

}  // namespace saker::core::config_detail
