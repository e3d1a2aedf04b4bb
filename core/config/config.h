// saker's configuration: one falco.yaml-compatible YAML tree, built once at start-up.
//
// Config::load() reads the main file, layers the files named by its `config_files` key
// (each with an append / override / add-only merge strategy), applies `-o key.path=value`
// overrides, and expands `${VAR}` in every string scalar. Components then read typed values
// by dotted path with a default at the call site (`get<bool>("webserver.enabled", true)`):
// the defaults live where they are used, not in a second copy of the file.
//
// Paths: `a.b.c`, list elements `a.b[1]`, `plugins[0].open_params`; a backslash makes the
// next character literal, so `my\.dotted\.key` is one map key.
//
// Errors on this cold path throw ConfigError, carrying file/line/column when known.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace saker::core {

// A configuration error. what() is "file:line:column: message" (parts omitted when unknown).
class ConfigError : public std::runtime_error {
 public:
  // line and column are 1-based; 0 means unknown.
  explicit ConfigError(const std::string& message, std::string file = {}, int line = 0,
                       int column = 0);

  const std::string& message() const noexcept { return message_; }
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }

 private:
  std::string message_;
  std::string file_;
  int line_;
  int column_;
};

// How an included config file is merged into what was loaded before it.
enum class MergeStrategy {
  kAppend,    // maps merged key by key, sequences appended, scalars overridden, new keys added
  kOverride,  // each top-level key of the included file replaces the existing one
  kAddOnly,   // only keys that do not exist yet are added (recursively inside maps)
};

// The effective configuration. Not thread-safe: build it, then read it from one thread (or
// from several once nobody mutates it). Movable, not copyable (a copy would share the tree).
class Config {
 public:
  // An empty configuration: every getter returns its default.
  Config();
  Config(Config&&) noexcept = default;
  Config& operator=(Config&&) noexcept = default;
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  // Loads `path` (an empty path means "no file": defaults plus overrides), then the files of
  // its `config_files` key, then `overrides` ("key.path=value", in order).
  // Throws ConfigError if the file is missing or malformed, or an override is invalid.
  static Config load(const std::string& path, const std::vector<std::string>& overrides = {});

  // Like load() with the main file's text given inline; `name` is used in messages.
  // Relative `config_files` entries are resolved against the current directory.
  static Config from_string(const std::string& yaml, const std::string& name = "<string>",
                            const std::vector<std::string>& overrides = {});

  // saker keeps its defaults at the getter call sites, so this is an empty YAML map.
  static std::string_view defaults_yaml() { return "{}\n"; }

  // Applies one "key.path=value" override (split at the first unescaped '='). A value
  // starting with `[` or `{` is parsed as a YAML flow sequence/map; `~`/`null` set null (the
  // getter's default applies); anything else is kept verbatim as a string scalar (an empty
  // value is ""). `${VAR}` is expanded. Missing maps are created; an index equal to a list's
  // size appends. Throws ConfigError on a malformed option, a type conflict or an index past
  // the end; a rejected option leaves the configuration unchanged.
  void apply_override(const std::string& option);

  // Merges a YAML document into the tree as if it were an included config file.
  void merge_yaml(const std::string& yaml, const std::string& name, MergeStrategy strategy);

  // The value at `path` converted with yaml-cpp's rules (bool accepts true/false/yes/no/on/off
  // in their usual cases); `fallback` if the path is absent or null. T may be std::string,
  // bool, any integer type, float/double, std::vector<std::string> (a lone scalar counts as
  // a one-element list) or anything else yaml-cpp can decode.
  // Throws ConfigError (with the value's location) if the value has the wrong type, or if
  // the path runs through a scalar or list where it expects a map (or vice versa).
  template <typename T>
  T get(std::string_view path, const T& fallback) const;

  // A deep copy of the subtree at `path` ("" is the whole tree); a Null node if absent.
  // Note a Null YAML::Node converts to `true`; test with IsNull() or use has().
  YAML::Node node(std::string_view path) const;

  // True if `path` exists (even with a null value).
  bool has(std::string_view path) const;

  // Files read, in load order: the main file first, then each included file.
  const std::vector<std::string>& loaded_files() const noexcept { return loaded_files_; }

  // Non-fatal problems met while loading (skipped nested config_files, unset env vars...).
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

  // The effective configuration as YAML text.
  std::string dump() const;

 private:
  struct Source {
    std::string name;  // file path, or "-o <option>"
    YAML::Node tree;   // as parsed (after env expansion); shares nodes with root_
  };

  void load_main(const std::string& text, const std::string& name, const std::string& base_dir);
  void load_config_files(const std::string& base_dir);
  void include_path(const std::string& path, MergeStrategy strategy);
  void merge_tree(YAML::Node tree, const std::string& name, MergeStrategy strategy);
  // Parses one document (must be a map or empty) and expands env variables in it.
  YAML::Node parse(const std::string& text, const std::string& name);
  void expand_env(YAML::Node tree, const std::string& source);
  YAML::Node parse_override_value(const std::string& text, const std::string& option);

  // The node at `path`, or an undefined node if absent. If `strict`, throws when the path
  // crosses a node of the wrong kind (a key into a list...); otherwise that counts as absent.
  YAML::Node find(std::string_view path, bool strict) const;
  std::vector<std::string> string_list(std::string_view path, const YAML::Node& value) const;
  [[noreturn]] void throw_type_error(std::string_view path, const YAML::Node& value,
                                     std::string_view expected) const;
  // The source (file) and 1-based position of a node, for messages.
  ConfigError error_at(const YAML::Node& node, const std::string& message) const;

  YAML::Node root_;
  std::vector<Source> sources_;
  std::vector<std::string> loaded_files_;
  std::vector<std::string> warnings_;
};

namespace config_detail {
template <typename T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, bool>) {
    return "a boolean (true/false)";
  } else if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T>) {
    return "a non-negative integer";
  } else if constexpr (std::is_integral_v<T>) {
    return "an integer";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "a number";
  } else if constexpr (std::is_same_v<T, std::string>) {
    return "a string";
  } else {
    return "a value of the expected type";
  }
}
}  // namespace config_detail

template <typename T>
T Config::get(std::string_view path, const T& fallback) const {
  const YAML::Node value = find(path, /*strict=*/true);
  if (!value.IsDefined() || value.IsNull()) return fallback;
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    return string_list(path, value);
  } else {
    // yaml-cpp happily decodes a map or list as a string only by failing; scalars are
    // required for every scalar type, so check the kind first for a clearer message.
    if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
      if (!value.IsScalar()) throw_type_error(path, value, config_detail::type_name<T>());
    }
    try {
      return value.as<T>();
    } catch (const YAML::Exception&) {
      throw_type_error(path, value, config_detail::type_name<T>());
    }
  }
}

}  // namespace saker::core
