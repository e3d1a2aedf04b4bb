// Benchmark of the k8saudit webhook path: client threads POST EventList batches of 100
// real audit events (the Panther test events, cycled) over HTTP or HTTPS on loopback
// → the plugin's HTTP workers (validate, split, queue) → next_batch → the core's source
// loop → a sink that extracts, in one batched call, the ka.* / jevt.* fields the
// upstream k8s audit rules read (memoised) → 1 alert in 1000 → the null output plugin;
// or, with mode `rules`, the rule engine with the upstream k8s_audit_rules.yaml loaded
// (all matching rules alert) → the null output plugin.
// Prints events/s (median of the repeats), CPU time, peak RSS and 503 retries.
// Clients keep their connection alive, as the API server does; `close` as 6th argument
// opens one connection (and TLS handshake) per batch instead.
// Usage: k8saudit_bench [events=200000] [repeats=3] [https|http] [clients=2] [fields|rules]
//                       [keepalive|close]
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "engine.h"
#include "log.h"
#include "rules/runtime/rule_engine.h"

using namespace saker::core;

namespace {

const char* kRuleFields[] = {"ka.user.name",
                             "ka.verb",
                             "ka.uri",
                             "ka.target.resource",
                             "ka.target.name",
                             "ka.target.namespace",
                             "ka.target.subresource",
                             "ka.response.code",
                             "ka.auth.decision",
                             "ka.auth.reason",
                             "ka.resp.name",
                             "ka.req.pod.containers.image",
                             "ka.req.pod.containers.image.repository",
                             "ka.req.pod.containers.privileged",
                             "ka.req.pod.initContainers.privileged",
                             "ka.req.pod.ephemeralContainers.privileged",
                             "ka.req.pod.volumes.hostpath",
                             "ka.req.pod.host_network",
                             "ka.req.pod.host_pid",
                             "ka.req.pod.host_ipc",
                             "ka.req.binding.role",
                             "ka.req.binding.subjects",
                             "ka.req.role.rules.verbs",
                             "ka.req.role.rules.resources",
                             "ka.req.configmap.obj",
                             "ka.req.service.type"};

class RuleFieldSink : public EventSink {
 public:
  explicit RuleFieldSink(Engine& e) : e_(e) {
    std::vector<uint32_t> slots;
    for (const char* f : kRuleFields)
      slots.push_back(e.slots().resolve(e.fields().find("k8s_audit", f), nullptr));
    slots.push_back(e.slots().resolve(e.fields().find("k8s_audit", "jevt.value"), "/stage"));
    batch_ = std::make_unique<FieldBatch>(e.slots(), slots);
    slots_ = slots;
    fmt_ = std::make_unique<OutputFormat>(
        OutputFormat::compile("user=%ka.user.name verb=%ka.verb res=%ka.target.resource",
                              "k8s_audit", e.fields(), e.slots()));
  }
  void on_event(EventContext& ctx) noexcept override {
    ctx.fetch(*batch_);
    for (uint32_t s : slots_) checksum_ += ctx.get(s).count;
    if (ctx.event()->num % 1000 == 0) {
      AlertRecord a;
      a.time = ctx.event()->ts;
      a.rule = "bench";
      a.source = ctx.source();
      fmt_->render(ctx, &a.message, &a.fields);
      e_.publish(std::move(a));
    }
    events++;
  }
  std::atomic<uint64_t> events{0};
  uint64_t checksum_ = 0;

