// Benchmark of the syscall plugin's replay path through the real core: each testdata
// capture is loaded once and replayed `loops` times from memory (the replay engine's `loop`
// option) → the core's source loop → the syscall plugin's parse (process/fd/user state) →
// a sink chosen by SAKER_BENCH_SINK:
//  * `rules` (default): the stable ruleset (rules/falco_rules.yaml) loaded, compiled and
//    evaluated by the real RuleSet / RuleEngine with the settings `saker -e capture.scap
//    -r falco_rules.yaml` uses (syscall init_config = the `engine` section only, so
//    fields.any_match_lists is off; priority debug; rule_matching first), alerts going to
//    the null output plugin. The stable rules read container.id/name/..., which Falco gets
//    from its container plugin: the tests' container_fields_fixture declares them (every
//    value <NA>), as tests/golden/upstream_rules_test.sh does;
//  * `fields`: one batched fetch of the 13 fields the stable rules read most (evt.type,
//    proc.name, proc.cmdline, proc.pname, proc.exepath, fd.name, user.name, ...), each read
//    back twice as several rules would;
//  * `none`: parsing and state only.
// Prints per capture events per CPU-second (median of the repeats), alerts per run, the
// events-weighted overall rate and the peak RSS.
// Usage: syscall_replay_bench [events_per_capture=2000000] [repeats=5]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine.h"
#include "log.h"
#include "rules/runtime/rule_engine.h"

using namespace saker::core;

namespace {

// The fields most used by the conditions and outputs of falco_rules.yaml.
const std::vector<std::pair<const char*, const char*>> kHotFields = {
    {"evt.type", nullptr},     {"evt.dir", nullptr},           {"proc.name", nullptr},
    {"proc.cmdline", nullptr}, {"proc.pname", nullptr},        {"proc.exepath", nullptr},
    {"fd.name", nullptr},      {"fd.directory", nullptr},      {"user.name", nullptr},
    {"user.uid", nullptr},     {"evt.is_open_write", nullptr}, {"proc.aname", "2"},
    {"container.id", nullptr}};

class HotFieldSink : public EventSink {
 public:
  explicit HotFieldSink(Engine& e) {
    std::vector<uint32_t> slots;
    for (auto [name, arg] : kHotFields) {
      const FieldDef* def = e.fields().find("syscall", name);
      if (def) slots.push_back(e.slots().resolve(def, arg));
    }
    slots_ = slots;
    batch_ = std::make_unique<FieldBatch>(e.slots(), slots);
  }
  void on_event(EventContext& ctx) noexcept override {
    ctx.fetch(*batch_);
    for (int round = 0; round < 2; ++round) {
      for (uint32_t s : slots_) checksum_ += ctx.get(s).count;
    }
  }
  uint64_t checksum_ = 0;

 private:
  std::vector<uint32_t> slots_;
  std::unique_ptr<FieldBatch> batch_;
};

std::string sink_mode() {
  const char* mode = std::getenv("SAKER_BENCH_SINK");
  return mode && *mode ? mode : "rules";
}

size_t g_rules_loaded = 0, g_rules_enabled = 0;

// The stable ruleset as the app runs it: RuleSet → RuleEngine (activated) as the sink;
// the null output plugin receives the alerts.
class RulesSink : public EventSink {
 public:
  explicit RulesSink(Engine& e) : set_(saker::rules::engine_host(e), {}) {
    auto res = set_.load_file(std::string(SAKER_TESTDATA_DIR) + "/rules/falco_rules.yaml");
    if (!res.successful) {
      fprintf(stderr, "falco_rules.yaml did not load:\n%s", res.to_text().c_str());
      std::exit(1);
    }
    engine_ = std::make_unique<saker::rules::RuleEngine>(set_, saker::rules::RuleEngineOptions{});
    engine_->activate();
    g_rules_loaded = set_.compiled().rules.size();
    g_rules_enabled = engine_->num_active();
    e.open_output(e.plugins().load({"null", "libnull_output.so", "", ""}), "");
  }
  void on_event(EventContext& ctx) noexcept override { engine_->on_event(ctx); }

