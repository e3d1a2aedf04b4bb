// Benchmark of the output plugins through the core's output router. Alerts are rendered
// once beforehand (the rule engine's share is not measured here) and published as the
// rule engine publishes them; a figure is alerts/s from the first publish until the
// output has taken the last one.
//   file   : file_output, keep_alive, text and JSON, unbuffered and buffered
//   http   : http_output to a cpp-httplib server on loopback, keep-alive (one connection)
//   hung   : stdout_output (to /dev/null) alone, beside a fast second output, beside an
//            http_output whose endpoint hangs: publish cost per alert (the event loop's
//            share) and stdout's alerts/s
// Usage: outputs_bench [file|http|hung|all] [alerts=1000000]
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "http_receiver.h"
#include "log.h"
#include "test_util.h"

using namespace saker;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

std::vector<std::shared_ptr<const core::AlertRecord>> make_alerts(size_t n) {
  std::vector<std::shared_ptr<const core::AlertRecord>> out;
  for (size_t i = 0; i < n; ++i) {
    core::AlertRecord a;
    a.time = 1700000000000000000ull + i;
    a.priority = core::Priority::kWarning;
    a.rule = "Read sensitive file untrusted";
    a.source = "syscall";
    a.hostname = "bench-host";
    a.message =
        "Sensitive file opened for reading by non-trusted program (file=/etc/shadow "
        "gparent=systemd ggparent=<NA> gggparent=<NA> evt_type=openat user=root "
        "user_uid=0 user_loginuid=-1 process=cat proc_exepath=/usr/bin/cat parent=bash "
        "command=cat /etc/shadow terminal=34816 container_id=host container_name=host)";
    a.tags = {"maturity_stable", "host", "container", "filesystem", "mitre_credential_access"};
    for (const char* f : {"fd.name", "proc.name", "proc.cmdline", "user.name", "proc.pname"}) {
      a.fields.push_back({f, "value", json("value")});
    }
    a.fields.push_back({"user.uid", "0", json(0)});
    core::finish_alert({}, &a);
    out.push_back(std::make_shared<const core::AlertRecord>(std::move(a)));
  }
  return out;
}

struct Run {
  double seconds = 0, publish_ns = 0;
  uint64_t sent = 0, drops = 0;
};

// Publish `n` alerts to every open output; wait until `metric` reaches n.
Run drive(core::Engine& e, size_t n, const std::string& metric) {
  static const auto alerts = make_alerts(1024);
  Run r;
  auto t0 = Clock::now();
  for (size_t i = 0; i < n; ++i) e.outputs().publish(alerts[i & 1023]);
  auto t1 = Clock::now();
  // output_num_sent{output="X"} -> output_queue_num_drops{output="X"}: its own drops.
  const std::string drops = "output_queue_num_drops" + metric.substr(metric.find('{'));
  while (e.metrics().value_of(metric) + e.metrics().value_of(drops) < n) {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  auto t2 = Clock::now();
  r.publish_ns = std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
  r.seconds = std::chrono::duration<double>(t2 - t0).count();
  r.sent = e.metrics().value_of(metric);
  r.drops = e.metrics().value_of(drops);
  return r;
}

void print(const char* what, size_t n, const Run& r) {
  printf("%-44s %9zu alerts %8.3f s %11.0f alerts/s  publish %6.0f ns/alert  drops %llu\n", what, n,
         r.seconds, r.sent / r.seconds, r.publish_ns, (unsigned long long)r.drops);
  fflush(stdout);
}

void bench_file(size_t n) {
  test::TempDir dir;
  for (bool json_out : {false, true}) {
    for (bool buffered : {false, true}) {
      auto e = test::make_engine({}, n);
      auto& inst = e->plugins().load({"file_output", "libfile_output.so", "", ""});
      const auto path = dir.path() / "events.txt";
      std::filesystem::remove(path);
      e->open_output(inst, json{{"filename", path.string()},
                                {"keep_alive", true},
                                {"json_output", json_out},
                                {"buffered", buffered}}
                               .dump());
      Run r = drive(*e, n, "output_num_sent{output=\"file_output\"}");
      e->outputs().stop();
      std::string what = std::string("file_output ") + (json_out ? "json" : "text") +
                         (buffered ? " buffered" : " unbuffered");
      print(what.c_str(), n, r);
    }
  }
}

void bench_http(size_t n) {
  test::HttpReceiver recv;
  recv.count_only();
  test::TempDir dir;
  auto e = test::make_engine({}, n);
  auto& inst = e->plugins().load({"http_output", "libhttp_output.so", "", ""});
  e->open_output(inst, json{{"url", recv.url()},
                            {"keep_alive", true},
                            {"json_output", true},
                            {"spool_dir", (dir.path() / "spool").string()}}
                           .dump());
  Run r = drive(*e, n, "output_num_sent{output=\"http_output\"}");
  e->outputs().stop();
  print("http_output json keep-alive (loopback)", n, r);
  if (recv.count() != n) printf("  receiver counted %zu posts\n", recv.count());
}

// stdout to /dev/null for the duration of `f`.
template <class F>
void with_stdout_to_null(F f) {
  fflush(stdout);
  int saved = dup(1);
  int null = open("/dev/null", O_WRONLY);
  dup2(null, 1);
  close(null);
  f();
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
}

void bench_hung(size_t n) {
  // The same queue capacity everywhere (n: stdout never drops); the second output is
  // either a fast one (null_output) or an http_output whose endpoint hangs.
  for (const char* second : {"", "null_output", "http_output (hung endpoint)"}) {
    test::HttpReceiver recv;
    recv.hang();
    test::TempDir dir;
    Run r;
    uint64_t held = 0;
    with_stdout_to_null([&] {
      auto e = test::make_engine({}, n);
      auto& so = e->plugins().load({"stdout_output", "libstdout_output.so", "", ""});
      e->open_output(so, json{{"buffered", true}}.dump());
      if (std::string(second) == "null_output") {
        e->open_output(e->plugins().load({"null", "libnull_output.so", "", ""}), "");
      } else if (*second) {
        auto& ho = e->plugins().load({"http_output", "libhttp_output.so", "", ""});
        e->open_output(ho, json{{"url", recv.url()},
                                {"keep_alive", true},
                                {"timeout_ms", 600000},
                                {"spool_dir", (dir.path() / "spool").string()}}
                               .dump());
      }
      r = drive(*e, n, "output_num_sent{output=\"stdout_output\"}");
      held = e->metrics().value_of("output_queue_depth{output=\"http_output\"}");
      recv.release_hang();
      e->outputs().stop();
    });
    std::string what = std::string("stdout_output") + (*second ? " + " : " alone") + second;
    print(what.c_str(), n, r);
    if (held)
      printf("  (the hung http_output's queue held %llu alerts meanwhile)\n",
             (unsigned long long)held);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string what = argc > 1 ? argv[1] : "all";
  const size_t n = argc > 2 ? std::stoull(argv[2]) : 1000000;
  core::LogSettings ls;
  ls.level = core::LogLevel::kError;
  core::log_configure(ls);
  if (what == "file" || what == "all") bench_file(n);
  if (what == "http" || what == "all") bench_http(std::min<size_t>(n, 200000));
  if (what == "hung" || what == "all") bench_hung(n);
  return 0;
}
