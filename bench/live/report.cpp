// The live benchmark's tables (see report.h).
#include "report.h"

#include <algorithm>
#include <cstdio>

namespace saker::bench {
namespace {

const std::vector<double>& series(const std::map<std::string, std::vector<double>>& m,
                                  const std::string& key) {
  static const std::vector<double> kEmpty = {0};
  auto it = m.find(key);
  return it == m.end() || it->second.empty() ? kEmpty : it->second;
}

const char* verdict(bool ok) { return ok ? "ok" : "MISS"; }

void row(const char* fig, const std::string& what, const std::string& off, const std::string& on,
         const std::string& change, const char* target, const char* falco, const std::string& load,
         const char* ok) {
  std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", fig, what.c_str(), off.c_str(),
              on.c_str(), change.c_str(), target, falco, load.c_str(), ok);
}

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof(b), f, v);
  return b;
}

// The modes of live_bench.cpp, whose samples are keyed "what/MODE".
constexpr const char* kModes[] = {"off", "on", "floor", "hook"};

// The lowest and highest sample of `prefix` + mode over every mode.
double lowest(const Samples& s, const std::string& prefix) {
  double v = s.min(prefix + kModes[0]);
  for (const char* m : kModes) v = std::min(v, s.min(prefix + m));
  return v;
}
double highest(const Samples& s, const std::string& prefix) {
  double v = s.max(prefix + kModes[0]);
  for (const char* m : kModes) v = std::max(v, s.max(prefix + m));
  return v;
}

std::string load_range(const Samples& s) {
  return fmt("%.1f", lowest(s, "load/")) + "–" + fmt("%.1f", highest(s, "load/"));
}

// `clock`: "" for CPU time, "wall/" for wall time.
void print_workloads(const Samples& s, const std::string& clock) {
  const std::string load = load_range(s);
  const auto med = [&](const std::string& k) {
    return s.median(k.substr(0, k.find('/') + 1) + clock + k.substr(k.find('/') + 1));
  };
  const double oc = med("open_close/ratio_on");
  row("a", "open+close pair", fmt("%.0f ns", med("open_close/off")),
      fmt("%.0f ns", med("open_close/on")), fmt("%.2fx", oc), "≤ 1.5x", "3.5x (716 → 2505 ns)",
      load, verdict(oc <= 1.5));
  const double fl = med("open_close/ratio_floor");
  row("a", "open+close, openat/close not sent (floor)", fmt("%.0f ns", med("open_close/off")),
      fmt("%.0f ns", med("open_close/floor")), fmt("%.2fx", fl), "≤ 1.15x", "–", load,
      verdict(fl <= 1.15));
  row("a", "open+close, empty sys_exit program, no saker (hook floor)",
      fmt("%.0f ns", med("open_close/off")), fmt("%.0f ns", med("open_close/hook")),
      fmt("%.2fx", med("open_close/ratio_hook")), "–", "–", load, "");
  row("a", "fork+exec+wait /bin/true", fmt("%.0f µs", med("fork_exec/off") / 1e3),
      fmt("%.0f µs", med("fork_exec/on") / 1e3), fmt("%.2fx", med("fork_exec/ratio_on")), "–", "–",
      load, "");
  // (e) "at most Falco's": no eBPF program, Falco's sys_exit dispatcher included, costs less
  // than the empty one. Where that floor alone is over +28 ns, saker within 10 ns of it is
  // as low as a syscall hook goes on this machine ("floor").
  const double gd = med("getppid/delta_on");
  const double hd = med("getppid/delta_hook");
  row("e", "getppid (never sent)", fmt("%.0f ns", med("getppid/off")),
      fmt("%.0f ns", med("getppid/on")), fmt("%+.0f ns", gd), "≤ +28 ns", "+28 (79 → 107 ns)", load,
      gd <= 28 ? "ok" : gd - hd <= 10 ? "floor" : "MISS");
  row("e", "getppid, empty sys_exit program, no saker (hook floor)",
      fmt("%.0f ns", med("getppid/off")), fmt("%.0f ns", med("getppid/hook")), fmt("%+.0f ns", hd),
      "–", "–", load, "");
  row("e", "getppid, floor config", fmt("%.0f ns", med("getppid/off")),
      fmt("%.0f ns", med("getppid/floor")), fmt("%+.0f ns", med("getppid/delta_floor")), "≤ +28 ns",
      "", load, "");
  const double sp = med("spawn_true/ratio_on");
  row("f", "posix_spawn+wait /bin/true", fmt("%.0f µs", med("spawn_true/off") / 1e3),
      fmt("%.0f µs", med("spawn_true/on") / 1e3), fmt("%+.1f %%", (sp - 1) * 100), "≤ +3 %", "+3 %",
      load, verdict(sp <= 1.03));
  const double sh = med("spawn_true/ratio_hook");
  row("f", "posix_spawn+wait, empty sys_exit program, no saker (hook floor)",
      fmt("%.0f µs", med("spawn_true/off") / 1e3), fmt("%.0f µs", med("spawn_true/hook") / 1e3),
      fmt("%+.1f %%", (sh - 1) * 100), "–", "–", load, "");
}

std::string memory(const ProcMemory& m) {
  return fmt("%.1f", m.rss_mib) + fmt(" / %.1f MiB", m.hwm_mib) + fmt(" (anon %.1f,", m.anon_mib) +
         fmt(" file %.1f;", m.file_mib) + fmt(" ring mappings %.1f)", m.bpf_maps_mib);
}

