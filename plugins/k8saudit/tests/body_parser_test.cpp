// Unit tests of the body splitter, timestamps and the file document stream.
#include "body_parser.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace saker::k8saudit;

namespace {
std::vector<std::string> split(std::string_view doc, ParseError expect = ParseError::kNone,
                               ParseLimits limits = {}) {
  std::vector<std::string_view> v;
  CHECK(split_document(doc, limits, &v) == expect);
  return {v.begin(), v.end()};
}
}  // namespace

TEST_CASE("EventList, Event and arrays split into their events, bytes preserved") {
  auto list = split(R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[
      {"auditID":"a","x":"]}"} , {"auditID":"b","nested":{"items":[1]}}]})");
  REQUIRE(list.size() == 2);
  CHECK(list[0] == R"({"auditID":"a","x":"]}"})");
  CHECK(list[1] == R"({"auditID":"b","nested":{"items":[1]}})");
  CHECK(split(R"(  {"kind":"Event","auditID":"c"}  )") ==
        std::vector<std::string>{R"({"kind":"Event","auditID":"c"})"});
  CHECK(split(R"([{"a":1},{"b":"\"}"}])").size() == 2);
  CHECK(split(R"({"kind":"EventList","items":[]})").empty());
  CHECK(split("[]").empty());
}

TEST_CASE("bad documents are refused with the reason") {
  split("", ParseError::kMalformed);
  split(R"({"kind":"EventList","items":[{"a":1},)", ParseError::kMalformed);
  split(R"({"a":1}{"b":2})", ParseError::kMalformed);
  split(R"({"a":"\x"})", ParseError::kMalformed);
  split(R"([1,2])", ParseError::kNotAnEvent);
  split(R"({"items":[{"a":1},"x"]})", ParseError::kNotAnEvent);
  split(R"("just a string")", ParseError::kNotAnEvent);
  split(std::string(100, '[') + std::string(100, ']'), ParseError::kTooDeep);
  ParseLimits small;
  small.max_event_bytes = 20;
  split(R"([{"a":"0123456789012345678901234567890"}])", ParseError::kEventTooLarge, small);
  CHECK(max_nesting(R"({"a":"[[[[","b":[[1]]})") == 3);
}

TEST_CASE("timestamps: RFC 3339, Panther's space form, offsets, fractions") {
  uint64_t ns = 0;
  REQUIRE(parse_timestamp("2022-11-29T00:09:04.392Z", &ns));
  CHECK(ns == 1669680544392000000ull);
  REQUIRE(parse_timestamp("2022-11-29 00:09:04.392", &ns));
  CHECK(ns == 1669680544392000000ull);
  REQUIRE(parse_timestamp("2024-11-13 18:34:10.595494000", &ns));
  CHECK(ns == 1731522850595494000ull);
  REQUIRE(parse_timestamp("2022-11-29T02:09:04+02:00", &ns));
  CHECK(ns == 1669680544000000000ull);
  REQUIRE(parse_timestamp("1970-01-01T00:00:00.0000000019Z", &ns));
  CHECK(ns == 1);
  for (const char* bad : {"", "2022-13-01T00:00:00Z", "2022-11-29", "2022-11-29T00:09:04Q",
                          "1969-12-31T23:59:59Z", "2022-11-29T00:09:04+2"}) {
    CHECK_FALSE(parse_timestamp(bad, &ns));
  }
  CHECK(event_time(R"({"requestReceivedTimestamp":"1970-01-01T00:00:01Z",
                       "stageTimestamp":"1970-01-01T00:00:02Z"})",
                   7) == 2000000000ull);
  CHECK(event_time(R"({"requestReceivedTimestamp":"1970-01-01T00:00:01Z"})", 7) == 1000000000ull);
  CHECK(event_time(R"({"stageTimestamp":"yesterday"})", 7) == 7);
  std::string v;
  REQUIRE(top_level_string(R"({"a":{"stage":"inner"},"stage":"outer"})", "stage", &v));
  CHECK(v == "outer");
  REQUIRE(top_level_string(R"({"st\u0061ge":"a","stage":"b\u0021"})", "stage", &v));
  CHECK(v == "b!");
}

TEST_CASE("timestamps out of range are refused, never wrapped") {
  uint64_t ns = 0;
  bool oor = false;
  CHECK_FALSE(parse_timestamp("9999-12-31T23:59:59Z", &ns, &oor));
  CHECK(oor);
  CHECK_FALSE(parse_timestamp("2263-01-01T00:00:00Z", &ns, &oor));
  CHECK(oor);
  REQUIRE(parse_timestamp("2262-01-01T00:00:00.999999999Z", &ns, &oor));
  CHECK_FALSE(oor);
  CHECK(ns < uint64_t(INT64_MAX));
  CHECK(event_time(R"({"stageTimestamp":"9999-12-31T23:59:59Z"})", 7, &oor) == 7);
  CHECK(oor);
  CHECK(event_time(R"({"stageTimestamp":"9999-12-31T23:59:59Z",
                       "requestReceivedTimestamp":"1970-01-01T00:00:01Z"})",
                   7, &oor) == 1000000000ull);
}

TEST_CASE("escaped and duplicate items keys split as a JSON parser reads them") {
  ParseLimits l;
  auto split_both = [&](std::string_view doc) {
    std::vector<std::string_view> ev;
    CHECK(split_document(doc, l, &ev) == ParseError::kNone);
    std::vector<std::string> out;
    for (auto e : ev) out.emplace_back(e);
    // Cross-check against nlohmann's DOM: the same items, in the same order.
    auto j = nlohmann::json::parse(doc);
    std::vector<std::string> dom;
    if (j.is_object() && j.contains("items") && j["items"].is_array()) {
      for (auto& i : j["items"]) dom.push_back(i.dump());
    } else {
      dom.push_back(j.dump());
    }
    REQUIRE(out.size() == dom.size());
    for (size_t i = 0; i < out.size(); ++i) CHECK(nlohmann::json::parse(out[i]).dump() == dom[i]);
    return out;
  };
  CHECK(split_both(R"({"kind":"EventList","items":[{"a":1}],"items":[{"b":2},{"c":3}]})").size() ==
        2);
  CHECK(split_both(R"({"kind":"EventList","it\u0065ms":[{"a":1},{"b":2}]})").size() == 2);
  CHECK(split_both(R"({"items":[{"a":1}],"it\u0065ms":[{"b":2}]})")[0] == R"({"b":2})");
  CHECK(split_both(R"({"items":[{"a":1}],"items":"none"})").size() == 1);  // the object itself
  l.max_events = 2;
  std::vector<std::string_view> ev;
  CHECK(split_document(R"([{},{},{}])", l, &ev) == ParseError::kTooManyEvents);
  CHECK(ev.empty());
}

TEST_CASE("document stream: JSON lines, pretty-printed and garbage") {
  std::vector<std::string> docs;
  DocumentStream s(64, [&](std::string_view d) { docs.emplace_back(d); });
  std::string input =
      "{\"a\":1}\n{\"b\":\"}\\\"{\"}\n[\n {\"c\": 2}\n]\ngarbage here\n{\"big\":\"" +
      std::string(100, 'x') + "\"}\n{\"d\":4}\n{\"unfinished\":";
  for (size_t i = 0; i < input.size(); i += 7) s.feed(std::string_view(input).substr(i, 7));
  s.finish();
  CHECK(docs == std::vector<std::string>{"{\"a\":1}", "{\"b\":\"}\\\"{\"}", "[\n {\"c\": 2}\n]",
                                         "{\"d\":4}"});
  CHECK(s.malformed() == 2);
  CHECK(s.oversized() == 1);
}
