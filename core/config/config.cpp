// Loading and layering of the configuration (main file, then `config_files`), and typed
// lookups. Overrides live in overrides.cpp, env expansion in env_expand.cpp, merge
// strategies in merge.cpp.
#include "config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "yaml_budget.h"

#include "config_path.h"

namespace saker::core {
namespace fs = std::filesystem;
using config_detail::describe;

namespace {

std::string format_location(const std::string& message, const std::string& file, int line,
                            int column) {
  std::string out;
  if (!file.empty()) out += file + ":";
  if (line > 0) out += std::to_string(line) + ":";
  if (line > 0 && column > 0) out += std::to_string(column) + ":";
  return out.empty() ? message : out + " " + message;
}

// Largest configuration file read (saker's own is a few KiB).
constexpr std::uintmax_t kMaxConfigFileBytes = 4u << 20;

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    throw ConfigError("Could not find configuration file at " + path, path);
  }
  // A device (config_files: /dev/zero) or a huge file would be read without end.
  if (!fs::is_regular_file(path, ec)) throw ConfigError("not a regular file", path);
  if (auto size = fs::file_size(path, ec); !ec && size > kMaxConfigFileBytes) {
    throw ConfigError("file of " + std::to_string(size) + " bytes, more than the " +
                          std::to_string(kMaxConfigFileBytes) + "-byte limit for a configuration file",
                      path);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf()) || in.bad()) {
    // An empty file makes `text << rdbuf()` fail without being an error.
    if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0 && !ec) return {};
    throw ConfigError("cannot read configuration file", path);
  }
  return text.str();
}

bool contains(const YAML::Node& tree, const YAML::Node& node) {
  if (tree.is(node)) return true;
  if (tree.IsMap()) {
    for (auto it = tree.begin(); it != tree.end(); ++it) {
      if (contains(it->second, node)) return true;
    }
  } else if (tree.IsSequence()) {
    for (auto it = tree.begin(); it != tree.end(); ++it) {
      if (contains(*it, node)) return true;
    }
  }
  return false;
}

bool is_yaml_file(const fs::directory_entry& entry) {
  std::error_code ec;
  const std::string ext = entry.path().extension().string();
  return (ext == ".yaml" || ext == ".yml") && entry.is_regular_file(ec);
}

}  // namespace

ConfigError::ConfigError(const std::string& message, std::string file, int line, int column)
    : std::runtime_error(format_location(message, file, line, column)),
      message_(message),
      file_(std::move(file)),
      line_(line),
      column_(column) {}

Config::Config() : root_(YAML::NodeType::Map) {}

Config Config::load(const std::string& path, const std::vector<std::string>& overrides) {
  Config config;
  if (!path.empty()) {
    const std::string text = read_text(path);
    config.loaded_files_.push_back(path);
    config.load_main(text, path, fs::path(path).parent_path().string());
  }
  for (const std::string& option : overrides) config.apply_override(option);
  return config;
}

Config Config::from_string(const std::string& yaml, const std::string& name,
                           const std::vector<std::string>& overrides) {
  Config config;
  config.load_main(yaml, name, "");
  for (const std::string& option : overrides) config.apply_override(option);
  return config;
}

void Config::load_main(const std::string& text, const std::string& name,
                       const std::string& base_dir) {
  root_.reset(parse(text, name));
  sources_.push_back(Source{name, root_});
  load_config_files(base_dir);
}

