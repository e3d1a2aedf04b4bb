// The saker command line: Falco's flags where users know them (-c, -o, -r, -L, -l, -V,
// --list, --list-plugins, --plugin-info, --dry-run, --enable/--disable-source, -M, -U,
// -P), parsed into CliOptions. Removed Falco flags are recognised and answered with
// their modern replacement instead of "unknown option".
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace saker::app {

struct CliError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CliOptions {
  bool help = false;
  bool version = false;
  std::string config_file;  // empty: the default search
  std::vector<std::string> overrides;
  std::vector<std::string> rules_files;
  std::optional<std::string> list_fields;  // set (maybe "") by --list[=source]
  bool names_only = false;                 // -N
  std::string format;                      // --format text|json|markdown
  bool list_plugins = false;
  std::string plugin_info;
  bool dry_run = false;
  std::vector<std::string> enable_sources;
  std::vector<std::string> disable_sources;
  std::vector<std::string> validate_files;  // -V
  bool list_rules = false;                  // -L
  std::string describe_rule;                // -l
  std::string explain_rule;                 // --explain (rule name)
  int64_t stop_after_s = 0;                 // -M
  bool unbuffered = false;                  // -U
  std::string pidfile;                      // -P
  bool verbose = false;                     // -v
};

// Parse argv (without argv[0]). Throws CliError with a message for the user.
CliOptions parse_cli(const std::vector<std::string>& args);
// The --help text.
std::string help_text();

}  // namespace saker::app
