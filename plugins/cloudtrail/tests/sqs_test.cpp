// The sqs:// source against fauxqs (SQS, JSON protocol) and s3rver on loopback: every
// record of every announced object is read once and each message is deleted only after
// its records were evaluated; SQS's own 500s, 503s and cut answers are retried and lose
// nothing; a message read slowly keeps its visibility extended, so a
// second consumer on the same queue gets nothing of it; three saker processes on one
// queue share 10,000 records exactly once; and one of them killed with SIGKILL loses
// nothing (its messages come back after the visibility timeout for the others).
#include <doctest/doctest.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "aws_servers.h"
#include "ct_test_util.h"
#include "test_util.h"

using namespace saker;
using namespace saker::cttest;
namespace fs = std::filesystem;

namespace {

std::string init_for(const S3rver& s3, const Fauxqs& q, int visibility_s,
                     const std::string& sqs_extra = "") {
  return R"({"aws":{"s3_endpoint":")" + s3.endpoint() + R"(","sqs_endpoint":")" + q.endpoint() +
         R"(","retry_base_ms":50,"retry_max_ms":400},"sqs":{"wait_time_s":1,"visibility_timeout_s":)" +
         std::to_string(visibility_s) + sqs_extra + "}}";
}

std::multiset<std::string> stratus_ids() {
  std::multiset<std::string> ids;
  for (const auto& f : stratus_files()) {
    const auto doc = nlohmann::json::parse(read_file(f));
    for (const auto& r : doc["Records"]) ids.insert(r["eventID"].get<std::string>());
  }
  return ids;
}

// `n` records with ids "<tag>-<i>" as one CloudTrail document.
std::string synthetic(const std::string& tag, int from, int n) {
  std::string d = "{\"Records\":[";
  for (int i = from; i < from + n; ++i) {
    d +=
        (i > from ? "," : "") + std::string(R"({"eventVersion":"1.08","eventID":")") + tag + "-" +
        std::to_string(i) +
        R"(","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventTime":"2024-08-01T00:00:00Z",)"
        R"("userIdentity":{"type":"IAMUser","userName":"u"},"requestParameters":{"bucketName":"b","key":"k"}})";
  }
  return d + "]}";
}

}  // namespace

TEST_CASE("sqs://: every announced object read once; messages deleted once evaluated") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver s3((dir.path() / "s3").string(), {"logs"});
  Fauxqs sqs((dir.path() / "fauxqs.log").string());
  const std::string url = sqs_create_queue(sqs.endpoint(), "ct", 30);
  size_t i = 0;
  for (const auto& f : stratus_files()) {
    const std::string key = "AWSLogs/1/" + fs::path(f).filename().string();
    s3_put(s3.endpoint(), "logs", key, read_file(f));
    std::string note = s3_notification("logs", key);
    if (i++ % 5 == 0) note = nlohmann::json({{"Type", "Notification"}, {"Message", note}}).dump();
    sqs_send(sqs.endpoint(), url, note);
  }
  sqs_send(sqs.endpoint(), url, R"({"Service":"Amazon S3","Event":"s3:TestEvent"})");
  LiveRender live("sqs://ct", "%ct.id", init_for(s3, sqs, 30));
  REQUIRE(live.wait_for(310, 30000));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (live.metrics()["sqs_deleted"] < 36 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto lines = live.lines();
  auto m = live.stop();
  CHECK(std::multiset<std::string>(lines.begin(), lines.end()) == stratus_ids());
  CHECK(m["sqs_messages"] == 36);
  CHECK(m["sqs_deleted"] == 36);
  CHECK(m["sqs_ignored"] == 1);
  CHECK(m["files_read"] == 35);
  auto [waiting, in_flight] = sqs_depth(sqs.endpoint(), url);
  CHECK(waiting == 0);
  CHECK(in_flight == 0);
}

