// Command-line parsing.
#include "cli.h"

#include <map>

namespace saker::app {

namespace {

// Falco flags that no longer exist, and what to use instead.
const std::map<std::string, std::string>& removed_flags() {
  static const std::map<std::string, std::string> m = {
      {"--modern-bpf", "-o engine.kind=modern_ebpf"},
      {"--nodriver", "-o engine.kind=nodriver"},
      {"-A", "-o base_syscalls.all=true"},
      {"-b", "-o buffer_format_base64=true"},
      {"--print-base64", "-o buffer_format_base64=true"},
      {"-T", "a 'rules: [{disable: {tag: NAME}}]' config entry"},
      {"-t", "a 'rules: [{enable: {tag: NAME}}]' config entry"},
      {"-D", "a 'rules: [{disable: {rule: \"*TEXT*\"}}]' config entry"},
      {"-d", "systemd (saker does not daemonise itself)"},
      {"--daemon", "systemd (saker does not daemonise itself)"},
      {"-s", "the 'metrics:' config section"},
      {"-S", "-o falco_libs.snaplen=N"},
      {"--snaplen", "-o falco_libs.snaplen=N"},
      {"-k", "the k8smeta-style enrichment plugins"},
      {"-K", "the k8smeta-style enrichment plugins"},
      {"--cri", "the container plugin's init_config"},
      {"-u", "nothing: userspace instrumentation was removed"},
      {"-g", "nothing: gVisor support was removed"},
  };
  return m;
}

struct Parser {
  const std::vector<std::string>& args;
  size_t i = 0;

  // The value of an option: "--opt=value", "-ovalue" or the next argument.
  std::string value(const std::string& flag, const std::string& arg) {
    if (arg.size() > flag.size() && arg.compare(0, flag.size(), flag) == 0) {
      size_t skip = arg[flag.size()] == '=' ? flag.size() + 1 : flag.size();
      return arg.substr(skip);
    }
    if (i + 1 >= args.size()) throw CliError("option " + flag + " requires a value");
    return args[++i];
  }
};

bool is(const std::string& arg, const char* flag) {
  std::string f(flag);
  if (arg == f) return true;
  if (f.size() == 2) return arg.size() > 2 && arg.compare(0, 2, f) == 0 && arg[1] != '-';
  return arg.compare(0, f.size() + 1, f + "=") == 0;
}

void parse_one(Parser& p, const std::string& a, CliOptions& o) {
  if (a == "-h" || a == "--help") o.help = true;
  else if (a == "--version") o.version = true;
  else if (a == "--dry-run") o.dry_run = true;
  else if (a == "--list-plugins") o.list_plugins = true;
  else if (a == "-N") o.names_only = true;
  else if (a == "-L") o.list_rules = true;
  else if (a == "-U" || a == "--unbuffered") o.unbuffered = true;
  else if (a == "-v") o.verbose = true;
  else if (a == "--list") o.list_fields = "";
  else if (a.rfind("--list=", 0) == 0) o.list_fields = a.substr(7);
  else if (is(a, "-c")) o.config_file = p.value("-c", a);
  else if (is(a, "-o")) o.overrides.push_back(p.value("-o", a));
  else if (is(a, "--option")) o.overrides.push_back(p.value("--option", a));
  else if (is(a, "-r")) o.rules_files.push_back(p.value("-r", a));
  else if (is(a, "-V")) o.validate_files.push_back(p.value("-V", a));
  else if (is(a, "--validate")) o.validate_files.push_back(p.value("--validate", a));
  else if (is(a, "-l")) o.describe_rule = p.value("-l", a);
  else if (is(a, "--explain")) o.explain_rule = p.value("--explain", a);
  else if (is(a, "--format")) o.format = p.value("--format", a);
  else if (is(a, "--plugin-info")) o.plugin_info = p.value("--plugin-info", a);
  else if (is(a, "--enable-source")) o.enable_sources.push_back(p.value("--enable-source", a));
  else if (is(a, "--disable-source")) o.disable_sources.push_back(p.value("--disable-source", a));
  else if (is(a, "-P")) o.pidfile = p.value("-P", a);
  else if (is(a, "--pidfile")) o.pidfile = p.value("--pidfile", a);
  else if (is(a, "-M")) {
    std::string v = p.value("-M", a);
    try {
      o.stop_after_s = std::stoll(v);
    } catch (...) {
      throw CliError("-M expects a number of seconds, got '" + v + "'");
    }
  } else if (is(a, "-e")) {
    std::string file = p.value("-e", a);
    o.overrides.push_back("engine.kind=replay");
    o.overrides.push_back("engine.replay.capture_file=" + file);
  } else {
    auto it = removed_flags().find(a.substr(0, a.find('=')));
    if (it != removed_flags().end()) {
      throw CliError("option " + it->first + " was removed from Falco; use " + it->second);
    }
    throw CliError("unknown option '" + a + "' (see --help)");
  }
}

}  // namespace

CliOptions parse_cli(const std::vector<std::string>& args) {
  CliOptions o;
  Parser p{args};
  for (; p.i < args.size(); ++p.i) parse_one(p, args[p.i], o);
  if (!o.enable_sources.empty() && !o.disable_sources.empty()) {
    throw CliError("--enable-source and --disable-source cannot be used together");
  }
  if (!o.format.empty() && o.format != "text" && o.format != "json" && o.format != "markdown") {
    throw CliError("--format must be text, json or markdown");
  }
  return o;
}

std::string help_text() {
  return R"(saker: runtime security for Linux and the cloud (Falco rule language)

Usage: saker [options]

Options:
  -h, --help                   Print this help and exit.
  --version                    Print version information and exit (JSON with -o json_output=true).
  -c <path>                    Configuration file (default: /etc/saker/saker.yaml; without
                               one, Falco's default: the syscall source, modern_ebpf engine).
  -o, --option <key=value>     Override a config key by dotted path, e.g. -o json_output=true,
                               -o plugins[0].open_params=x, -o my\.dotted\.key=v. Repeatable.
  -r <file|dir>                Rules file or directory (replaces rules_files). Repeatable.
  -V, --validate <file>        Load and validate rules files, then exit (non-zero on error).
  -L                           List all rules (name and description), then exit.
  -l <rule>                    Describe one rule, then exit.
  --explain <rule>             For every event, show which part of <rule>'s condition decided.
  --list[=<source>]            List the fields of every source (or of one), then exit.
  -N                           With --list, print field names only.
  --format <text|json|markdown> Output format of --list.
  --list-plugins               Print the loaded plugins and their capabilities, then exit.
  --plugin-info <name|path>    Print a plugin's metadata, init_config schema and open params.
  --dry-run                    Do all the set-up (config, plugins, rules, outputs) but process
                               no event.
  --enable-source <source>     Enable only the given event sources. Repeatable.
  --disable-source <source>    Disable an event source. Repeatable; not with --enable-source.
  -e <file.scap>               Replay a capture file (= -o engine.kind=replay
                               -o engine.replay.capture_file=<file>).
  -M <seconds>                 Stop after this many seconds.
  -U, --unbuffered             Flush every output line (buffered_outputs=false).
  -P, --pidfile <path>         Write saker's pid to this file.
  -v                           Verbose: print every rules warning, including each rule
                               skipped because its source is not loaded.

Signals: SIGINT/SIGTERM stop saker after delivering every queued alert, also while a
source is still opening (seeding its state from /proc or a capture).
)";
}

}  // namespace saker::app
