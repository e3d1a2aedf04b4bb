// File and folder replay through the real core (libcloudtrail.so loaded by core::Engine):
// every Stratus Red Team record arrives, in order, with field values equal to an
// independent reading of the JSON (nlohmann); gzip and nested folders read the same;
// bad records, truncated and foreign files are counted and cost only themselves.
#include <doctest/doctest.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "ct_test_util.h"
#include "file_stream.h"
#include "test_util.h"

using namespace saker;
using namespace saker::cttest;
namespace fs = std::filesystem;

namespace {

std::string ptr_text(const nlohmann::json& j, const char* ptr) {
  nlohmann::json::json_pointer p(ptr);
  if (!j.contains(p) || j.at(p).is_null()) return "<NA>";
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

uint64_t time_ns(const std::string& iso) {
  std::tm tm{};
  std::istringstream in(iso);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return static_cast<uint64_t>(timegm(&tm)) * 1000000000ull;
}

std::vector<nlohmann::json> stratus_records() {
  std::vector<nlohmann::json> out;
  for (const auto& f : stratus_files()) {
    const auto doc = nlohmann::json::parse(read_file(f));
    for (const auto& r : doc["Records"]) out.push_back(r);
  }
  return out;
}

const char* kFormat =
    "%ct.id|%ct.name|%ct.src|%ct.user.identitytype|%ct.user.arn|%ct.user.principalid|"
    "%ct.srcip|%ct.region|%ct.error|%ct.useragent|%ct.eventtype|%ct.requestid|"
    "%ct.request.name|%json.value[/userIdentity/accountId]|%json.rawtime";

std::string expected_line(const nlohmann::json& r) {
  std::string s;
  for (const char* p :
       {"/eventID", "/eventName", "/eventSource", "/userIdentity/type", "/userIdentity/arn",
        "/userIdentity/principalId", "/sourceIPAddress", "/awsRegion", "/errorCode", "/userAgent",
        "/eventType", "/requestID", "/requestParameters/name", "/userIdentity/accountId"}) {
    s += ptr_text(r, p) + "|";
  }
  return s + std::to_string(time_ns(r["eventTime"]));
}

}  // namespace

TEST_CASE("the Stratus Red Team folder: every record, in order, fields as in the JSON") {
  std::map<std::string, uint64_t> m;
  auto lines = render(stratus_dir(), kFormat, &m);
  auto records = stratus_records();
  REQUIRE(records.size() == 310);
  REQUIRE(lines.size() == records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    CAPTURE(i);
    CHECK(lines[i] == expected_line(records[i]));
  }
  CHECK(m["records"] == 310);
  CHECK(m["files_read"] == 35);
  CHECK(m["records_malformed"] == 0);
  CHECK(m["timestamp_invalid"] == 0);
  CHECK(m["extract_errors"] == 0);
}

TEST_CASE("gzip files and nested folders read the same; other files are ignored") {
  test::TempDir dir;
  auto files = stratus_files();
  for (size_t i = 0; i < files.size(); ++i) {
    fs::path sub = dir.path() / ("region" + std::to_string(i % 3)) / "2024" / "08";
    fs::create_directories(sub);
    std::string name = fs::path(files[i]).filename().string();
    if (i % 2 == 0) {
      write_gz((sub / (name + ".gz")).string(), read_file(files[i]));
    } else {
      fs::copy_file(files[i], sub / name);
    }
  }
  std::ofstream(dir.path() / "README.txt") << "not a log";
  std::ofstream(dir.path() / "digest.json.bak") << "{}";
  std::map<std::string, uint64_t> m;
  auto lines = render(dir.path().string(), "%ct.id", &m);
  std::multiset<std::string> got(lines.begin(), lines.end()), want;
  for (const auto& r : stratus_records()) want.insert(r["eventID"].get<std::string>());
  CHECK(got == want);
  CHECK(m["files_read"] == 35);
  // One gzip file named on its own.
  auto one = render("file://" + (dir.path() / "region0" / "2024" / "08" /
                                 (fs::path(files[0]).filename().string() + ".gz"))
                                    .string(),
                    "%ct.name");
  CHECK(one.size() == nlohmann::json::parse(read_file(files[0]))["Records"].size());
}

TEST_CASE("bad records are counted and skipped; the rest of each file is read") {
  test::TempDir dir;
  const std::string good = R"({"eventName":"A%","eventTime":"2024-01-01T00:00:00Z"})";
  auto rec = [&](int i) {
    std::string s = good;
    s.replace(s.find('%'), 1, std::to_string(i));
    return s;
  };
  // Record 1 has a bad literal, record 3 an unclosed string; both cost only themselves.
  std::string doc = "{\"Records\":[" + rec(0) + ",{\"eventName\":tru}," + rec(2) +
                    ",{\"eventName\":\"B3,\"x\":1}," + rec(4) + ",{\"eventName\":\"A5\"}]}";
  std::ofstream(dir.path() / "a.json") << doc;
  // A gzip file cut in the middle of its second record.
  std::string full = "{\"Records\":[" + rec(10) + "," + rec(11) + "," + rec(12) + "]}";
  write_gz((dir.path() / "b.json.gz").string(), full);
  std::string gz = read_file((dir.path() / "b.json.gz").string());
  std::ofstream(dir.path() / "b.json.gz", std::ios::binary | std::ios::trunc)
      << gz.substr(0, gz.size() - 30);
  // Not CloudTrail at all, and not even JSON.
  std::ofstream(dir.path() / "c.json") << R"({"kind":"EventList","items":[]})";
  std::ofstream(dir.path() / "d.json") << "\x01\x02garbage";
  std::map<std::string, uint64_t> m;
  auto lines = render(dir.path().string(), "%ct.name", &m);
  // a.json in full but its two bad records; b.json.gz up to where it was cut.
  REQUIRE(lines.size() >= 4);
  CHECK(std::vector<std::string>(lines.begin(), lines.begin() + 4) ==
        std::vector<std::string>{"A0", "A2", "A4", "A5"});
  for (size_t i = 4; i < lines.size(); ++i) CHECK(lines[i] == "A" + std::to_string(6 + i));
  CHECK(m["records_malformed"] >= 3);  // 2 in a.json, the cut record of b.json.gz
  CHECK(m["files_truncated"] >= 1);
  CHECK(m["files_not_cloudtrail"] == 2);
  CHECK(m["files_read"] == 4);
  CHECK(m["timestamp_invalid"] == 1);  // A5 has no eventTime: read time used
}

TEST_CASE("a record over max_record_bytes is skipped; a large file streams through") {
  test::TempDir dir;
  std::string doc = "{\"Records\":[";
  for (int i = 0; i < 20000; ++i) {
    if (i) doc += ',';
    if (i == 10000) {
      doc += R"({"eventName":"Huge","requestParameters":{"blob":")" + std::string(3 << 20, 'x') +
             "\"}},";
    }
    doc +=
        R"({"eventName":"E)" + std::to_string(i) +
        R"(","eventTime":"2024-01-01T00:00:00Z","userIdentity":{"type":"IAMUser","userName":"u"}})";
  }
  doc += "]}";
  write_gz((dir.path() / "big.json.gz").string(), doc);
  std::map<std::string, uint64_t> m;
  auto lines = render(dir.path().string(), "%ct.name", &m, R"({"max_record_bytes": 1048576})");
  CHECK(lines.size() == 20000);
  CHECK(lines.front() == "E0");
  CHECK(lines.back() == "E19999");
  CHECK(m["records_oversized"] == 1);
  CHECK(m["records_malformed"] == 0);
}

