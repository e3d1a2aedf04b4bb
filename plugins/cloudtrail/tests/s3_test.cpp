// The s3:// source against s3rver on loopback (a real S3 server; it parses SigV4 headers and checks
// the key): objects listed over several pages, signed, fetched and parsed, raising the same alerts
// as the same records read from files; an unknown access key refused and reported; a 500, a
// 503, a server that stops answering and bodies cut in the middle, each retried with
// backoff (resumed with a byte range) and counted, nothing lost or read twice; and
// `s3.follow` reading only the objects that arrive later.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "aws_servers.h"
#include "ct_test_util.h"
#include "s3_objects.h"
#include "test_util.h"

using namespace saker;
using namespace saker::cttest;
using namespace saker::cloudtrail;
namespace fs = std::filesystem;

namespace {

const std::string kPrefix = "AWSLogs/123456789012/CloudTrail/us-east-1/2024/08/";

// Uploads the Stratus files below kPrefix (every other one gzip'd); returns the count.
size_t upload_stratus(const std::string& endpoint) {
  S3Settings s;
  s.endpoint = endpoint;
  s.region = "us-east-1";
  s.creds = {"S3RVER", "S3RVER", ""};
  S3Objects s3(s, nullptr, nullptr);
  size_t n = 0;
  test::TempDir tmp;
  for (const auto& f : stratus_files()) {
    std::string name = fs::path(f).filename().string();
    std::string body = read_file(f);
    if (n % 2 == 0) {
      write_gz((tmp.path() / "x.gz").string(), body);
      body = read_file((tmp.path() / "x.gz").string());
      name += ".gz";
    }
    auto r = s3.put("logs", kPrefix + name, body);
    REQUIRE_MESSAGE(r.ok(), r.describe(), " ", r.body);
    ++n;
  }
  auto r = s3.put("logs", "other/not-below-the-prefix.json", R"({"Records":[{"eventName":"X"}]})");
  REQUIRE(r.ok());
  return n;
}

std::string init_for(const std::string& endpoint, const std::string& extra = "") {
  return R"({"aws":{"s3_endpoint":")" + endpoint +
         R"(","retry_base_ms":50,"retry_max_ms":400,"read_timeout_ms":1500},"s3":{"page_size":7)" +
         extra + "}}";
}

std::multiset<std::string> rules_of(const Replay& r) {
  std::multiset<std::string> out;
  for (const auto& a : r.alerts) out.insert(a.rule);
  return out;
}

std::multiset<std::string> stratus_ids() {
  std::multiset<std::string> ids;
  for (const auto& f : stratus_files()) {
    const auto doc = nlohmann::json::parse(read_file(f));
    for (const auto& r : doc["Records"]) ids.insert(r["eventID"].get<std::string>());
  }
  return ids;
}

}  // namespace

TEST_CASE("s3://: objects listed over pages, signed, fetched, parsed: the alerts of the files") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver server((dir.path() / "s3").string(), {"logs"});
  REQUIRE(upload_stratus(server.endpoint()) == 35);
  const std::string rules = std::string(SAKER_CT_RULES_FILE);
  auto from_s3 = replay_rules("s3://logs/" + kPrefix, rules, init_for(server.endpoint()));
  auto from_files = replay_rules(stratus_dir(), rules);
  CHECK(from_s3.events == 310);
  CHECK(from_s3.metrics["objects_listed"] == 35);
  CHECK(from_s3.metrics["files_read"] == 35);
  CHECK(from_s3.metrics["records_malformed"] == 0);
  CHECK(from_s3.metrics["http_retries"] == 0);
  CHECK(rules_of(from_s3) == rules_of(from_files));
  CHECK(from_s3.alerts.size() > 100);
  auto ids = render("s3://logs/" + kPrefix, "%ct.id", nullptr, init_for(server.endpoint()));
  CHECK(std::multiset<std::string>(ids.begin(), ids.end()) == stratus_ids());
}

