// The webhook end to end over HTTPS on loopback, through the real core: real audit
// events POSTed as EventList / array / single Event come out of next_batch with the
// same field values as the same events replayed from a file; bearer token and mTLS.
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "k8s_test_util.h"
#include "test_util.h"

using namespace saker;
using namespace saker::k8stest;

namespace {

std::string init_config(int port, const TlsFiles& tls, const std::string& extra_key = "",
                        const std::string& extra_value = "") {
  nlohmann::json j{{"listen", "127.0.0.1:" + std::to_string(port)},
                   {"ssl_certificate", tls.cert},
                   {"ssl_key", tls.key}};
  if (!extra_key.empty()) j[extra_key] = extra_value;
  return j.dump();
}

// POST with retries while the engine is still opening the source.
template <class C>
httplib::Result post(C& cli, const std::string& body, const httplib::Headers& h = {}) {
  for (int i = 0;; ++i) {
    auto res = cli.Post("/k8s-audit", h, body, "application/json");
    if (res || i > 100) return res;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

TEST_CASE("events POSTed over HTTPS match the file replay field for field") {
  test::TempDir dir;
  TlsFiles tls = make_cert(dir.path(), "server");
  int port = free_port();
  auto e = test::make_engine();
  e->plugins().load(
      {"k8s", "libk8saudit.so", init_config(port, tls, "bearer_token", "s3cret"), ""});
  e->register_fields();
  CollectSink sink(*e, kCompareFormat);
  e->set_sink(&sink);
  Runner runner(*e);

  httplib::Client cli("https://127.0.0.1:" + std::to_string(port));
  cli.set_ca_cert_path(tls.cert.c_str());
  cli.enable_server_certificate_verification(true);
  httplib::Headers auth{{"Authorization", "Bearer s3cret"}};
  auto src = panther_lines();
  for (size_t i = 0; i < 100; i += 50) {  // EventList documents
    auto res = post(cli, event_list(src, i, i + 50), auth);
    REQUIRE(res);
    CHECK(res->status == 200);
  }
  std::string array = "[";
  for (size_t i = 100; i < 150; ++i) array += (i > 100 ? "," : "") + src[i];
  CHECK(post(cli, array + "]", auth)->status == 200);  // a plain JSON array
  for (size_t i = 150; i < src.size(); ++i) {          // single Event objects
    CHECK(post(cli, src[i], auth)->status == 200);
  }
  REQUIRE(sink.wait_for(src.size(), 20000));
  runner.stop();
  auto from_file = replay_file("file://" + panther_path(), kCompareFormat);
  CHECK(sink.lines() == from_file);
  CHECK(e->metrics().value_of("k8s_webhook_events_accepted") == src.size());
  CHECK(e->metrics().value_of("k8s_webhook_requests_accepted") == 2 + 1 + (src.size() - 150));
}

TEST_CASE("mTLS: only clients with a certificate from client_ca get in") {
  test::TempDir dir;
  TlsFiles server = make_cert(dir.path(), "server");
  TlsFiles client = make_cert(dir.path(), "client");
  TlsFiles intruder = make_cert(dir.path(), "intruder");
  int port = free_port();
  auto e = test::make_engine();
  e->plugins().load(
      {"k8s", "libk8saudit.so", init_config(port, server, "client_ca", client.cert), ""});
  e->register_fields();
  CollectSink sink(*e, "%ka.auditid");
  e->set_sink(&sink);
  Runner runner(*e);
  std::string body = panther_lines()[0];
  httplib::SSLClient good("127.0.0.1", port, client.cert, client.key);
  good.enable_server_certificate_verification(false);
  auto ok = post(good, body);
  REQUIRE(ok);
  CHECK(ok->status == 200);
  httplib::SSLClient anonymous("127.0.0.1", port);
  anonymous.enable_server_certificate_verification(false);
  CHECK_FALSE(anonymous.Post("/k8s-audit", body, "application/json"));
  httplib::SSLClient bad("127.0.0.1", port, intruder.cert, intruder.key);
  bad.enable_server_certificate_verification(false);
  CHECK_FALSE(bad.Post("/k8s-audit", body, "application/json"));
  REQUIRE(sink.wait_for(1, 5000));
  runner.stop();
  CHECK(sink.lines() == std::vector<std::string>{"abcde12345"});
}