TEST_CASE("sqs://: deleted only after its last record; visibility extended meanwhile") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver s3((dir.path() / "s3").string(), {"logs"});
  Fauxqs sqs((dir.path() / "fauxqs.log").string());
  const std::string url = sqs_create_queue(sqs.endpoint(), "slow", 2);
  s3_put(s3.endpoint(), "logs", "big.json", synthetic("big", 0, 300));
  sqs_send(sqs.endpoint(), url, s3_notification("logs", "big.json"));
  // The first consumer evaluates a record every 12 ms: 3.6 s for the object, longer than
  // the 2 s visibility timeout. The counter of deletions is sampled at each record.
  std::vector<uint64_t> deleted_seen;
  std::unique_ptr<LiveRender> slow;
  std::atomic<bool> ready{false};
  slow = std::make_unique<LiveRender>("sqs://slow", "%ct.id", init_for(s3, sqs, 2), [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(12));
    if (ready) deleted_seen.push_back(slow->metrics()["sqs_deleted"]);
  });
  ready = true;
  REQUIRE(slow->wait_for(1, 10000));
  // A second consumer on the same queue meanwhile.
  LiveRender other("sqs://slow", "%ct.id", init_for(s3, sqs, 2));
  REQUIRE(slow->wait_for(300, 30000));
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (slow->metrics()["sqs_deleted"] < 1 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));  // past the timeout again
  auto m = slow->stop();
  auto mo = other.stop();
  CHECK(slow->lines().size() == 300);
  CHECK(other.lines().empty());
  CHECK(m["sqs_deleted"] == 1);
  CHECK(m["sqs_visibility_extended"] >= 1);
  CHECK(mo["sqs_messages"] == 0);
  REQUIRE(!deleted_seen.empty());
  CHECK(std::count(deleted_seen.begin(), deleted_seen.end(), 0u) ==
        static_cast<long>(deleted_seen.size()));  // never deleted while being evaluated
}

TEST_CASE("sqs://: SQS answering 500, 503 and cut bodies: retried, nothing lost") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver s3((dir.path() / "s3").string(), {"logs"});
  Fauxqs sqs((dir.path() / "fauxqs.log").string());
  FaultProxy proxy(sqs.port());
  const std::string url = sqs_create_queue(sqs.endpoint(), "faults", 2);
  for (int o = 0; o < 6; ++o) {
    const std::string key = "f/o" + std::to_string(o) + ".json";
    s3_put(s3.endpoint(), "logs", key, synthetic("f", o * 50, 50));
    sqs_send(sqs.endpoint(), url, s3_notification("logs", key));
  }
  using F = FaultProxy::Fault;
  proxy.add("AmazonSQS.GetQueueUrl", F::k503, 1);
  proxy.add("AmazonSQS.ReceiveMessage", F::k500, 2);
  proxy.add("AmazonSQS.DeleteMessage", F::k503, 2);
  // A cut answer to ReceiveMessage: the server has handed those messages out; they come
  // back after the visibility timeout (2 s) and are read then.
  proxy.add("AmazonSQS.ReceiveMessage", F::kTruncate, 1);
  std::string init =
      R"({"aws":{"s3_endpoint":")" + s3.endpoint() + R"(","sqs_endpoint":")" + proxy.endpoint() +
      R"(","retry_base_ms":50,"retry_max_ms":400},"sqs":{"wait_time_s":1,"visibility_timeout_s":2,"max_messages":2}})";
  LiveRender live("sqs://faults", "%ct.id", init);
  const bool all = live.wait_for(300, 30000);
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (live.metrics()["sqs_deleted"] < 6 && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto lines = live.lines();
  auto m = live.stop();
  CHECK(all);
  std::set<std::string> unique(lines.begin(), lines.end());
  CHECK(unique.size() == 300);
  CHECK(lines.size() == 300);
  CHECK(proxy.injected() == 6);
  CHECK(m["http_retries"] >= 5);
  CHECK(m["sqs_deleted"] == 6);
  auto [waiting, in_flight] = sqs_depth(sqs.endpoint(), url);
  CHECK(waiting == 0);
  CHECK(in_flight == 0);
}