// s3rver parses the SigV4 Authorization header and checks the access key, but does not
// recompute V4 signatures (its source says so); the signing itself is checked against
// AWS's published example in aws_test.cpp.
TEST_CASE("s3://: an unknown access key is refused by the server and the reason reported") {
  use_s3rver_keys();
  setenv("AWS_ACCESS_KEY_ID", "AKIANOTKNOWN", 1);
  test::TempDir dir;
  S3rver server((dir.path() / "s3").string(), {"logs"});
  auto e = test::make_engine();
  e->plugins().load({"ct", "libcloudtrail.so", init_for(server.endpoint()), "s3://logs/"});
  e->register_fields();
  std::atomic<bool> stop{false};
  e->run({"aws_cloudtrail"}, stop);
  std::string err;
  for (const auto& l : e->loops()) err += l->error();
  CHECK(err.find("cannot list objects") != std::string::npos);
  CHECK(err.find("InvalidAccessKeyId") != std::string::npos);
  use_s3rver_keys();
}

TEST_CASE("s3://: 500, 503, silence and cut bodies are retried and resumed; nothing lost") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver server((dir.path() / "s3").string(), {"logs"});
  upload_stratus(server.endpoint());
  FaultProxy proxy(server.port());
  using F = FaultProxy::Fault;
  proxy.add("GET /logs?", F::k500, 1);                                        // the listing
  proxy.add("aws.credential-access.ec2-get-password-data.json", F::k503, 1);  // gzip object
  proxy.add("aws.defense-evasion.cloudtrail-stop.json", F::kSilence, 1);      // plain object
  proxy.add("aws.execution.ssm-send-command.json", F::kTruncate, 2);          // cut twice
  proxy.add("aws.credential-access.ec2-steal-instance-credentials.json", F::kTruncate, 1);
  std::map<std::string, uint64_t> m;
  auto ids = render("s3://logs/" + kPrefix, "%ct.id", &m, init_for(proxy.endpoint()));
  CHECK(std::multiset<std::string>(ids.begin(), ids.end()) == stratus_ids());
  CHECK(proxy.injected() == 6);
  CHECK(m["http_retries"] >= 6);
  CHECK(m["objects_failed"] == 0);
  CHECK(m["records_malformed"] == 0);
  CHECK(m["files_read"] == 35);
}

TEST_CASE("s3:// with s3.follow: objects added later are read, the others not again") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver server((dir.path() / "s3").string(), {"logs"});
  S3Settings s;
  s.endpoint = server.endpoint();
  s.region = "us-east-1";
  s.creds = {"S3RVER", "S3RVER", ""};
  S3Objects s3(s, nullptr, nullptr);
  auto doc = [](int from, int n) {
    std::string d = "{\"Records\":[";
    for (int i = 0; i < n; ++i)
      d += (i ? "," : "") + std::string(R"({"eventName":"E)") + std::to_string(from + i) + "\"}";
    return d + "]}";
  };
  REQUIRE(s3.put("logs", "t/2024/01.json", doc(0, 5)).ok());
  REQUIRE(s3.put("logs", "t/2024/02.json", doc(5, 5)).ok());
  LiveRender live("s3://logs/t/", "%ct.name",
                  init_for(server.endpoint(), R"(,"follow":true,"poll_interval_ms":200)"));
  REQUIRE(live.wait_for(10, 20000));
  REQUIRE(s3.put("logs", "t/2024/03.json", doc(10, 5)).ok());
  REQUIRE(live.wait_for(15, 20000));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // a few more listings
  auto lines = live.lines();
  auto m = live.stop();
  std::vector<std::string> want;
  for (int i = 0; i < 15; ++i) want.push_back("E" + std::to_string(i));
  CHECK(lines == want);
  CHECK(m["files_read"] == 3);
}

TEST_CASE("s3:// with state_file: an interrupted run resumes without losing or repeating") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver server((dir.path() / "s3").string(), {"logs"});
  upload_stratus(server.endpoint());
  const std::string state = (dir.path() / "state.json").string();
  const std::string init = R"({"state_file":")" + state +
                           R"(","batch_size":16,"aws":{"s3_endpoint":")" + server.endpoint() +
                           R"("}})";
  std::vector<std::string> first;
  {
    LiveRender live("s3://logs/" + kPrefix, "%ct.id", init,
                    [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
    REQUIRE(live.wait_for(120, 30000));
    live.stop();
    first = live.lines();
  }
  CHECK(first.size() < 310);
  MESSAGE("state: ", read_file(state));
  auto second = render("s3://logs/" + kPrefix, "%ct.id", nullptr, init);
  std::multiset<std::string> all(first.begin(), first.end());
  all.insert(second.begin(), second.end());
  CHECK(all == stratus_ids());
  CHECK(all.size() == 310);
}
