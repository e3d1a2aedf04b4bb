// Rule engine benchmarks.
//  (a) load + compile of falco_rules.yaml + falco-incubating_rules.yaml +
//      falco-sandbox_rules.yaml against the synthetic field provider (target < 150 ms);
//  (b) evaluation of a realistic mix of syscall events (open/openat/execve/connect/
//      accept/... with realistic process and fd values) against the whole stable ruleset
//      (falco_rules.yaml) on one core, fields memoised per event (target < 150 ns/event).
// Prints the median of the repeats (wall clock, and this thread's CPU time for (b)),
// events/s, ns/event and alerts.
//
//   build/bench/rules_bench [events=2000000] [repeats=5] [load_runs=10]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "rules/runtime/rule_engine.h"
#include "rules/compiler/explain.h"
#include "rules/testing/rules_fixture.h"

using namespace saker::rules;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kRules = std::string(SAKER_TESTDATA_DIR) + "/rules/";

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// This thread's CPU time: on a shared machine, what the thread itself spent (the wall
// clock also counts the time other processes held the core).
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

void bench_load(int runs) {
  std::vector<double> ms;
  size_t rules = 0;
  for (int i = 0; i < runs; ++i) {
    testing::Fixture f;
    auto t0 = Clock::now();
    RuleSet set(f.host(), {});
    for (const char* file :
         {"falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"}) {
      if (!set.load_file(kRules + file).successful) std::printf("load of %s failed\n", file);
    }
    RuleEngine engine(set);
    engine.activate();
    ms.push_back(ms_since(t0));
    rules = set.compiled().rules.size();
  }
  std::printf(
      "(a) load+compile 3 syscall rules files: %zu rules, median %.1f ms (min %.1f, max %.1f, %d "
      "runs)\n",
      rules, median(ms), *std::min_element(ms.begin(), ms.end()),
      *std::max_element(ms.begin(), ms.end()), runs);
}

struct Template {
  const char* type;
  int weight;
  std::vector<std::pair<std::string, std::string>> values;
};