TEST_CASE("open params that cannot be read fail with the reason") {
  auto e = test::make_engine();
  auto& p = e->plugins().load({"ct", "libcloudtrail.so", "", "/nonexistent/ct"});
  (void)p;
  e->register_fields();
  std::atomic<bool> stop{false};
  std::string what;
  try {
    e->run({"aws_cloudtrail"}, stop);
  } catch (const std::exception& ex) {
    what = ex.what();
  }
  for (const auto& l : e->loops()) what += l->error();
  CHECK(what.find("no such file or folder") != std::string::npos);
}

TEST_CASE("state_file: an interrupted folder replay resumes without losing or repeating") {
  test::TempDir dir;
  for (int f = 0; f < 4; ++f) {
    std::string doc = "{\"Records\":[";
    for (int i = 0; i < 1500; ++i)
      doc += (i ? "," : "") + std::string(R"({"eventName":"F)") + std::to_string(f) + "-" +
             std::to_string(i) + R"(","eventTime":"2024-01-01T00:00:00Z"})";
    write_gz((dir.path() / "logs" / ("f" + std::to_string(f) + ".json.gz")).string(), doc + "]}");
  }
  const std::string state = (dir.path() / "state.json").string();
  const std::string init = R"({"state_file":")" + state + R"(","batch_size":100})";
  const std::string params = (dir.path() / "logs").string();
  std::vector<std::string> first;
  {
    // Stop the first run part-way through the second file.
    LiveRender live(params, "%ct.name", init,
                    [] { std::this_thread::sleep_for(std::chrono::microseconds(200)); });
    REQUIRE(live.wait_for(2100, 30000));
    live.stop();
    first = live.lines();
  }
  CHECK(first.size() < 6000);
  const std::string saved = read_file(state);
  MESSAGE("state after the interrupted run: ", saved);
  auto second = render(params, "%ct.name", nullptr, init);
  std::vector<std::string> all = first;
  all.insert(all.end(), second.begin(), second.end());
  std::vector<std::string> want;
  for (int f = 0; f < 4; ++f)
    for (int i = 0; i < 1500; ++i)
      want.push_back("F" + std::to_string(f) + "-" + std::to_string(i));
  CHECK(all == want);
  // A third run finds nothing left to read.
  CHECK(render(params, "%ct.name", nullptr, init).empty());
}

TEST_CASE("listing a folder gives up when the host asks to stop (SIGTERM while opening)") {
  test::TempDir dir;
  for (int i = 0; i < 5; ++i) {
    std::ofstream(dir.path() / ("f" + std::to_string(i) + ".json")) << "{}";
  }
  CHECK(cloudtrail::list_log_files(dir.path().string()).size() == 5);
  CHECK(cloudtrail::list_log_files(dir.path().string(), [] { return false; }).size() == 5);
  CHECK_THROWS_WITH_AS(cloudtrail::list_log_files(dir.path().string(), [] { return true; }),
                       doctest::Contains("interrupted (stop requested)"), sdk::PluginError);
}