 private:
  saker::rules::RuleSet set_;
  std::unique_ptr<saker::rules::RuleEngine> engine_;
};

// Where the event sink is made: the rule engine, the hot fields, or nothing.
using SinkFactory = std::function<std::unique_ptr<EventSink>(Engine&)>;
SinkFactory make_sink = [](Engine& e) -> std::unique_ptr<EventSink> {
  const std::string mode = sink_mode();
  if (mode == "none") return nullptr;
  if (mode == "fields") return std::make_unique<HotFieldSink>(e);
  if (mode != "rules") {
    fprintf(stderr, "SAKER_BENCH_SINK must be rules, fields or none\n");
    std::exit(2);
  }
  return std::make_unique<RulesSink>(e);
};

// Process CPU time: the machines are shared and loaded, so wall time says little about one
// core's throughput; the engine's other threads are idle during a replay.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Result {
  double seconds = 0, cpu = 0;
  uint64_t events = 0, alerts = 0;
};

Result run_once(const std::string& capture, uint64_t loops) {
  EngineOptions o;
  o.plugins_dir = SAKER_PLUGIN_DIR;
  o.hostname = "bench";
  Engine e(o);
  e.plugins().load({"syscall", "libsyscall.so",
                    R"({"engine":{"kind":"replay","replay":{"capture_file":")" + capture +
                        R"(","loop":)" + std::to_string(loops) + "}}}",
                    ""});
  if (sink_mode() == "rules") {
    e.plugins().load({"container_fields_fixture", "libcontainer_fields_fixture.so", "", ""});
  }
  e.register_fields();
  auto sink = make_sink(e);
  if (sink) e.set_sink(sink.get());
  std::atomic<bool> stop{false};
  const double c0 = cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  e.run({"syscall"}, stop);
  auto t1 = std::chrono::steady_clock::now();
  return {std::chrono::duration<double>(t1 - t0).count(), cpu_seconds() - c0,
          static_cast<uint64_t>(e.metrics().value_of("source_syscall_num_evts")),
          static_cast<uint64_t>(e.metrics().value_of("num_alerts"))};
}

// Events and alerts one pass of the capture yields (exit events with their enter folded
// in, ...).
Result one_pass(const std::string& capture) { return run_once(capture, 1); }

}  // namespace

int main(int argc, char** argv) {
  const uint64_t target = argc > 1 ? std::stoull(argv[1]) : 2000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  log_configure({LogLevel::kWarning, true, false});
  double total_events = 0, total_secs = 0;
  uint64_t total_alerts = 0;
  for (const char* name : {"cat_write.scap", "sample.scap", "curl_google.scap",
                           "single_ipv6_conn.scap", "test_ipv6_client.scap"}) {
    const std::string path = std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
    const Result pass = one_pass(path);
    const uint64_t per_pass = std::max<uint64_t>(1, pass.events);
    const uint64_t loops = std::max<uint64_t>(2, target / per_pass);
    std::vector<double> rates, wall_rates;
    Result last;
    for (int r = 0; r < repeats; ++r) {
      last = run_once(path, loops);
      rates.push_back(last.events / last.cpu);
      wall_rates.push_back(last.events / last.seconds);
    }
    std::sort(rates.begin(), rates.end());
    std::sort(wall_rates.begin(), wall_rates.end());
    const double median = rates[rates.size() / 2];
    total_events += last.events;
    total_secs += last.events / median;
    total_alerts += last.alerts;
    printf(
        "%-22s %5llu events/pass x %6llu: median %.2f M events/CPU-s (%.0f ns/event), "
        "wall %.2f M/s, alerts %llu/pass %llu/run\n",
        name, (unsigned long long)per_pass, (unsigned long long)loops, median / 1e6, 1e9 / median,
        wall_rates[wall_rates.size() / 2] / 1e6, (unsigned long long)pass.alerts,
        (unsigned long long)last.alerts);
    fflush(stdout);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  printf(
      "all captures: %.2f M events/CPU-s (events-weighted median), alerts %llu (last runs), "
      "peak RSS %ld MiB, sink %s\n",
      total_events / total_secs / 1e6, (unsigned long long)total_alerts, ru.ru_maxrss / 1024,
      sink_mode().c_str());
  if (sink_mode() == "rules") {
    printf("falco_rules.yaml: %zu rules loaded, %zu enabled\n", g_rules_loaded, g_rules_enabled);
  }
  return 0;
}
