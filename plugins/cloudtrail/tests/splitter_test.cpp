// The streaming document reader: the same records whatever the chunking, bad records
// cost only themselves, and every problem is reported with its offset.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "record_splitter.h"

using namespace saker::cloudtrail;

namespace {

struct Result {
  std::vector<std::string> records;
  std::vector<std::string> problems;  // "name@offset"
  bool stopped = false;
};

Result split(std::string_view input, size_t chunk, SplitterLimits limits = {}) {
  Result r;
  RecordSplitter s(
      limits, [&](std::string_view rec, uint64_t) { r.records.emplace_back(rec); },
      [&](Problem p, uint64_t off, std::string_view) {
        r.problems.push_back(std::string(problem_name(p)) + "@" + std::to_string(off));
      });
  for (size_t i = 0; i < input.size(); i += chunk) s.feed(input.substr(i, chunk));
  s.finish();
  r.stopped = s.stopped();
  return r;
}

const std::string kDoc = R"({"Records": [ {"eventName":"A","x":{"y":[1,2]}},
  {"eventName":"B","s":"a } ] , { \" quote"} ,{"eventName":"C"} ]})";

}  // namespace

TEST_CASE("records come out compact, whatever the chunk size") {
  for (size_t chunk : {1u, 2u, 3u, 7u, 64u, 100000u}) {
    CAPTURE(chunk);
    auto r = split(kDoc, chunk);
    REQUIRE(r.records.size() == 3);
    CHECK(r.records[0] == R"({"eventName":"A","x":{"y":[1,2]}})");
    CHECK(r.records[1] == R"({"eventName":"B","s":"a } ] , { \" quote"})");
    CHECK(r.records[2] == R"({"eventName":"C"})");
    CHECK(r.problems.empty());
  }
}

TEST_CASE("other top-level members, empty arrays and several documents") {
  auto r = split(R"({"digest":{"a":[1,"]"]},"Records":[],"n":3} {"Records":[{"a":1}]})", 5);
  CHECK(r.records == std::vector<std::string>{R"({"a":1})"});
  CHECK(r.problems.empty());
}

TEST_CASE("a malformed record is counted and skipped; the rest of the file is read") {
  auto r = split(R"({"Records":[{"a":1},{"b":tru},{"c":3},42,{"d":4}]})", 4);
  CHECK(r.records == std::vector<std::string>{R"({"a":1})", R"({"c":3})", R"({"d":4})"});
  CHECK(r.problems == std::vector<std::string>{"malformed record@25", "malformed record@38"});
}

TEST_CASE("an unclosed string does not take the following records with it") {
  // The quote missing after x makes the structural scan pair quotes wrongly until the
  // end; reading resumes at the first record boundary after the error.
  auto r = split(R"({"Records":[{"a":"x,"b":1},{"c":2},{"d":3}]})", 3);
  CHECK(r.records == std::vector<std::string>{R"({"c":2})", R"({"d":3})"});
  REQUIRE(!r.problems.empty());
  CHECK(r.problems[0].starts_with("malformed record@"));
}

TEST_CASE("an oversized record is skipped without being kept; the next one is read") {
  std::string big = R"({"Records":[{"a":")" + std::string(5000, 'x') + R"("},{"b":2}]})";
  SplitterLimits lim;
  lim.max_record_bytes = 1024;
  auto r = split(big, 256, lim);
  CHECK(r.records == std::vector<std::string>{R"({"b":2})"});
  CHECK(r.problems == std::vector<std::string>{"oversized record@12"});
}

TEST_CASE("input that is not CloudTrail stops with a reason; truncation is reported") {
  auto a = split(R"([{"a":1}])", 4);
  CHECK(a.stopped);
  CHECK(a.problems == std::vector<std::string>{"not a CloudTrail log@0"});
  auto b = split(R"({"Events":[{"a":1}]})", 4);
  CHECK(b.stopped);
  CHECK(b.records.empty());
  auto c = split(R"({"Records":[{"a":1},{"b":)", 4);
  CHECK(c.records == std::vector<std::string>{R"({"a":1})"});
  CHECK(c.problems == std::vector<std::string>{"malformed record@25", "truncated input@25"});
  auto d = split(R"({"Records":{"a":1}})", 4);
  CHECK(d.stopped);
}

TEST_CASE("stray closing braces in the Records array cost only themselves") {
  auto r = split(R"({"Records":[{"a":1},},}{"b":2},{"c":3}}]})", 3);
  CHECK(r.records == std::vector<std::string>{R"({"a":1})", R"({"b":2})", R"({"c":3})"});
  CHECK(!r.problems.empty());
  auto t = split(R"({"Records":[}]})", 1);
  CHECK(t.records.empty());
}