// A process in a container or on the host, then the event-specific fields.
std::vector<Template> templates() {
  const std::vector<std::pair<std::string, std::string>> nginx = {
      {"proc.name", "nginx"},
      {"proc.exe", "/usr/sbin/nginx"},
      {"proc.exepath", "/usr/sbin/nginx"},
      {"proc.cmdline", "nginx -g daemon off;"},
      {"proc.pname", "containerd-shim"},
      {"proc.pcmdline", "containerd-shim -namespace moby"},
      {"proc.args", "-g daemon off;"},
      {"proc.tty", "0"},
      {"proc.vpid", "1"},
      {"user.name", "www-data"},
      {"user.uid", "33"},
      {"user.loginuid", "-1"},
      {"container.id", "3ad7b26ded6d"},
      {"container.image.repository", "docker.io/library/nginx"},
      {"proc.is_exe_upper_layer", "false"}};
  const std::vector<std::pair<std::string, std::string>> bash = {
      {"proc.name", "bash"},
      {"proc.exe", "/bin/bash"},
      {"proc.exepath", "/usr/bin/bash"},
      {"proc.cmdline", "bash"},
      {"proc.pname", "sshd"},
      {"proc.pcmdline", "sshd: alice@pts/0"},
      {"proc.args", ""},
      {"proc.tty", "34816"},
      {"proc.vpid", "4242"},
      {"user.name", "alice"},
      {"user.uid", "1000"},
      {"user.loginuid", "1000"},
      {"container.id", "host"},
      {"proc.is_exe_upper_layer", "false"}};
  auto with = [](std::vector<std::pair<std::string, std::string>> base,
                 std::vector<std::pair<std::string, std::string>> extra) {
    for (const auto& kv : extra) {  // later values replace the process's
      auto it = std::find_if(base.begin(), base.end(),
                             [&](const auto& b) { return b.first == kv.first; });
      if (it != base.end())
        it->second = kv.second;
      else
        base.push_back(kv);
    }
    return base;
  };
  const std::vector<std::pair<std::string, std::string>> file_read = {
      {"fd.typechar", "f"},           {"fd.type", "file"}, {"evt.is_open_read", "true"},
      {"evt.is_open_write", "false"}, {"evt.rawres", "5"}, {"fd.num", "5"}};
  return {
      {"openat", 30,
       with(nginx, with(file_read, {{"fd.name", "/var/www/html/index.html"},
                                    {"fd.directory", "/var/www/html"},
                                    {"fd.filename", "index.html"}}))},
      {"openat", 10,
       with(bash, with(file_read, {{"fd.name", "/etc/ld.so.cache"},
                                   {"fd.directory", "/etc"},
                                   {"fd.filename", "ld.so.cache"}}))},
      {"open", 5,
       with(bash, {{"fd.name", "/tmp/build.log"},
                   {"fd.directory", "/tmp"},
                   {"fd.filename", "build.log"},
                   {"fd.typechar", "f"},
                   {"evt.is_open_read", "false"},
                   {"evt.is_open_write", "true"},
                   {"evt.rawres", "3"},
                   {"fd.num", "3"}})},
      {"openat", 1,
       with(bash, with(file_read, {{"fd.name", "/etc/shadow"},
                                   {"fd.directory", "/etc"},
                                   {"fd.filename", "shadow"}}))},
      {"execve", 8,
       with(bash, {{"proc.name", "ls"},
                   {"proc.exe", "/bin/ls"},
                   {"proc.exepath", "/usr/bin/ls"},
                   {"proc.cmdline", "ls -la"},
                   {"proc.pname", "bash"},
                   {"proc.args", "-la"},
                   {"evt.rawres", "0"},
                   {"evt.arg.flags", "EXE_LOWER_LAYER"}})},
      {"execve", 1,
       with(nginx, {{"proc.name", "sh"},
                    {"proc.exe", "/bin/sh"},
                    {"proc.exepath", "/bin/sh"},
                    {"proc.cmdline", "sh -c id"},
                    {"proc.pname", "nginx"},
                    {"proc.tty", "34816"},
                    {"evt.rawres", "0"},
                    {"evt.arg.flags", "EXE_WRITABLE"}})},
      {"execve", 1,
       with(nginx, {{"proc.name", "bash"},
                    {"proc.exe", "/bin/bash"},
                    {"proc.exepath", "/usr/bin/bash"},
                    {"proc.cmdline", "bash"},
                    {"proc.pname", "containerd-shim"},
                    {"proc.tty", "34816"},
                    {"evt.rawres", "0"},
                    {"evt.arg.flags", "EXE_LOWER_LAYER"}})},
      {"connect", 8,
       with(bash, {{"proc.name", "curl"},
                   {"proc.cmdline", "curl https://example.com"},
                   {"fd.typechar", "4"},
                   {"fd.type", "ipv4"},
                   {"fd.l4proto", "tcp"},
                   {"fd.sockfamily", "ip"},
                   {"fd.sip", "93.184.216.34"},
                   {"fd.sport", "443"},
                   {"fd.name", "10.0.0.5:51234->93.184.216.34:443"},
                   {"evt.rawres", "0"}})},
      {"accept4", 5,
       with(nginx, {{"fd.typechar", "4"},
                    {"fd.type", "ipv4"},
                    {"fd.l4proto", "tcp"},
                    {"fd.sockfamily", "ip"},
                    {"fd.cip", "10.0.0.9"},
                    {"fd.sport", "80"},
                    {"evt.rawres", "7"}})},
      {"close", 15, with(nginx, {{"fd.name", "/var/www/html/index.html"}, {"evt.rawres", "0"}})},
      {"read", 10, with(nginx, {{"fd.name", "/var/www/html/index.html"}, {"evt.rawres", "512"}})},
      {"setuid", 1, with(bash, {{"proc.name", "sudo"}, {"evt.arg.uid", "0"}})},
      {"unlinkat", 2,
       with(bash, {{"fd.name", "/tmp/build.log"}, {"evt.arg.name", "/tmp/build.log"}})},
      {"mkdir", 1, with(bash, {{"evt.arg.path", "/tmp/work"}})},
      {"sendto", 3,
       with(nginx, {{"fd.typechar", "4"},
                    {"fd.l4proto", "udp"},
                    {"fd.sip", "10.0.0.2"},
                    {"fd.sport", "53"}})},
  };
}

testing::SyntheticEvent build_one(testing::Fixture& f, const Template& t) {
  auto b = f.builder();
  b.set("evt.type", t.type);
  for (const auto& [k, v] : t.values) {
    if (k.rfind("evt.arg.", 0) == 0) {
      b.set_arg("evt.arg", k.substr(8), v);
    } else {
      b.set(k, v);
    }
  }
  b.set_arg("proc.aname", "2", "systemd");
  return b.build(f.code(t.type));
}

