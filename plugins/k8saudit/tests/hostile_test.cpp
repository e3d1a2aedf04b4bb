// Hostile input against the webhook (a WebhookStream without the core, plain HTTP and
// HTTPS on loopback): each bad request gets its status and its counter, slow clients
// are cut off by the read timeout, a full queue answers 503 instead of growing, and
// the server keeps serving good requests throughout.
#include <doctest/doctest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "k8s_test_util.h"
#include "streams.h"
#include "test_util.h"

using namespace saker;
using namespace saker::k8saudit;
using namespace saker::k8stest;

namespace {

// A webhook stream on an ephemeral loopback port, with small bounds.
struct TestServer {
  explicit TestServer(nlohmann::json extra = nlohmann::json::object()) : stats(sdk::Host()) {
    nlohmann::json cfg{{"listen", "127.0.0.1:0"},
                       {"scheme", "http"},
                       {"bearer_token", "tok"},
                       {"max_body_bytes", 65536},
                       {"max_event_bytes", 4096},
                       {"read_timeout_ms", 300},
                       {"header_timeout_ms", 1000},
                       {"keep_alive_timeout_s", 1},
                       {"queue_max_events", 300},
                       {"queue_max_bytes", 1 << 20},
                       {"threads", 2}};
    cfg.update(extra);
    stream = std::make_unique<WebhookStream>(parse_init_config(cfg.dump()), &stats);
  }
  // Pops every queued event; returns how many.
  size_t drain() {
    size_t n = 0;
    for (;;) {
      sdk::EventWriter w;
      stream->next_batch(w, 20);
      if (w.count() == 0) return n;
      n += w.count();
    }
  }
  // The server counts a refusal in its access logger, which runs after the response is
  // written: the client can see the status a moment before the counter moves.
  uint64_t counter(Counter c, uint64_t expect) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (stats.get(c) != expect && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return stats.get(c);
  }
  int status(const std::string& method, const std::string& path, const std::string& body,
             const std::string& type, const std::string& token = "tok") {
    httplib::Client cli("127.0.0.1", stream->port());
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result r = method == "GET"      ? cli.Get(path, h)
                        : method == "PUT"    ? cli.Put(path, h, body, type)
                        : method == "DELETE" ? cli.Delete(path, h)
                                             : cli.Post(path, h, body, type);
    return r ? r->status : -1;
  }
  Stats stats;
  std::unique_ptr<WebhookStream> stream;
};

size_t rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("VmRSS:", 0) == 0) return std::stoul(l.substr(6));
  }
  return 0;
}

const char* kJson = "application/json";

}  // namespace

TEST_CASE("each kind of bad request gets its status and counter; good ones still pass") {
  TestServer s;
  auto src = panther_lines();
  std::string good = event_list(src, 0, 5);
  CHECK(s.status("POST", "/k8s-audit", good, kJson) == 200);
  CHECK(s.status("POST", "/k8s-audit", good, "application/json; charset=utf-8") == 200);
  CHECK(s.status("POST", "/k8s-audit", good, kJson, "") == 401);
  CHECK(s.status("POST", "/k8s-audit", good, kJson, "wrong") == 401);
  CHECK(s.status("POST", "/k8s-audit", good, "text/plain") == 415);
  CHECK(s.status("POST", "/k8s-audit", "{\"kind\":", kJson) == 400);             // truncated
  CHECK(s.status("POST", "/k8s-audit", "{'single':'quotes'}", kJson) == 400);    // malformed
  CHECK(s.status("POST", "/k8s-audit", std::string(60000, '['), kJson) == 400);  // deep
  CHECK(s.status("POST", "/k8s-audit", "[1,2,3]", kJson) == 400);                // not events
  CHECK(s.status("POST", "/k8s-audit", std::string(1, '\0'), kJson) == 400);
  std::string big_event = R"([{"verb":")" + std::string(5000, 'x') + R"("}])";
  CHECK(s.status("POST", "/k8s-audit", big_event, kJson) == 413);
  CHECK(s.status("POST", "/k8s-audit", std::string(70000, ' ') + good, kJson) == 413);
  CHECK(s.status("GET", "/k8s-audit", "", "") == 405);
  CHECK(s.status("PUT", "/k8s-audit", good, kJson) == 405);
  CHECK(s.status("DELETE", "/k8s-audit", "", "") == 405);
  CHECK(s.status("POST", "/elsewhere", good, kJson) == 404);
  CHECK(s.status("POST", "/k8s-audit", good, kJson) == 200);
  CHECK(s.drain() == 15);
  CHECK(s.counter(Counter::kRequestsAccepted, 3) == 3);
  CHECK(s.counter(Counter::kUnauthorized, 2) == 2);
  CHECK(s.counter(Counter::kBadContentType, 1) == 1);
  CHECK(s.counter(Counter::kBadRequest, 5) == 5);
  CHECK(s.counter(Counter::kBodyTooLarge, 1) == 1);  // the 70000-byte body
  CHECK(s.counter(Counter::kTooLarge, 2) == 2);
  CHECK(s.counter(Counter::kBadMethod, 3) == 3);
  CHECK(s.counter(Counter::kNotFound, 1) == 1);
}