 private:
  Engine& e_;
  std::vector<uint32_t> slots_;
  std::unique_ptr<FieldBatch> batch_;
  std::unique_ptr<OutputFormat> fmt_;
};

std::vector<std::string> batches_of_100() {
  std::vector<std::string> lines, out;
  std::ifstream in(std::string(SAKER_TESTDATA_DIR) +
                   "/k8saudit/panther_k8s_audit_test_events.jsonl");
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  for (size_t start = 0; start < lines.size(); start += 47) {  // several different batches
    std::string b = R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[)";
    for (size_t i = 0; i < 100; ++i) b += (i ? "," : "") + lines[(start + i) % lines.size()];
    out.push_back(b + "]}");
  }
  return out;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

// POSTs `n` batches; returns how many 503s it had to retry.
uint64_t client(int port, bool https, bool keep_alive, const std::vector<std::string>& bodies,
                uint64_t n) {
  std::string url = (https ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port);
  httplib::Client cli(url);
  cli.enable_server_certificate_verification(false);
  cli.set_tcp_nodelay(true);
  // Like the API server's webhook backend (Go's HTTP client): one kept-alive connection
  // per client, so the TLS handshake is paid once, not per batch.
  cli.set_keep_alive(keep_alive);
  uint64_t retries = 0;
  for (uint64_t i = 0; i < n;) {
    auto r = cli.Post("/k8s-audit", bodies[i % bodies.size()], "application/json");
    if (r && r->status == 200) {
      ++i;
    } else if (++retries > 100000) {
      fprintf(stderr, "giving up: %s\n", r ? std::to_string(r->status).c_str() : "no connection");
      std::exit(1);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(r ? 1 : 50));
    }
  }
  return retries;
}

int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t events = argc > 1 ? std::stoull(argv[1]) : 200000;
  int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
  bool https = argc > 3 ? std::string(argv[3]) != "http" : true;
  int clients = argc > 4 ? std::stoi(argv[4]) : 2;
  bool with_rules = argc > 5 && std::string(argv[5]) == "rules";
  bool keep_alive = !(argc > 6 && std::string(argv[6]) == "close");
  log_configure({LogLevel::kWarning, true, false});
  auto dir =
      std::filesystem::temp_directory_path() / ("k8saudit-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::string cert = (dir / "c.crt").string(), key = (dir / "c.key").string();
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
      "-subj /CN=bench -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  if (https && std::system(cmd.c_str()) != 0) return 1;
  auto bodies = batches_of_100();
  uint64_t batches = events / 100;
  std::vector<double> rates;
  for (int r = 0; r < repeats; ++r) {
    int port = free_port();
    EngineOptions o;
    o.plugins_dir = SAKER_PLUGIN_DIR;
    o.hostname = "bench";
    Engine e(o);
    std::string init = R"({"listen":"127.0.0.1:)" + std::to_string(port) + R"(","scheme":")" +
                       (https ? "https" : "http") + R"(","ssl_certificate":")" + cert +
                       R"(","ssl_key":")" + key + R"(","threads":4})";
    e.plugins().load({"k8s", "libk8saudit.so", init, ""});
    auto& out = e.plugins().load({"null", "libnull_output.so", "", ""});
    e.register_fields();
    e.open_output(out, "");
    RuleFieldSink sink(e);
    saker::rules::RuleSet set(saker::rules::engine_host(e), {});
    std::unique_ptr<saker::rules::RuleEngine> rules;
    if (with_rules) {
      auto res = set.load_file(std::string(SAKER_TESTDATA_DIR) + "/rules/k8s_audit_rules.yaml");
      if (!res.successful) return 1;
      saker::rules::RuleEngineOptions all;
      all.match_all = true;
      rules = std::make_unique<saker::rules::RuleEngine>(set, all);
      rules->activate();
      e.set_sink(rules.get());
    } else {
      e.set_sink(&sink);
    }
    std::atomic<bool> stop{false};
    std::thread engine([&] { e.run({"k8s_audit"}, stop); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    double c0 = cpu_seconds();
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> cs;
    std::atomic<uint64_t> retries{0};
    for (int c = 0; c < clients; ++c) {
      cs.emplace_back([&, c] {
        retries += client(port, https, keep_alive, bodies,
                          batches / clients + (c < int(batches % clients)));
      });
    }
    for (auto& t : cs) t.join();
    while (e.metrics().value_of("source_k8s_audit_num_evts") < batches * 100)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = cpu_seconds() - c0;
    stop = true;
    engine.join();
    rates.push_back(batches * 100 / secs);
    printf(
        "run %d (%s, %s, %d %s clients): %.0f events/s, %.2f s, cpu %.2f s (clients included), "
        "503 retries %llu, alerts %llu\n",
        r, https ? "https" : "http", with_rules ? "upstream rules" : "rule fields", clients,
        keep_alive ? "keep-alive" : "one-connection-per-batch", batches * 100 / secs, secs, cpu,
        (unsigned long long)retries.load(), (unsigned long long)e.metrics().value_of("num_alerts"));
  }
  std::filesystem::remove_all(dir);
  std::sort(rates.begin(), rates.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  printf("k8saudit webhook -> core -> %s: median %.0f events/s, peak RSS %ld MiB\n",
         with_rules ? "upstream k8s_audit_rules.yaml" : "27 rule fields", rates[rates.size() / 2],
         ru.ru_maxrss / 1024);
  return 0;
}
