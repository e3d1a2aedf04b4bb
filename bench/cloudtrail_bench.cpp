// Benchmark of CloudTrail replay from local .json.gz files: the Stratus Red Team records
// (310 real records of 35 techniques, cycled with fresh event ids) written compact, as
// CloudTrail delivers them, into `files` gzip files of {"Records":[...]} → the cloudtrail
// plugin (gunzip, split, check, compact) → the core's source loop → the rule engine with
// the upstream aws_cloudtrail_rules.yaml (every match alerting) → the null output. Mode
// `read` replaces the rules by a sink that only counts events (the plugin's share).
// Prints records/s (median of the repeats, wall clock), CPU time per record (every thread
// of the process), records per CPU-second and peak RSS. Generation is not timed.
// Usage: cloudtrail_bench [records=1000000] [repeats=3] [files=500] [rules|read]
// CT_BENCH_DIR=path keeps the generated files there and reuses them when present (to
// profile the replay alone).
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine.h"
#include "log.h"
#include "rules/runtime/rule_engine.h"

using namespace saker::core;
namespace fs = std::filesystem;

namespace {

std::vector<nlohmann::json> stratus_records() {
  std::vector<nlohmann::json> out;
  const fs::path dir = fs::path(SAKER_TESTDATA_DIR) / "cloudtrail" / "stratus-red-team";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto doc = nlohmann::json::parse(ss.str());
    for (const auto& r : doc["Records"]) out.push_back(r);
  }
  return out;
}

// Writes `records` records into `files` .json.gz files below `dir`; returns the bytes of
// JSON written (before compression).
uint64_t generate(const fs::path& dir, uint64_t records, uint64_t files) {
  auto base = stratus_records();
  std::vector<std::string> compact;
  for (auto& r : base) compact.push_back(r.dump());
  uint64_t bytes = 0, n = 0;
  for (uint64_t f = 0; f < files; ++f) {
    const uint64_t in_file = records / files + (f < records % files);
    fs::path sub = dir / ("2024/08/" + std::to_string(f % 24));
    fs::create_directories(sub);
    gzFile gz = gzopen((sub / ("log" + std::to_string(f) + ".json.gz")).c_str(), "wb6");
    std::string doc = "{\"Records\":[";
    for (uint64_t i = 0; i < in_file; ++i, ++n) {
      std::string rec = compact[n % compact.size()];
      // A distinct eventID per record (same length as a UUID's tail).
      auto p = rec.find("\"eventID\":\"");
      if (p != std::string::npos) {
        char id[16];
        snprintf(id, sizeof(id), "%012llx", static_cast<unsigned long long>(n));
        rec.replace(p + 11, 12, id);
      }
      if (i) doc += ',';
      doc += rec;
    }
    doc += "]}";
    gzwrite(gz, doc.data(), static_cast<unsigned>(doc.size()));
    gzclose(gz);
    bytes += doc.size();
  }
  return bytes;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct CountSink : EventSink {
  void on_event(EventContext&) noexcept override { events++; }
  std::atomic<uint64_t> events{0};
};

}  // namespace

int main(int argc, char** argv) {
  const uint64_t records = argc > 1 ? std::stoull(argv[1]) : 1000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  const uint64_t files = argc > 3 ? std::stoull(argv[3]) : 500;
  const bool with_rules = !(argc > 4 && std::string(argv[4]) == "read");
  log_configure({LogLevel::kWarning, true, false});
  const char* keep = getenv("CT_BENCH_DIR");
  const fs::path dir =
      keep ? fs::path(keep) : fs::temp_directory_path() / ("ct-bench-" + std::to_string(getpid()));
  uint64_t json_bytes = 0;
  if (keep && fs::exists(dir / "json_bytes")) {
    std::ifstream(dir / "json_bytes") >> json_bytes;
  } else {
    json_bytes = generate(dir, records, files);
    if (keep) std::ofstream(dir / "json_bytes") << json_bytes;
  }
  uint64_t gz_bytes = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".gz") gz_bytes += e.file_size();
  printf("workload: %llu records in %llu .json.gz files, %.1f MB JSON, %.1f MB gzip\n",
         (unsigned long long)records, (unsigned long long)files, json_bytes / 1e6, gz_bytes / 1e6);
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    EngineOptions o;
    o.plugins_dir = SAKER_PLUGIN_DIR;
    o.hostname = "bench";
    Engine e(o);
    e.plugins().load({"ct", "libcloudtrail.so", "", dir.string()});
    auto& out = e.plugins().load({"null", "libnull_output.so", "", ""});
    e.register_fields();
    e.open_output(out, "");
    saker::rules::RuleSet set(saker::rules::engine_host(e), {});
    std::unique_ptr<saker::rules::RuleEngine> rules;
    CountSink count;
    if (with_rules) {
      auto res =
          set.load_file(std::string(SAKER_TESTDATA_DIR) + "/rules/aws_cloudtrail_rules.yaml");
      if (!res.successful) return 1;
      saker::rules::RuleEngineOptions all;
      all.match_all = true;
      rules = std::make_unique<saker::rules::RuleEngine>(set, all);
      rules->activate();
      e.set_sink(rules.get());
    } else {
      e.set_sink(&count);
    }
    std::atomic<bool> stop{false};
    const double c0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    e.run({"aws_cloudtrail"}, stop);
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - c0;
    const uint64_t got = e.metrics().value_of("source_aws_cloudtrail_num_evts");
    if (got != records) {
      fprintf(stderr, "expected %llu records, got %llu\n", (unsigned long long)records,
              (unsigned long long)got);
      return 1;
    }
    rates.push_back(records / secs);
    printf(
        "run %d (%s): %.0f records/s, %.2f s, cpu %.2f s (%.0f ns/record, %.0f records per "
        "cpu-second), %.0f MB/s of JSON, alerts %llu\n",
        r, with_rules ? "upstream rules" : "read only", records / secs, secs, cpu,
        cpu * 1e9 / records, records / cpu, json_bytes / secs / 1e6,
        (unsigned long long)e.metrics().value_of("num_alerts"));
  }
  if (!keep) fs::remove_all(dir);
  std::sort(rates.begin(), rates.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  printf("cloudtrail .json.gz -> core -> %s: median %.0f records/s, peak RSS %ld MiB\n",
         with_rules ? "upstream aws_cloudtrail_rules.yaml" : "count only", rates[rates.size() / 2],
         ru.ru_maxrss / 1024);
  return 0;
}
