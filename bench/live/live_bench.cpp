// Live benchmark of saker on the running host (issue "live eBPF driver", figures a–f):
// starts the real `saker` binary as a child with Falco's stable rules, in the configuration
// an operator gets without a config file (syscall source, engine.kind=modern_ebpf), and
// measures from the outside what it costs the machine:
//  (a) slowdown of an open+close loop and of a fork+exec loop, saker on vs off, as the
//      median of per-round ratios; plus the "floor": saker running with openat/close taken
//      out of the kernel set (base_syscalls.custom_set), i.e. what perfect in-kernel
//      filtering of events no rule needs could reach at best;
//  (b) the highest open+close event rate sustained with zero kernel drops (driver counters);
//  (c) saker's CPU (utime+stime, /proc) per event at that rate;
//  (d) saker's VmRSS / VmHWM with the stable rules, idle and after (b);
//  (e) added cost of getppid, a syscall saker never sends;
//  (f) spawn+wait of /bin/true (posix_spawn).
// Rounds interleave off / on / floor (order reversed every other round); each saker run is
// stopped with SIGTERM and the benchmark checks that its BPF programs are gone. Then, with
// BPF run-time statistics on, the in-kernel cost per sys_exit run and saker's CPU per event
// are profiled per workload.
// The stable rules read container.* fields: the tests' container_fields_fixture plugin
// declares them (every value <NA>), as tests/golden/upstream_rules_test.sh does.
// Usage: live_bench [rounds=5] [sustain_seconds=60] [scale=1] [phases=rounds,rate,profile]
// (root; eBPF). scale multiplies the iteration counts of the timed loops.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bpf_probe.h"
#include "hook_floor.h"
#include "report.h"
#include "saker_child.h"
#include "workloads.h"