YAML::Node Config::parse(const std::string& text, const std::string& name) {
  YAML::Node tree;
  try {
    tree.reset(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    const bool has_mark = !e.mark.is_null();
    throw ConfigError("invalid YAML: " + e.msg, name, has_mark ? e.mark.line + 1 : 0,
                      has_mark ? e.mark.column + 1 : 0);
  }
  if (tree.IsNull()) return YAML::Node(YAML::NodeType::Map);  // empty or comments only
  if (expanded_yaml_nodes(tree, yaml_node_budget(text.size())) > yaml_node_budget(text.size())) {
    throw ConfigError("the document expands to more than " +
                          std::to_string(yaml_node_budget(text.size())) +
                          " YAML nodes through aliases (anchors repeated inside each other)",
                      name, 1, 1);
  }
  if (!tree.IsMap()) {
    throw ConfigError("the top level must be a map of keys, found " + describe(tree), name,
                      tree.Mark().line + 1, tree.Mark().column + 1);
  }
  expand_env(tree, name);
  return tree;
}

void Config::load_config_files(const std::string& base_dir) {
  const YAML::Node& root = root_;
  const YAML::Node entries = root["config_files"];
  if (!entries.IsDefined() || entries.IsNull()) return;
  if (!entries.IsSequence() && !entries.IsScalar()) {
    throw error_at(entries, "config_files must be a list of paths or {path, strategy} entries");
  }
  std::vector<YAML::Node> list;
  if (entries.IsScalar()) {
    list.push_back(entries);
  } else {
    for (auto it = entries.begin(); it != entries.end(); ++it) list.push_back(*it);
  }
  for (const YAML::Node& entry : list) {
    YAML::Node path_node = entry;
    MergeStrategy strategy = MergeStrategy::kAppend;
    if (entry.IsMap()) {
      const YAML::Node path_value = entry["path"];  // invalid handle if missing
      path_node.reset(path_value.IsDefined() ? path_value : YAML::Node(YAML::NodeType::Null));
      const YAML::Node strategy_node = entry["strategy"];
      if (strategy_node.IsDefined() && !strategy_node.IsNull()) {
        const std::string name = strategy_node.IsScalar() ? strategy_node.Scalar() : "";
        if (name == "append") {
          strategy = MergeStrategy::kAppend;
        } else if (name == "override") {
          strategy = MergeStrategy::kOverride;
        } else if (name == "add-only") {
          strategy = MergeStrategy::kAddOnly;
        } else {
          throw error_at(strategy_node, "config_files: unknown strategy " +
                                            describe(strategy_node) +
                                            " (expected append, override or add-only)");
        }
      }
    }
    if (!path_node.IsDefined() || !path_node.IsScalar() || path_node.Scalar().empty()) {
      throw error_at(entry.IsMap() && !path_node.IsNull() ? path_node : entry,
                     "config_files: each entry must be a path or a map with a 'path' key");
    }
    fs::path path(path_node.Scalar());
    if (path.is_relative() && !base_dir.empty()) path = fs::path(base_dir) / path;
    include_path(path.lexically_normal().string(), strategy);
  }
}

void Config::include_path(const std::string& path, MergeStrategy strategy) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    // Like Falco: a missing entry (typically an absent config.d) is not an error.
    warnings_.push_back("config_files: '" + path + "' does not exist; skipped");
    return;
  }
  std::vector<std::string> files;
  if (fs::is_directory(status)) {
    for (const fs::directory_entry& entry : fs::directory_iterator(path, ec)) {
      if (is_yaml_file(entry)) files.push_back(entry.path().string());
    }
    if (ec) throw ConfigError("cannot list directory: " + ec.message(), path);
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const std::string& file : files) {
    YAML::Node tree = parse(read_text(file), file);
    loaded_files_.push_back(file);
    merge_tree(tree, file, strategy);
  }
}

void Config::merge_tree(YAML::Node tree, const std::string& name, MergeStrategy strategy) {
  const YAML::Node& const_tree = tree;  // const lookup: never inserts
  if (const_tree["config_files"].IsDefined()) {
    // One level only: an included file cannot include more (no cycles, no surprises).
    warnings_.push_back(name + ": nested config_files is not supported; ignored");
    tree.remove("config_files");
  }
  config_detail::merge_maps(root_, tree, strategy);
  sources_.push_back(Source{name, tree});
}

void Config::merge_yaml(const std::string& yaml, const std::string& name, MergeStrategy strategy) {
  merge_tree(parse(yaml, name), name, strategy);
}

YAML::Node Config::find(std::string_view path, bool strict) const {
  const std::vector<config_detail::PathStep> steps = config_detail::parse_path(path);
  YAML::Node cur = root_;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const YAML::Node& c = cur;  // const access never inserts into the tree
    const config_detail::PathStep& step = steps[i];
    if (step.is_index && c.IsSequence()) {
      if (step.index >= c.size()) return YAML::Node(YAML::NodeType::Undefined);
      cur.reset(c[step.index]);
      continue;
    }
    if (!step.is_index && c.IsMap()) {
      const YAML::Node next = c[step.key];
      if (!next.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
      cur.reset(next);
      continue;
    }
    if (c.IsNull() || !strict) return YAML::Node(YAML::NodeType::Undefined);
    throw error_at(c, "cannot look up '" + std::string(path) + "': '" +
                          config_detail::path_prefix(steps, i) + "' is " + describe(c) +
                          (step.is_index ? ", not a list" : ", not a map"));
  }
  return cur;
}

YAML::Node Config::node(std::string_view path) const {
  const YAML::Node found = find(path, /*strict=*/false);
  if (!found.IsDefined()) return YAML::Node(YAML::NodeType::Null);
  return YAML::Clone(found);
}

bool Config::has(std::string_view path) const { return find(path, /*strict=*/false).IsDefined(); }

std::vector<std::string> Config::string_list(std::string_view path, const YAML::Node& value) const {
  if (value.IsScalar()) return {value.Scalar()};
  if (!value.IsSequence()) throw_type_error(path, value, "a list of strings");
  std::vector<std::string> out;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!it->IsScalar()) throw_type_error(path, *it, "a list of strings");
    out.push_back(it->Scalar());
  }
  return out;
}

void Config::throw_type_error(std::string_view path, const YAML::Node& value,
                              std::string_view expected) const {
  throw error_at(value, "'" + std::string(path) + "' must be " + std::string(expected) +
                            ", found " + describe(value));
}

ConfigError Config::error_at(const YAML::Node& node, const std::string& message) const {
  // Later sources first: their nodes were grafted into the main file's tree.
  for (auto it = sources_.rbegin(); it != sources_.rend(); ++it) {
    if (!contains(it->tree, node)) continue;
    const YAML::Mark mark = node.Mark();
    if (it->name.rfind("-o ", 0) == 0 || mark.is_null()) return ConfigError(message, it->name);
    return ConfigError(message, it->name, mark.line + 1, mark.column + 1);
  }
  return ConfigError(message);
}

std::string Config::dump() const {
  YAML::Emitter out;
  out << root_;
  return std::string(out.c_str()) + "\n";
}

}  // namespace saker::core
