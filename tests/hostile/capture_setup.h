// Shared by the hostile capture tests: a saker configuration (syscall plugin, text alerts
// on stdout, the rule of Falco's single_rule.yaml), the capture they derive from
// (../shared/testdata/scap/cat_write.scap, read in place) and small helpers.
#pragma once

#include <cstdint>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "saker_run.h"

namespace saker::hostile {

inline const std::string kCatWrite = std::string(SAKER_TESTDATA_DIR) + "/scap/cat_write.scap";
inline const std::string kAlert = "An open was seen";

// A configuration with the syscall plugin alone and text alerts on stdout, and the rule
// of Falco's single_rule.yaml (open or openat by a process named cat).
struct Setup {
  TempDir dir;
  std::string config = dir.file("saker.yaml"), rules = dir.file("rules.yaml");
  explicit Setup(const std::string& extra_plugins = "", const std::string& load = "[syscall]") {
    std::ofstream(config) << "plugins:\n  - name: syscall\n    library_path: libsyscall.so\n"
                          << extra_plugins << "load_plugins: " << load
                          << "\nstdout_output:\n  enabled: true\nlog_level: info\n";
    std::ofstream(rules) << "- rule: open_from_cat\n  desc: cat opens\n"
                            "  condition: evt.type in (open, openat) and proc.name = cat\n"
                            "  output: \"An open was seen (command=%proc.cmdline)\"\n"
                            "  priority: WARNING\n";
  }
  RunOptions replay(const std::string& capture) const {
    RunOptions o;
    o.args = {"-c", config, "-r", rules, "-e", capture};
    return o;
  }
};

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& b) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

inline void show(const char* what, const RunResult& r) {
  std::cout << what << ": exit " << r.exit_code << " sig " << r.term_signal << ", " << r.seconds
            << " s, peak RSS " << r.peak_rss_kib / 1024 << " MiB";
  if (r.seconds_after_signal >= 0)
    std::cout << ", " << r.seconds_after_signal << " s after the signal";
  std::cout << ", " << r.count(kAlert) << " alerts\n";
}

inline bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace saker::hostile
