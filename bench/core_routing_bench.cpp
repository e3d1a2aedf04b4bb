// Benchmark of the core's routing + field dispatch path: the in-memory test source →
// the source loop (numbering, parser plugin) → a sink that reads 3 fields through the
// memoised event context (twice each, as several rules would) → alerts for 1 event in
// 1000 → the null output plugin. The three fields are fetched in one batched call. Prints ns/event (median of the repeats), events/s,
// CPU time and peak RSS. Usage: core_routing_bench [events=5000000] [repeats=5]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "engine.h"
#include "log.h"

using namespace saker::core;

namespace {

class ThreeFieldSink : public EventSink {
 public:
  ThreeFieldSink(Engine& e) : e_(e) {
    auto& r = e.fields();
    user_ = e.slots().resolve(r.find("mem", "mem.user"), nullptr);
    pid_ = e.slots().resolve(r.find("mem", "mem.pid"), nullptr);
    path_ = e.slots().resolve(r.find("mem", "mem.kv"), "path");
    batch_ = std::make_unique<FieldBatch>(e.slots(), std::vector<uint32_t>{user_, pid_, path_});
    fmt_ = std::make_unique<OutputFormat>(
        OutputFormat::compile("user=%mem.user pid=%mem.pid", "mem", r, e.slots()));
  }
  void on_event(EventContext& ctx) noexcept override {
    ctx.fetch(*batch_);  // one batched call into the plugin for the three fields
    for (int round = 0; round < 2; ++round) {
      const FieldValue& u = ctx.get(user_);
      const FieldValue& p = ctx.get(pid_);
      const FieldValue& f = ctx.get(path_);
      checksum_ += u.count + p.count + f.count + (p.count ? p.num() : 0);
    }
    if (ctx.event()->num % 1000 == 0) {
      AlertRecord a;
      a.time = ctx.event()->ts;
      a.rule = "bench";
      a.source = ctx.source();
      fmt_->render(ctx, &a.message, &a.fields);
      e_.publish(std::move(a));
    }
  }
  uint64_t checksum_ = 0;

 private:
  Engine& e_;
  uint32_t user_, pid_, path_;
  std::unique_ptr<OutputFormat> fmt_;
  std::unique_ptr<FieldBatch> batch_;
};

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t events = argc > 1 ? std::stoull(argv[1]) : 5000000;
  int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  log_configure({LogLevel::kWarning, true, false});
  std::vector<double> ns;
  for (int r = 0; r < repeats; ++r) {
    EngineOptions o;
    o.plugins_dir = SAKER_PLUGIN_DIR;
    o.hostname = "bench";
    Engine e(o);
    e.plugins().load({"mem", "libmem_source.so",
                      R"({"count":)" + std::to_string(events) +
                          R"(,"batch":512,"payloads":["user=alice pid=42 path=/etc/shadow",
                             "user=bob pid=7 path=/tmp/x"]})",
                      ""});
    auto& out = e.plugins().load({"null", "libnull_output.so", "", ""});
    e.register_fields();
    e.open_output(out, "");
    ThreeFieldSink sink(e);
    e.set_sink(&sink);
    std::atomic<bool> stop{false};
    double c0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    e.run({"mem"}, stop);
    auto t1 = std::chrono::steady_clock::now();
    double cpu = cpu_seconds() - c0;
    double secs = std::chrono::duration<double>(t1 - t0).count();
    ns.push_back(secs * 1e9 / events);
    printf("run %d: %.1f ns/event, %.2f M events/s, cpu %.2f s, alerts %llu, drops %llu\n", r,
           secs * 1e9 / events, events / secs / 1e6, cpu,
           (unsigned long long)e.metrics().value_of("num_alerts"),
           (unsigned long long)e.metrics().value_of("outputs_queue_num_drops"));
  }
  std::sort(ns.begin(), ns.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  printf("core routing + 3 memoised fields: median %.1f ns/event (%.2f M events/s), "
         "peak RSS %ld MiB\n",
         ns[ns.size() / 2], 1e3 / ns[ns.size() / 2], ru.ru_maxrss / 1024);
  return 0;
}
