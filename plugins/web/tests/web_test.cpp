// The web plugin through the real core: a paced test source, alerts to a file output,
// the plugin's server on loopback. /metrics is scraped and parsed as Prometheus text;
// /healthz turns unhealthy while the source's loop is stuck (the test source blocks
// while a file exists) and healthy again after; /readyz per source; /versions.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "health.h"
#include "http_receiver.h"
#include "output_rig.h"  // test::wait_for
#include "test_util.h"

using namespace saker;
using nlohmann::json;

namespace {

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
  socklen_t len = sizeof(sa);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  close(fd);
  return ntohs(sa.sin_port);
}

// A Prometheus text exposition parsed: sample "name{labels}" -> value; checks the
// format line by line (HELP and TYPE before a family's samples, valid names, numbers).
std::map<std::string, double> parse_prometheus(const std::string& text) {
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.eE+]+|NaN|\+Inf|-Inf))");
  static const std::regex kType(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge))");
  std::map<std::string, double> out;
  std::map<std::string, bool> typed;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("# HELP ", 0) == 0) continue;
    if (std::regex_match(line, m, kType)) {
      CHECK_MESSAGE(!typed[m[1]], "TYPE twice: ", line);
      typed[m[1]] = true;
      continue;
    }
    REQUIRE_MESSAGE(std::regex_match(line, m, kSample), "not a sample: ", line);
    CHECK_MESSAGE(typed[m[1]], "sample before its TYPE: ", line);
    out[line.substr(0, line.rfind(' '))] = std::stod(line.substr(line.rfind(' ') + 1));
  }
  return out;
}

}  // namespace

TEST_CASE("prometheus_text: names, kinds, labels, escaping") {
  json state = {{"saker_version", "1.0.0"},
                {"metrics",
                 {{{"name", "num_alerts"}, {"kind", "counter"}, {"help", "Alerts"}, {"value", 3}},
                  {{"name", "rules_matches_total{rule_name=\"a \\\"b\"}"},
                   {"kind", "counter"},
                   {"help", "h"},
                   {"value", 2}},
                  {{"name", "output_queue_depth{output=\"x\"}"},
                   {"kind", "gauge"},
                   {"help", "q"},
                   {"value", 7}}}}};
  auto m = parse_prometheus(web::prometheus_text(state, {}));
  CHECK(m["saker_num_alerts_total"] == 3);
  CHECK(m["saker_output_queue_depth{output=\"x\"}"] == 7);
  CHECK(m.count("saker_process_resident_memory_bytes") == 1);
}

TEST_CASE("web plugin: /healthz follows the source loop, /metrics parses, /readyz, /versions") {
  test::TempDir dir;
  const auto stall = dir.path() / "stall";
  const int port = free_port();
  auto e = test::make_engine();
  e->plugins().load({"pace", "libpace_source.so",
                     json{{"interval_ms", 5}, {"stall_file", stall.string()}}.dump(), ""});
  auto& out = e->plugins().load({"file_output", "libfile_output.so", "", ""});
  e->plugins().load({"web", "libweb.so",
                     json{{"listen_address", "127.0.0.1"},
                          {"listen_port", port},
                          {"prometheus_metrics_enabled", true},
                          {"source_stall_timeout_ms", 1000}}
                         .dump(),
                     ""});
  e->register_fields();
  e->open_output(out, json{{"filename", (dir.path() / "events.txt").string()}}.dump());
  test::FormatSink sink(*e);
  sink.add("pace", "tick %pace.n");
  e->set_sink(&sink);
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(5, 0);
  auto get = [&](const std::string& path) {
    auto r = c.Get(path.c_str());
    REQUIRE(r);
    return std::make_pair(r->status, r->body);
  };

  // Before any source is open: alive, not ready.
  CHECK(get("/healthz").first == 200);
  CHECK(get("/readyz").first == 503);

  std::atomic<bool> stop{false};
  std::thread runner([&] { e->run({"pace"}, stop); });
  struct Stop {  // stops the engine even when a REQUIRE fails
    std::atomic<bool>& stop;
    std::thread& t;
    std::filesystem::path stall;
    ~Stop() {
      std::filesystem::remove(stall);
      stop = true;
      if (t.joinable()) t.join();
    }
  } guard{stop, runner, stall};
  REQUIRE(test::wait_for([&] { return sink.events > 20; }));

  auto [hs, hb] = get("/healthz");
  CHECK(hs == 200);
  CHECK(json::parse(hb)["status"] == "ok");
  CHECK(json::parse(hb)["sources"]["pace"]["healthy"] == true);
  CHECK(get("/readyz").first == 200);
  CHECK(get("/readyz?source=pace").first == 200);
  CHECK(get("/readyz?source=nope").first == 404);
  auto v = json::parse(get("/versions").second);
  CHECK(v["plugin_versions"]["pace_source"] == "0.1.0");
  CHECK(v["plugin_api_version"] == "1.5.0");

  REQUIRE(test::wait_for(
      [&] { return e->metrics().value_of("output_num_sent{output=\"file_output\"}") > 10; }));
  auto [ms, mb] = get("/metrics");
  CHECK(ms == 200);
  auto m = parse_prometheus(mb);
  CHECK(m["saker_source_pace_num_evts_total"] > 20);
  CHECK(m["saker_num_alerts_total"] > 10);
  CHECK(m["saker_output_num_sent_total{output=\"file_output\"}"] > 10);
  CHECK(m.count("saker_output_queue_depth{output=\"file_output\"}") == 1);
  CHECK(m.count("saker_output_queue_num_drops_total{output=\"file_output\"}") == 1);
  CHECK(m["saker_source_running{source=\"pace\"}"] == 1);
  CHECK(m["saker_process_resident_memory_bytes"] > 0);
  CHECK(m["saker_process_cpu_seconds_total"] >= 0);

  // The source's loop gets stuck: /healthz says so, then recovers.
  std::ofstream(stall) << "stall\n";
  const bool went_bad = test::wait_for([&] { return get("/healthz").first == 503; });
  if (!went_bad) MESSAGE(get("/healthz").second);
  REQUIRE(went_bad);
  auto bad = json::parse(get("/healthz").second);
  CHECK(bad["status"] == "unhealthy");
  CHECK(bad["sources"]["pace"]["healthy"] == false);
  CHECK(bad["reasons"][0].get<std::string>().find("source pace loop stuck") != std::string::npos);
  CHECK(get("/readyz?source=pace").first == 503);
  std::filesystem::remove(stall);
  REQUIRE(test::wait_for([&] { return get("/healthz").first == 200; }));
  CHECK(get("/readyz").first == 200);
}