namespace saker::bench {
namespace {

struct Options {
  int rounds = 5;
  double sustain_s = 60;
  double scale = 1;
  double probe_s = 5;
  std::string phases = "rounds,rate,profile";
  std::vector<double> rates = {50e3, 100e3, 150e3, 200e3, 250e3, 300e3, 400e3, 500e3, 600e3};
};

// off: nothing attached; on: saker; floor: saker without openat/close in the kernel set;
// hook: no saker, the empty sys_exit program of hook_floor.bpf.c (what any eBPF syscall
// monitor pays here before doing any work).
enum class Mode { kOff, kOn, kFloor, kHook };
const char* mode_name(Mode m) {
  switch (m) {
    case Mode::kOff: return "off";
    case Mode::kOn: return "on";
    case Mode::kFloor: return "floor";
    case Mode::kHook: return "hook";
  }
  return "?";
}
bool runs_saker(Mode m) { return m == Mode::kOn || m == Mode::kFloor; }

std::vector<std::string> saker_args(Mode m) {
  std::vector<std::string> a = {
      "-r", std::string(SAKER_TESTDATA_DIR) + "/rules/falco_rules.yaml", "-o",
      "plugins[1].name=container_fields_fixture", "-o",
      "plugins[1].library_path=libcontainer_fields_fixture.so",
      // any drop is logged (the benchmark reads the driver's counters anyway)
      "-o", "syscall_event_drops.threshold=0"};
  if (m == Mode::kFloor) {
    a.insert(a.end(), {"-o", R"(base_syscalls.custom_set=["!openat","!close"])"});
  }
  return a;
}

double load1() {
  std::ifstream in("/proc/loadavg");
  double l = 0;
  in >> l;
  return l;
}

void sleep_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

void require_detached(int left) {
  if (left) throw std::runtime_error(std::to_string(left) + " saker BPF program(s) still loaded");
}

constexpr const char* kWorkloads[] = {"open_close", "fork_exec", "spawn_true", "getppid"};

void add_timing(Samples& s, const std::string& workload, const std::string& mode, Timing t) {
  s.add(workload + "/" + mode, t.cpu_ns);
  s.add(workload + "/wall/" + mode, t.wall_ns);
}

// One round of the four workloads in one mode; samples keyed "workload[/wall]/mode".
void measure_mode(const Workloads& w, Mode m, double scale, Samples& s) {
  const auto n = [scale](double base) { return static_cast<std::uint64_t>(base * scale) + 1; };
  const std::string k = mode_name(m);
  w.open_close(n(20000));  // warm-up: caches, and saker's state for this process
  s.add("load/" + k, load1());
  // Another engineer's saker slows every syscall too: count its sys_exit programs.
  s.add("foreign/" + k, bpftool_saker_programs("saker_sys_exit") - (runs_saker(m) ? 1 : 0));
  add_timing(s, "open_close", k, w.open_close(n(200000)));
  add_timing(s, "fork_exec", k, w.fork_exec(n(500)));
  // ~1 s per measurement: at 500 spawns (0.4 s) the shared VM moved (f) by several %
  add_timing(s, "spawn_true", k, w.spawn_true(n(1500)));
  add_timing(s, "getppid", k, w.getppid(n(2000000)));
}

// Ratios and differences to "off" of this round, CPU and wall.
void add_changes(Samples& s) {
  for (const char* wl : kWorkloads) {
    for (const std::string& b : {std::string(wl) + "/", std::string(wl) + "/wall/"}) {
      const double off = s.last(b + "off");
      for (const char* m : {"on", "floor", "hook"}) {
        s.add(b + "ratio_" + m, s.last(b + m) / off);
        s.add(b + "delta_" + m, s.last(b + m) - off);
      }
    }
  }
}

void run_rounds(const Options& o, const Workloads& w, SakerChild& saker, Samples& s) {
  HookFloor hook;
  for (int r = 0; r < o.rounds; ++r) {
    std::vector<Mode> order = {Mode::kOff, Mode::kOn, Mode::kFloor, Mode::kHook};
    if (r % 2) std::reverse(order.begin(), order.end());
    for (Mode m : order) {
      if (m == Mode::kHook) {
        hook.attach();
        measure_mode(w, m, o.scale, s);
        hook.detach();
        continue;
      }
      if (m != Mode::kOff) {
        saker.start(saker_args(m));
        s.add(std::string("start/wall/") + mode_name(m), saker.start_wall_s());
        s.add(std::string("start/cpu/") + mode_name(m), saker.start_cpu_s());
      }
      // events the kernel dropped while measuring: a dropped event skips the copy into the
      // ring, so a round with drops understates saker's cost (reported, see report.cpp)
      const KernelCounters before =
          m == Mode::kOff ? KernelCounters{} : read_kernel_counters(saker.bpf_ids("map_id"));
      measure_mode(w, m, o.scale, s);
      if (m != Mode::kOff) {
        const KernelCounters after = read_kernel_counters(saker.bpf_ids("map_id"));
        s.add(std::string("drops/") + mode_name(m), static_cast<double>(after.drops - before.drops));
        require_detached(saker.stop());
      }
    }
    add_changes(s);
    std::fprintf(stderr,
                 "round %d/%d: open+close CPU %.0f / %.0f / %.0f ns (off/on/floor), wall %.0f / "
                 "%.0f / %.0f ns, load %.2f, kernel drops %.0f / %.0f (on/floor)\n",
                 r + 1, o.rounds, s.last("open_close/off"), s.last("open_close/on"),
                 s.last("open_close/floor"), s.last("open_close/wall/off"),
                 s.last("open_close/wall/on"), s.last("open_close/wall/floor"), load1(),
                 s.last("drops/on"), s.last("drops/floor"));
  }
}

struct Window {
  KernelCounters k;
  double cpu = 0;
};

Window window_now(const SakerChild& saker) {
  return {read_kernel_counters(saker.bpf_ids("map_id")), saker.cpu_seconds()};
}

// (b)–(d): probe rising rates briefly, then hold the best one for sustain_s.
void run_rate(const Options& o, const Workloads& w, SakerChild& saker, RateResult& res) {
  res.ran = true;
  saker.start(saker_args(Mode::kOn));
  sleep_s(2);
  res.idle = saker.memory();
  double best = 0;
  for (double rate : o.rates) {
    const Window a = window_now(saker);
    const auto p = w.paced_open_close(rate, o.probe_s);
    const Window b = window_now(saker);
    const std::uint64_t drops = b.k.drops - a.k.drops;
    std::fprintf(stderr, "probe %.0fk ev/s: reached %.0fk, drops %llu, load %.2f\n", rate / 1e3,
                 p.events_per_s / 1e3, static_cast<unsigned long long>(drops), load1());
    if (drops || p.events_per_s < 0.95 * rate) break;
    best = rate;
  }
  for (int attempt = 0; attempt < 3 && best > 0; ++attempt, best *= 0.8) {
    const Window a = window_now(saker);
    res.load = load1();
    const auto p = w.paced_open_close(best, o.sustain_s);
    const Window b = window_now(saker);
    res.target = best;
    res.reached = p.events_per_s;
    res.seconds = p.seconds;
    res.drops = b.k.drops - a.k.drops;
    res.kernel_events_per_s = static_cast<double>(b.k.events - a.k.events) / p.seconds;
    res.cpu_us_per_event = 1e6 * (b.cpu - a.cpu) / static_cast<double>(b.k.events - a.k.events);
    res.load = std::max(res.load, load1());
    std::fprintf(stderr, "sustain %.0fk ev/s for %.0f s: drops %llu\n", best / 1e3, p.seconds,
                 static_cast<unsigned long long>(res.drops));
    if (res.drops == 0) break;
  }
  res.after = saker.memory();
  res.drop_log = saker.log_line("syscall event drop");
  require_detached(saker.stop());
}

template <class Op>
Timing paused(const SakerChild& saker, Op op) {
  saker.pause();
  sleep_s(0.05);
  const Timing t = op();
  saker.resume();
  return t;
}

// In-kernel cost per sys_exit run and saker's CPU per event, per workload.
void run_profile(const Options& o, const Workloads& w, SakerChild& saker,
                 std::vector<ProfileRow>& rows) {
  saker.start(saker_args(Mode::kOn));
  const auto progs = saker.bpf_ids("prog_id");
  BpfStatsScope stats;
  if (!stats.ok()) {
    std::fprintf(stderr, "BPF_ENABLE_STATS refused: no in-kernel profile\n");
  }
  const auto n = [&o](double base) { return static_cast<std::uint64_t>(base * o.scale) + 1; };
  const std::vector<std::pair<std::string, std::function<Timing()>>> loads = {
      {"idle 2 s (host background only)", [] { return sleep_s(2), Timing{}; }},
      {"getppid x2M (never sent)", [&] { return w.getppid(n(2000000)); }},
      {"close(-1) x500k (EBADF)", [&] { return w.close_bad(n(500000)); }},
      {"openat missing file x300k", [&] { return w.open_missing(n(300000)); }},
      {"openat+close x200k", [&] { return w.open_close(n(200000)); }},
      {"fork+exec true x500", [&] { return w.fork_exec(n(500)); }},
      // The same events with the reader woken (running) or never woken (stopped); the ring
      // (8 MiB) holds them all, so the stopped run drops nothing.
      {"close(-1) x50k, saker running", [&] { return w.close_bad(n(50000)); }},
      {"close(-1) x50k, saker stopped",
       [&] { return paused(saker, [&] { return w.close_bad(n(50000)); }); }},
      {"openat+close x20k, saker running", [&] { return w.open_close(n(20000)); }},
      {"openat+close x20k, saker stopped",
       [&] { return paused(saker, [&] { return w.open_close(n(20000)); }); }},
  };
  for (const auto& [name, fn] : loads) {
    sleep_s(0.5);  // let saker drain what came before
    const auto p0 = find_prog(read_prog_stats(progs), "saker_sys_exit");
    const Window a = window_now(saker);
    const auto t0 = std::chrono::steady_clock::now();
    const Timing op = fn();
    sleep_s(0.3);  // saker's CPU for these events lands a little later
    const auto p1 = find_prog(read_prog_stats(progs), "saker_sys_exit");
    const Window b = window_now(saker);
    ProfileRow r;
    r.name = name;
    r.op = op;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    r.runs = p1.run_cnt - p0.run_cnt;
    r.run_ns = p1.run_time_ns - p0.run_time_ns;
    r.events = b.k.events - a.k.events;
    r.saker_cpu_s = b.cpu - a.cpu;
    r.load = load1();
    rows.push_back(r);
  }
  require_detached(saker.stop());
}

Options parse(int argc, char** argv) {
  Options o;
  if (argc > 1) o.rounds = std::max(1, std::atoi(argv[1]));
  if (argc > 2) o.sustain_s = std::max(1.0, std::atof(argv[2]));
  if (argc > 3) o.scale = std::max(0.01, std::atof(argv[3]));
  if (argc > 4) o.phases = argv[4];
  return o;
}

}  // namespace
}  // namespace saker::bench

int main(int argc, char** argv) {
  using namespace saker::bench;
  if (geteuid() != 0) {
    std::fprintf(stderr, "live_bench: run as root (saker loads eBPF programs)\n");
    return 2;
  }
  const Options o = parse(argc, argv);
  try {
    Workloads w("/tmp");
    SakerChild saker(SAKER_BINARY, "/tmp/saker_live_bench.log");
    Samples s;
    RateResult rate;
    std::vector<ProfileRow> profile;
    const auto want = [&o](const char* p) { return o.phases.find(p) != std::string::npos; };
    if (want("rounds")) run_rounds(o, w, saker, s);
    if (want("rate")) run_rate(o, w, saker, rate);
    if (want("profile")) run_profile(o, w, saker, profile);
    print_report(s, rate, profile, bpftool_saker_programs());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "live_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