TEST_CASE("truncated bodies and slow clients are cut off by the read timeout") {
  TestServer s;
  std::string head =
      "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer tok\r\nContent-Length: 1000\r\n\r\n{\"kind\":\"Ev";
  int answered = 0;
  std::string reply = raw_exchange(s.stream->port(), head, 3000, &answered);  // body never ends
  CHECK(reply.rfind("HTTP/1.1 408", 0) == 0);                                 // read_timeout_ms
  CHECK(answered >= 250);
  CHECK(answered < 2000);
  // More stalled clients (headers never end) than worker threads, all at once: none
  // holds a worker, each is answered 408 or dropped at the header deadline.
  std::vector<std::thread> slow;
  std::atomic<int> cut{0};
  for (int i = 0; i < 4; ++i) {
    slow.emplace_back([&] {
      int c = 0;
      raw_exchange(s.stream->port(), "POST /k8s-audit HTTP/1.1\r\nHost: x\r\n", 8000, &c);
      if (c >= 0) ++cut;
    });
  }
  for (auto& t : slow) t.join();
  CHECK(cut == 4);
  CHECK(s.status("POST", "/k8s-audit", panther_lines()[0], kJson) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("a full queue answers 503 and never grows past its bound") {
  TestServer s;
  auto src = panther_lines();
  std::string batch = event_list(src, 0, 100);
  for (int i = 0; i < 3; ++i) CHECK(s.status("POST", "/k8s-audit", batch, kJson) == 200);
  for (int i = 0; i < 5; ++i) CHECK(s.status("POST", "/k8s-audit", batch, kJson) == 503);
  CHECK(s.stream->queue().size() == 300);
  CHECK(s.stream->queue().high_water_events() == 300);
  CHECK(s.counter(Counter::kBusy, 5) == 5);
  CHECK(s.drain() == 300);
  CHECK(s.status("POST", "/k8s-audit", batch, kJson) == 200);
}

TEST_CASE("memory stays bounded under oversized and malformed floods") {
  TestServer s;
  std::string huge(1 << 20, '[');
  std::string bad(60000, '{');
  s.status("POST", "/k8s-audit", huge, kJson);  // warm up allocator and TLS-free paths
  size_t before = rss_kib();
  for (int i = 0; i < 40; ++i) {
    CHECK(s.status("POST", "/k8s-audit", huge, kJson) == 413);
    CHECK(s.status("POST", "/k8s-audit", bad, kJson) == 400);
  }
  size_t after = rss_kib();
  MESSAGE("RSS before ", before, " KiB, after ", after, " KiB");
  CHECK(after < before + 20 * 1024);
  CHECK(s.stream->queue().size() == 0);
}

TEST_CASE("HTTPS: clients that never finish the handshake, or speak plain text, are dropped") {
  test::TempDir dir;
  TlsFiles tls = make_cert(dir.path(), "server");
  TestServer s({{"scheme", "https"}, {"ssl_certificate", tls.cert}, {"ssl_key", tls.key}});
  int answered = 0;
  raw_exchange(s.stream->port(), "", 4000, &answered);  // TCP connect, no ClientHello
  CHECK(answered >= 0);
  raw_exchange(s.stream->port(), "POST /k8s-audit HTTP/1.1\r\n\r\n", 4000, &answered);
  CHECK(answered >= 0);
  httplib::SSLClient cli("127.0.0.1", s.stream->port());
  cli.enable_server_certificate_verification(false);
  auto r = cli.Post("/k8s-audit", {{"Authorization", "Bearer tok"}}, panther_lines()[1], kJson);
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("a port already in use is reported as such at start") {
  TestServer first;
  int port = first.stream->port();
  sdk::Host host;
  Stats stats(host);
  nlohmann::json cfg{{"listen", "127.0.0.1:" + std::to_string(port)}, {"scheme", "http"}};
  std::string message;
  try {
    WebhookStream second(parse_init_config(cfg.dump()), &stats);
  } catch (const sdk::PluginError& e) {
    message = e.what();
  }
  CHECK(message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  CHECK(message.find("already in use") != std::string::npos);
}
