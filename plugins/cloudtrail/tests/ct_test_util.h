// Helpers for the cloudtrail tests that go through the real core: the Stratus Red Team
// records, a replay of a file or folder through a rules file (alerts from the capture
// output, the plugin's metrics), and field rendering for every record.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace saker::cttest {

// ../shared/testdata/cloudtrail/stratus-red-team
std::string stratus_dir();
// Its files, sorted.
std::vector<std::string> stratus_files();

struct Alert {
  std::string rule, output;
  std::map<std::string, std::string> fields;
};

struct Replay {
  std::vector<Alert> alerts;
  uint64_t events = 0;
  std::map<std::string, uint64_t> metrics;  // the plugin's counters, by short name
  std::vector<std::string> load_errors, load_warnings;
};

// Replays `params` through `rules_file` (every match alerting).
Replay replay_rules(const std::string& params, const std::string& rules_file,
                    const std::string& init = "");

// Renders `format` for every record of `params`, in order; the plugin's counters too.
std::vector<std::string> render(const std::string& params, const std::string& format,
                                std::map<std::string, uint64_t>* metrics = nullptr,
                                const std::string& init = "");

// An engine reading `params` on a thread, rendering `format` for every record.
class LiveRender {
 public:
  // `per_event` (optional) runs on the source thread after each record is rendered,
  // before the next one is evaluated.
  LiveRender(const std::string& params, const std::string& format, const std::string& init = "",
             std::function<void()> per_event = {});
  ~LiveRender();
  bool wait_for(size_t n, int timeout_ms) const;
  std::vector<std::string> lines() const;
  // The plugin's counters now (the engine keeps running).
  std::map<std::string, uint64_t> metrics() const;
  // Stops the engine; the plugin's counters at that point.
  std::map<std::string, uint64_t> stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes `data` gzip-compressed to `path`.
void write_gz(const std::string& path, const std::string& data);
std::string read_file(const std::string& path);

}  // namespace saker::cttest
