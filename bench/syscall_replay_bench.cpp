// Benchmark of the syscall plugin's replay path through the real core: each testdata
// capture is loaded once and replayed `loops` times from memory (the replay engine's `loop`
// option) → the core's source loop → the syscall plugin's parse (process/fd/user state) →
// a sink. The default sink fetches, in one batched call, the fields Falco's stable rules
// read most (evt.type, proc.name, proc.cmdline, proc.pname, proc.exepath, fd.name,
// user.name, ...) and reads them back as several rules would. A rule engine plugs in by
// replacing make_sink (any core::EventSink); set SAKER_BENCH_SINK=none to measure parsing
// alone. Prints per capture events/s (median of the repeats) and the peak RSS.
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

// Where a rule engine plugs in: return the sink that evaluates the loaded rules.
using SinkFactory = std::function<std::unique_ptr<EventSink>(Engine&)>;
SinkFactory make_sink = [](Engine& e) -> std::unique_ptr<EventSink> {
  const char* mode = std::getenv("SAKER_BENCH_SINK");
  if (mode && std::string(mode) == "none") return nullptr;
  return std::make_unique<HotFieldSink>(e);
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
  uint64_t events = 0;
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
  e.register_fields();
  auto sink = make_sink(e);
  if (sink) e.set_sink(sink.get());
  std::atomic<bool> stop{false};
  const double c0 = cpu_seconds();
  auto t0 = std::chrono::steady_clock::now();
  e.run({"syscall"}, stop);
  auto t1 = std::chrono::steady_clock::now();
  return {std::chrono::duration<double>(t1 - t0).count(), cpu_seconds() - c0,
          static_cast<uint64_t>(e.metrics().value_of("source_syscall_num_evts"))};
}

// Events one pass of the capture yields (exit events with their enter folded in, ...).
uint64_t events_per_pass(const std::string& capture) { return run_once(capture, 2).events / 2; }

}  // namespace

int main(int argc, char** argv) {
  const uint64_t target = argc > 1 ? std::stoull(argv[1]) : 2000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  log_configure({LogLevel::kWarning, true, false});
  double total_events = 0, total_secs = 0;
  for (const char* name : {"cat_write.scap", "sample.scap", "curl_google.scap",
                           "single_ipv6_conn.scap", "test_ipv6_client.scap"}) {
    const std::string path = std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
    const uint64_t per_pass = std::max<uint64_t>(1, events_per_pass(path));
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
    printf(
        "%-22s %5llu events/pass x %6llu: median %.2f M events/CPU-s (%.0f ns/event), "
        "wall %.2f M/s\n",
        name, (unsigned long long)per_pass, (unsigned long long)loops, median / 1e6, 1e9 / median,
        wall_rates[wall_rates.size() / 2] / 1e6);
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  printf("all captures: %.2f M events/CPU-s (events-weighted median), peak RSS %ld MiB, sink %s\n",
         total_events / total_secs / 1e6, ru.ru_maxrss / 1024,
         std::getenv("SAKER_BENCH_SINK") ? std::getenv("SAKER_BENCH_SINK") : "hot fields");
  return 0;
}