TEST_CASE("web plugin: bad settings name the key") {
  auto e = test::make_engine();
  auto err = [&](const json& cfg) {
    try {
      e->plugins().load({"web", "libweb.so", cfg.dump(), ""});
    } catch (const std::exception& ex) {
      return std::string(ex.what());
    }
    for (const auto& f : e->plugins().failures()) return f.message;
    return std::string("loaded");
  };
  CHECK(err({{"listen_port", 70000}}).find("webserver.listen_port") != std::string::npos);
}

TEST_CASE("web plugin: /healthz turns unhealthy while an output stops draining, over TLS") {
  test::TempDir dir;
  const std::string pem = (dir.path() / "saker.pem").string();
  const std::string cmd = "cd " + dir.path().string() +
                          " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
                          " -nodes -keyout k.pem -out c.pem -days 2 -subj /CN=127.0.0.1"
                          " 2>/dev/null && cat c.pem k.pem > saker.pem";
  REQUIRE(std::system(cmd.c_str()) == 0);
  test::HttpReceiver hung;
  hung.hang();
  const int port = free_port();
  auto e = test::make_engine();
  e->plugins().load({"web", "libweb.so",
                     json{{"listen_address", "127.0.0.1"},
                          {"listen_port", port},
                          {"ssl_enabled", true},
                          {"ssl_certificate", pem},
                          {"output_stall_timeout_ms", 300}}
                         .dump(),
                     ""});
  auto& http = e->plugins().load({"http_output", "libhttp_output.so", "", ""});
  e->open_output(http, json{{"url", hung.url()},
                            {"timeout_ms", 60000},
                            {"spool_dir", (dir.path() / "spool").string()}}
                           .dump());
  httplib::SSLClient c("127.0.0.1", port);
  c.enable_server_certificate_verification(false);
  c.set_read_timeout(5, 0);
  auto status = [&] {
    auto r = c.Get("/healthz");
    REQUIRE(r);
    return r->status;
  };
  CHECK(status() == 200);
  core::AlertRecord a;
  a.time = 1;
  a.rule = "r";
  a.source = "syscall";
  a.fields.push_back({"x", "1", json(1)});
  e->publish(a);
  REQUIRE(test::wait_for([&] { return status() == 503; }));
  auto body = json::parse(c.Get("/healthz")->body);
  CHECK(body["outputs"]["http_output"]["healthy"] == false);
  CHECK(body["reasons"][0].get<std::string>().find("output http_output not draining") !=
        std::string::npos);
  hung.release_hang();
  REQUIRE(test::wait_for([&] { return status() == 200; }));
  e->outputs().stop();
}