// Each template `weight` times, bound in stable storage.
std::vector<std::unique_ptr<testing::SyntheticEvent>> make_events(testing::Fixture& f) {
  std::vector<std::unique_ptr<testing::SyntheticEvent>> out;
  for (const auto& t : templates()) {
    for (int w = 0; w < t.weight; ++w) {
      out.push_back(std::make_unique<testing::SyntheticEvent>(build_one(f, t)));
    }
  }
  for (auto& e : out) testing::bind(*e);
  return out;
}

size_t evaluated_checks(const ExplainNode& n) {
  if (!n.evaluated) return 0;
  if (n.children.empty()) return 1;
  size_t k = 0;
  for (const auto& c : n.children) k += evaluated_checks(c);
  return k;
}

// Per template: candidate rules and the checks short-circuit evaluation visits.
void print_stats() {
  testing::Fixture f;
  RuleSet set(f.host(), {});
  set.load_file(kRules + "falco_rules.yaml");
  RuleEngine engine(set);
  engine.activate();
  for (const auto& t : templates()) {
    auto ev = std::make_unique<testing::SyntheticEvent>(build_one(f, t));
    testing::bind(*ev);
    saker::core::EventContext ctx(f.slots(), "syscall");
    ctx.begin(&ev->event);
    size_t checks = 0, matches = 0;
    auto cands = engine.candidates("syscall", ev->event.type);
    for (const auto* r : cands) {
      ExplainNode n = explain(*r->expr, ctx);
      checks += evaluated_checks(n);
      matches += n.value;
    }
    std::printf("  %-8s w=%-3d candidates=%zu checks=%zu matches=%zu\n", t.type, t.weight,
                cands.size(), checks, matches);
  }
}

void bench_eval(uint64_t n, int repeats, bool prefetch) {
  testing::Fixture f;
  uint64_t alerts = 0;
  RuleEngineHost host = f.host();
  host.publish = [&alerts](saker::core::AlertRecord) { ++alerts; };
  RuleSet set(host, {});
  set.load_file(kRules + "falco_rules.yaml");
  RuleEngineOptions eo;
  eo.prefetch = prefetch;
  RuleEngine engine(set, eo);
  engine.activate();
  auto events = make_events(f);
  // Interleave the templates (a shuffled but fixed order).
  std::vector<const saker_event*> order;
  for (size_t i = 0; i < events.size(); ++i)
    order.push_back(&events[(i * 37) % events.size()]->event);
  saker::core::EventContext ctx(f.slots(), "syscall");
  std::vector<double> ns, cpu_ns;
  uint64_t run_alerts = 0;
  for (int r = 0; r < repeats; ++r) {
    alerts = 0;
    const double c0 = thread_cpu_ms();
    auto t0 = Clock::now();
    for (uint64_t i = 0; i < n; ++i) {
      ctx.begin(order[i % order.size()]);
      engine.on_event(ctx);
    }
    ns.push_back(ms_since(t0) * 1e6 / static_cast<double>(n));
    cpu_ns.push_back((thread_cpu_ms() - c0) * 1e6 / static_cast<double>(n));
    run_alerts = alerts;
  }
  const double med = median(ns);
  std::printf(
      "(b) eval %s: %zu enabled rules, %zu event templates, %llu events x %d: median %.1f ns/event "
      "(min %.1f, max %.1f; thread CPU %.1f), %.2f M events/s, %llu alerts per run\n",
      prefetch ? "prefetch" : "lazy    ", engine.num_active(), order.size(),
      static_cast<unsigned long long>(n), repeats, med, *std::min_element(ns.begin(), ns.end()),
      *std::max_element(ns.begin(), ns.end()), median(cpu_ns), 1e3 / med,
      static_cast<unsigned long long>(run_alerts));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--stats") {
    print_stats();
    return 0;
  }
  const uint64_t n = argc > 1 ? std::stoull(argv[1]) : 2000000;
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  const int load_runs = argc > 3 ? std::stoi(argv[3]) : 10;
  bench_load(load_runs);
  bench_eval(n, repeats, true);
  bench_eval(n, repeats, false);
  return 0;
}