namespace {

// Three saker processes on one queue; ids of the records each evaluated (its alerts).
struct Fleet {
  Fleet(const fs::path& dir, const S3rver& s3, const Fauxqs& sqs, const std::string& queue,
        int visibility_s, int n) {
    std::ofstream(dir / "all.yaml") << "- rule: Every record\n  desc: test\n"
                                       "  condition: ct.id exists\n  output: \"%ct.id\"\n"
                                       "  priority: INFO\n  source: aws_cloudtrail\n";
    std::ofstream(dir / "saker.yaml")
        << "engine: {kind: nodriver}\nplugins:\n  - name: cloudtrail\n"
           "    library_path: libcloudtrail.so\n    init_config: "
        << init_for(s3, sqs, visibility_s, R"(,"max_messages":1)") << "\n    open_params: sqs://"
        << queue << "\nload_plugins: [cloudtrail]\nrules_files: [" << (dir / "all.yaml").string()
        << "]\njson_output: true\nbuffered_outputs: false\nrule_matching: all\n"
           "stdout_output: {enabled: true}\nlog_level: info\n";
    for (int i = 0; i < n; ++i) {
      outs.push_back((dir / ("saker" + std::to_string(i) + ".out")).string());
      procs.push_back(std::make_unique<Child>(
          std::vector<std::string>{"bash", "-c",
                                   std::string("exec ") + SAKER_BINARY + " -c " +
                                       (dir / "saker.yaml").string() + " 2>" + outs.back() +
                                       ".err >" + outs.back()},
          outs.back() + ".launch"));
    }
  }
  std::vector<std::string> ids_of(size_t i) const {
    std::vector<std::string> ids;
    for (const auto& l : test::read_lines(outs[i])) {
      auto j = nlohmann::json::parse(l, nullptr, false);
      if (j.is_object() && j.contains("output_fields")) ids.push_back(j["output_fields"]["ct.id"]);
    }
    return ids;
  }
  std::multiset<std::string> all_ids() const {
    std::multiset<std::string> all;
    for (size_t i = 0; i < outs.size(); ++i)
      for (auto& id : ids_of(i)) all.insert(id);
    return all;
  }
  bool wait_unique(size_t n, int timeout_ms) const {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
      auto all = all_ids();
      if (std::set<std::string>(all.begin(), all.end()).size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return false;
  }
  std::vector<std::string> outs;
  std::vector<std::unique_ptr<Child>> procs;
};

}  // namespace

TEST_CASE("three saker processes on one queue: 10,000 records, each evaluated exactly once") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver s3((dir.path() / "s3").string(), {"logs"});
  Fauxqs sqs((dir.path() / "fauxqs.log").string());
  const std::string url = sqs_create_queue(sqs.endpoint(), "fleet", 5);
  for (int o = 0; o < 100; ++o) {
    const std::string key = "AWSLogs/2/o" + std::to_string(o) + ".json";
    s3_put(s3.endpoint(), "logs", key, synthetic("r", o * 100, 100));
    sqs_send(sqs.endpoint(), url, s3_notification("logs", key));
  }
  Fleet fleet(dir.path(), s3, sqs, "fleet", 5, 3);
  const bool all_seen = fleet.wait_unique(10000, 40000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // deletions settle
  for (auto& p : fleet.procs) p->kill_now(SIGTERM);
  for (auto& p : fleet.procs) CHECK(p->wait(15000) == 0);
  CHECK(all_seen);
  auto all = fleet.all_ids();
  CHECK(all.size() == 10000);
  CHECK(std::set<std::string>(all.begin(), all.end()).size() == 10000);
  for (size_t i = 0; i < 3; ++i) MESSAGE("instance ", i, ": ", fleet.ids_of(i).size(), " records");
  auto [waiting, in_flight] = sqs_depth(sqs.endpoint(), url);
  CHECK(waiting == 0);
  CHECK(in_flight == 0);
}

TEST_CASE("one of three killed with SIGKILL mid-object: nothing lost") {
  use_s3rver_keys();
  test::TempDir dir;
  S3rver s3((dir.path() / "s3").string(), {"logs"});
  Fauxqs sqs((dir.path() / "fauxqs.log").string());
  const std::string url = sqs_create_queue(sqs.endpoint(), "kill", 3);
  for (int o = 0; o < 20; ++o) {
    const std::string key = "AWSLogs/3/o" + std::to_string(o) + ".json.gz";
    test::TempDir tmp;
    write_gz((tmp.path() / "x").string(), synthetic("k", o * 500, 500));
    s3_put(s3.endpoint(), "logs", key, read_file((tmp.path() / "x").string()));
    sqs_send(sqs.endpoint(), url, s3_notification("logs", key));
  }
  Fleet fleet(dir.path(), s3, sqs, "kill", 3, 3);
  // Kill instance 0 as soon as it has evaluated something: it holds a message it has not
  // finished (max_messages 1, 500 records an object).
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (fleet.ids_of(0).empty() && std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  fleet.procs[0]->kill_now(SIGKILL);
  CHECK(fleet.procs[0]->wait(5000) == 128 + SIGKILL);
  const size_t killed_saw = fleet.ids_of(0).size();
  const bool all_seen = fleet.wait_unique(10000, 40000);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  for (size_t i = 1; i < 3; ++i) fleet.procs[i]->kill_now(SIGTERM);
  for (size_t i = 1; i < 3; ++i) CHECK(fleet.procs[i]->wait(15000) == 0);
  CHECK(all_seen);
  auto all = fleet.all_ids();
  const std::set<std::string> unique(all.begin(), all.end());
  CHECK(unique.size() == 10000);
  MESSAGE("killed instance evaluated ", killed_saw, " records before SIGKILL; ",
          all.size() - unique.size(), " records evaluated twice (its unfinished message)");
  CHECK(all.size() - unique.size() <= 500);  // at most the object it was in the middle of
  auto [waiting, in_flight] = sqs_depth(sqs.endpoint(), url);
  CHECK(waiting == 0);
  CHECK(in_flight == 0);
}