void print_rate(const RateResult& r) {
  const std::string load = fmt("%.1f", r.load);
  row("b", fmt("open+close rate, zero drops for %.0f s", r.seconds), "",
      fmt("%.0fk ev/s", r.reached / 1e3) + fmt(" (%.0fk sent in all)", r.kernel_events_per_s / 1e3),
      std::to_string(r.drops) + " drops", "≥ 200k ev/s", "–", load,
      verdict(r.drops == 0 && r.reached >= 200e3 * 0.95));
  row("c", "saker CPU per event at (b)", "", fmt("%.3f µs", r.cpu_us_per_event), "", "≤ 0.25 µs",
      "0.64 µs (2.56 s / 4M ev)", load, verdict(r.cpu_us_per_event <= 0.25));
  row("d", "VmRSS / VmHWM, idle after start", "", memory(r.idle), "", "< 26 MiB", "52 MB", "",
      verdict(r.idle.hwm_mib < 26));
  row("d", "VmRSS / VmHWM, after (b)", "", memory(r.after), "", "< 26 MiB", "52 MB", load,
      verdict(r.after.hwm_mib < 26));
  if (!r.drop_log.empty())
    std::printf("\nlast drop report in saker's log: %s\n", r.drop_log.c_str());
}

void print_profile(const std::vector<ProfileRow>& rows) {
  std::printf(
      "\nProfile (BPF run-time stats on; saker_sys_exit runs on every syscall exit of the"
      " host, tail calls included):\n\n");
  std::printf(
      "| window | CPU ns/op | wall ns/op | sys_exit runs | ns per run | events sent |"
      " saker CPU ms | saker µs/event | load |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& r : rows) {
    const double ns = r.runs ? static_cast<double>(r.run_ns) / static_cast<double>(r.runs) : 0;
    const double us = r.events ? 1e6 * r.saker_cpu_s / static_cast<double>(r.events) : 0;
    std::printf("| %s | %.0f | %.0f | %llu | %.0f | %llu | %.0f | %.3f | %.1f |\n", r.name.c_str(),
                r.op.cpu_ns, r.op.wall_ns, static_cast<unsigned long long>(r.runs), ns,
                static_cast<unsigned long long>(r.events), r.saker_cpu_s * 1e3, us, r.load);
  }
}

}  // namespace

double Samples::last(const std::string& key) const { return series(series_, key).back(); }

double Samples::median(const std::string& key) const {
  std::vector<double> v = series(series_, key);
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double Samples::min(const std::string& key) const {
  const auto& v = series(series_, key);
  return *std::min_element(v.begin(), v.end());
}

double Samples::max(const std::string& key) const {
  const auto& v = series(series_, key);
  return *std::max_element(v.begin(), v.end());
}

bool Samples::has(const std::string& key) const {
  auto it = series_.find(key);
  return it != series_.end() && !it->second.empty();
}

void print_report(const Samples& s, const RateResult& rate, const std::vector<ProfileRow>& rows,
                  int bpftool_saker_lines) {
  const bool rounds = s.has("open_close/off");
  std::printf(
      "\nsaker live, Falco stable rules. (a), (e), (f): CPU time of the workload (user +"
      " system, children included), medians of per-round values; load = 1-min load"
      " average, min–max over the rounds\n\n");
  std::printf(
      "| | figure | without saker | with saker | change | target | Falco 0.43.1 | load |"
      " |\n|---|---|---|---|---|---|---|---|---|\n");
  if (rounds) {
    print_workloads(s, "");
    if (const double foreign = highest(s, "foreign/"); foreign > 0) {
      std::printf(
          "| | note: another saker was attached during some rounds (up to %.0f) |"
          " | | | | | | |\n",
          foreign);
    }
    std::printf(
        "| | saker start until the source is open (driver load and verification, /proc scan) |"
        " | %.2f s wall, %.2f s CPU | | | | | |\n",
        s.median("start/wall/on"), s.median("start/cpu/on"));
    if (s.max("drops/on") > 0 || s.max("drops/floor") > 0) {
      std::printf(
          "| | note: the kernel dropped events during some rounds (up to %.0f with saker, %.0f"
          " in the floor config): saker's cost is understated there (a drop skips the copy) |"
          " | | | | | | |\n",
          s.max("drops/on"), s.max("drops/floor"));
    }
  } else {
    std::printf("| a, e, f | not measured (phase \"rounds\" not run) | | | | | | | |\n");
  }
  if (rate.ran) {
    print_rate(rate);
  } else {
    std::printf("| b, c, d | not measured (phase \"rate\" not run) | | | | | | | |\n");
  }
  if (rounds) {
    std::printf("\nThe same rounds in wall time (includes waiting for a CPU others hold):\n\n");
    std::printf(
        "| | figure | without saker | with saker | change | target | Falco 0.43.1 | load |"
        " |\n|---|---|---|---|---|---|---|---|---|\n");
    print_workloads(s, "wall/");
  }
  if (!rows.empty()) print_profile(rows);
  std::printf("\n`bpftool prog show | grep -c saker` after the last stop: %d%s\n",
              bpftool_saker_lines, bpftool_saker_lines ? " (another saker on this host?)" : "");
}

}  // namespace saker::bench
