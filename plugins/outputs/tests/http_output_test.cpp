// The HTTP output through the real core against a real HTTP(S) server on loopback:
// Falcosidekick's input contract, headers, gzip, TLS with a CA file and mTLS, the
// insecure switch, an endpoint down during a stream (every alert arrives once, in
// order), saker restarted while the endpoint is down (the spool is delivered after
// the restart), rejections counted, bad settings named by key.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "http_receiver.h"
#include "output_rig.h"

using namespace saker;
using nlohmann::json;

namespace {

json http_params(const test::HttpReceiver& r, const test::TempDir& dir) {
  return {{"url", r.url()},
          {"json_output", true},
          {"keep_alive", true},
          {"timeout_ms", 2000},
          {"connect_timeout_ms", 500},
          {"retry_backoff_initial_ms", 20},
          {"retry_backoff_max_ms", 200},
          {"spool_dir", (dir.path() / "spool").string()}};
}

// The seq output field of every received body, in arrival order.
std::vector<int> seqs(const test::HttpReceiver& r) {
  std::vector<int> out;
  for (const auto& p : r.posts()) out.push_back(json::parse(p.body)["output_fields"]["seq"]);
  return out;
}
std::vector<int> range(int from, int to) {
  std::vector<int> v;
  for (int i = from; i < to; ++i) v.push_back(i);
  return v;
}

// A CA, a server certificate for 127.0.0.1 and a client certificate, by the openssl CLI.
struct Certs {
  test::TempDir dir;
  std::string ca, server_crt, server_key, client_crt, client_key;
  Certs() {
    const std::string d = dir.path().string();
    ca = d + "/ca.crt";
    server_crt = d + "/server.crt";
    server_key = d + "/server.key";
    client_crt = d + "/client.crt";
    client_key = d + "/client.key";
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string cmd =
        "cd " + d + " && openssl req -x509 " + ec +
        " -keyout ca.key -out ca.crt -days 2 -subj /CN=test-ca 2>/dev/null && "
        "openssl req " +
        ec +
        " -keyout server.key -out server.csr -subj /CN=127.0.0.1 "
        "2>/dev/null && printf 'subjectAltName=IP:127.0.0.1' > san.ext && "
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile san.ext -out server.crt 2>/dev/null && "
        "openssl req " +
        ec +
        " -keyout client.key -out client.csr -subj /CN=saker 2>/dev/null && "
        "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 "
        "-out client.crt 2>/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
};

}  // namespace

TEST_CASE("http_output posts Falco's alert JSON that Falcosidekick accepts, with headers") {
  test::HttpReceiver r;
  test::TempDir dir;
  {
    test::OutputRig rig;
    json p = http_params(r, dir);
    p["headers"] = {{"X-Api-Key", "secret"}};
    p["extra_fields"] = {{"cluster", "prod"}};
    rig.open("http_output", p);
    for (int i = 0; i < 50; ++i) rig.publish(i);
  }
  REQUIRE(r.count() == 50);
  CHECK(r.refusals().empty());
  for (const auto& why : r.refusals()) MESSAGE(why);
  CHECK(seqs(r) == range(0, 50));
  auto post = r.posts()[0];
  CHECK(post.headers.find("X-Api-Key")->second == "secret");
  CHECK(post.headers.find("User-Agent")->second == "falcosecurity/falco");
  CHECK(post.headers.find("Content-Type")->second == "application/json");
  auto j = json::parse(post.body);
  CHECK(j["output_fields"]["cluster"] == "prod");
  CHECK(j["output_fields"]["proc.name"] == "cat");
  CHECK(j["time"] == "2023-11-14T22:13:20.000000000Z");
  CHECK(j["tags"] == json::array({"t1", "t2"}));
  CHECK(j["output"].get<std::string>().find(": Warning alert 0 user=root") != std::string::npos);
}

TEST_CASE("http_output gzips bodies on request") {
  test::HttpReceiver r;
  test::TempDir dir;
  {
    test::OutputRig rig;
    json p = http_params(r, dir);
    p["gzip"] = true;
    rig.open("http_output", p);
    for (int i = 0; i < 5; ++i) rig.publish(i);
  }
  REQUIRE(r.count() == 5);
  CHECK(r.posts()[0].headers.find("Content-Encoding")->second == "gzip");
  CHECK(r.refusals().empty());  // the server inflated them back to valid alerts
}

TEST_CASE("http_output over HTTPS: CA file and mTLS; insecure; no client cert is retried") {
  Certs c;
  test::HttpReceiver r(c.server_crt, c.server_key, c.ca);
  SUBCASE("CA file and client certificate") {
    test::TempDir dir;
    {
      test::OutputRig rig;
      json p = http_params(r, dir);
      p["ca_cert"] = c.ca;
      p["mtls"] = true;
      p["client_cert"] = c.client_crt;
      p["client_key"] = c.client_key;
      rig.open("http_output", p);
      for (int i = 0; i < 5; ++i) rig.publish(i);
    }
    CHECK(seqs(r) == range(0, 5));
  }
  SUBCASE("without the client certificate nothing is delivered, everything is spooled") {
    test::TempDir dir;
    test::OutputRig rig;
    json p = http_params(r, dir);
    p["ca_cert"] = c.ca;
    rig.open("http_output", p);
    for (int i = 0; i < 3; ++i) rig.publish(i);
    REQUIRE(test::wait_for([&] { return rig.metric("http_output_num_spooled") == 3; }));
    CHECK(r.count() == 0);
    CHECK(rig.metric("output_num_errors{output=\"http_output\"}") == 0);
  }
}

TEST_CASE("http_output: insecure accepts a server certificate no CA vouches for") {
  Certs c;
  test::HttpReceiver r(c.server_crt, c.server_key);
  test::TempDir dir;
  {
    test::OutputRig rig;
    json p = http_params(r, dir);
    p["insecure"] = true;
    p["ca_path"] = dir.path().string();  // holds no CA: only insecure makes this work
    rig.open("http_output", p);
    rig.publish(1);
  }
  CHECK(seqs(r) == std::vector<int>{1});
}

TEST_CASE("http_output: endpoint down during a stream, every alert arrives once, in order") {
  test::HttpReceiver r;
  test::TempDir dir;
  test::OutputRig rig;
  rig.open("http_output", http_params(r, dir));
  int next = 0;
  auto stream = [&](int n) {
    for (int k = 0; k < n; ++k, ++next) {
      rig.publish(next);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  };
  stream(100);
  REQUIRE(test::wait_for([&] { return r.count() == 100; }));
  r.stop();
  stream(500);  // ~1 s of alerts while nothing listens
  CHECK(rig.metric("http_output_num_spooled") > 0);
  r.start();
  stream(100);
  REQUIRE(test::wait_for([&] { return r.count() == 700; }));
  CHECK(seqs(r) == range(0, 700));
  CHECK(rig.metric("http_output_spool_records") == 0);
  CHECK(rig.metric("output_num_errors{output=\"http_output\"}") == 0);
  CHECK(r.refusals().empty());
}

TEST_CASE("http_output: saker restarted while the endpoint is down delivers the spool after") {
  test::HttpReceiver r;
  test::TempDir dir;
  r.stop();
  {
    test::OutputRig first;
    first.open("http_output", http_params(r, dir));
    for (int i = 0; i < 200; ++i) first.publish(i);
    REQUIRE(test::wait_for([&] { return first.metric("http_output_num_spooled") == 200; }));
  }  // saker stops; the endpoint is still down
  CHECK(std::filesystem::file_size(dir.path() / "spool" / "spool.log") > 0);
  r.start();
  test::OutputRig second;
  second.open("http_output", http_params(r, dir));
  for (int i = 200; i < 250; ++i) second.publish(i);
  REQUIRE(test::wait_for([&] { return r.count() == 250; }));
  CHECK(seqs(r) == range(0, 250));
}

TEST_CASE("http_output: a spool killed mid-write keeps every whole record") {
  test::HttpReceiver r;
  test::TempDir dir;
  r.stop();
  {
    test::OutputRig first;
    first.open("http_output", http_params(r, dir));
    for (int i = 0; i < 10; ++i) first.publish(i);
    REQUIRE(test::wait_for([&] { return first.metric("http_output_num_spooled") == 10; }));
  }
  {  // a torn record at the end, as a kill during append leaves it
    std::ofstream f(dir.path() / "spool" / "spool.log", std::ios::app | std::ios::binary);
    const uint32_t len = 1000;
    f.write(reinterpret_cast<const char*>(&len), sizeof(len));
    f << "{\"partial";
  }
  r.start();
  test::OutputRig second;
  second.open("http_output", http_params(r, dir));
  REQUIRE(test::wait_for([&] { return r.count() == 10; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(seqs(r) == range(0, 10));
}

TEST_CASE("http_output: a rejected alert is counted and logged, not retried") {
  test::HttpReceiver r;
  r.reject_containing("alert 3 ");
  test::TempDir dir;
  test::OutputRig rig;
  rig.open("http_output", http_params(r, dir));
  for (int i = 0; i < 6; ++i) rig.publish(i);
  rig.stop();
  CHECK(seqs(r) == std::vector<int>{0, 1, 2, 4, 5});
  CHECK(rig.metric("http_output_num_rejected") == 1);
  CHECK(rig.metric("output_num_errors{output=\"http_output\"}") == 1);
  CHECK(rig.metric("http_output_num_spooled") == 0);
}

TEST_CASE("http_output: a hung endpoint holds back neither the file output nor publishing") {
  test::HttpReceiver r;
  r.hang();
  test::TempDir dir;
  const auto file = dir.path() / "events.txt";
  test::OutputRig rig(1000);
  json p = http_params(r, dir);
  p["timeout_ms"] = 60000;  // hung, not failing: the post just does not end
  rig.open("http_output", p);
  rig.open("file_output", {{"filename", file.string()}, {"keep_alive", true}});
  for (int i = 0; i < 500; ++i) rig.publish(i);
  REQUIRE(
      test::wait_for([&] { return rig.metric("output_num_sent{output=\"file_output\"}") == 500; }));
  CHECK(r.count() == 0);
  r.release_hang();
  rig.stop();
  CHECK(seqs(r) == range(0, 500));
}

TEST_CASE("http_output: bad settings are refused naming the key") {
  test::OutputRig rig;
  test::TempDir dir;
  auto err = [&](json p) {
    if (!p.contains("spool_dir")) p["spool_dir"] = (dir.path() / "s").string();
    try {
      rig.open("http_output", p);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("opened");
  };
  CHECK(err(json::object()).find("http_output.url") != std::string::npos);
  CHECK(err({{"url", "ftp://x"}}).find("http_output.url") != std::string::npos);
  CHECK(err({{"url", "http://127.0.0.1:1/"}, {"timeout_ms", -5}}).find("http_output.timeout_ms") !=
        std::string::npos);
  CHECK(err({{"url", "http://127.0.0.1:1/"}, {"headers", {{"Bad Name", "x"}}}})
            .find("http_output.headers") != std::string::npos);
  CHECK(err({{"url", "http://127.0.0.1:1/"}, {"spool_dir", "/proc/nope"}}).find("spool") !=
        std::string::npos);
}

TEST_CASE("http_output: an endpoint refusing everything does not flood the log") {
  test::HttpReceiver r;
  r.reject_containing("alert");
  test::TempDir dir;
  const auto err = dir.path() / "stderr.txt";
  fflush(stderr);
  const int saved = dup(2);
  FILE* f = fopen(err.c_str(), "w");
  dup2(fileno(f), 2);
  {
    test::OutputRig rig;
    rig.open("http_output", http_params(r, dir));
    for (int i = 0; i < 50; ++i) rig.publish(i);
    rig.stop();
    CHECK(rig.metric("output_num_errors{output=\"http_output\"}") == 50);
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  fclose(f);
  int failed_lines = 0, summaries = 0;
  for (const auto& l : test::read_lines(err)) {
    if (l.find("output failed: ") != std::string::npos) ++failed_lines;
    if (l.find("more alert(s) failed") != std::string::npos) ++summaries;
  }
  CHECK(failed_lines >= 1);
  CHECK(failed_lines <= 3);
  CHECK(summaries >= 1);
}
