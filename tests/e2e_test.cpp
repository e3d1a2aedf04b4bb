// End to end through the real loader: the in-memory test source → parsers → a sink
// raising alerts with extracted fields → the capturing output plugin's file.
#include <doctest/doctest.h>

#include <thread>

#include "test_util.h"

using namespace saker;

TEST_CASE("events reach the capturing output with extracted fields") {
  core::AlertFormatSettings fmt;
  fmt.time_format_iso_8601 = true;
  auto e = test::make_engine(fmt);
  e->plugins().load({"mem", "libmem_source.so",
                     R"({"count":100,"payloads":["user=alice pid=42 path=/etc/shadow",
                                                  "user=bob pid=7"]})",
                     ""});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, (dir.path() / "a.jsonl").string());
  test::FormatSink sink(*e);
  sink.add("mem", "u=%mem.user pid=%mem.pid path=%mem.kv[path] seen=%mem.seen n=%evt.num "
                  "words=%mem.words src=%evt.source");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);

  auto lines = test::read_lines(dir.path() / "a.jsonl");
  REQUIRE(lines.size() == 100);
  auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["message"] ==
        "u=alice pid=42 path=/etc/shadow seen=1 n=1 words=(user=alice,pid=42,path=/etc/shadow) "
        "src=mem");
  CHECK(first["fields"]["mem.kv[path]"] == "/etc/shadow");
  auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["message"] == "u=bob pid=7 path=<NA> seen=2 n=2 words=(user=bob,pid=7) src=mem");
  // Falco's JSON: keys, typed output_fields, ISO time, sorted tags.
  auto j = nlohmann::json::parse(first["json"].get<std::string>());
  CHECK(j["hostname"] == "test-host");
  CHECK(j["priority"] == "Warning");
  CHECK(j["rule"] == "test");
  CHECK(j["source"] == "mem");
  CHECK(j["tags"] == nlohmann::json::array({"a", "b"}));
  CHECK(j["time"] == "2023-11-14T22:13:20.000000000Z");
  CHECK(j["output_fields"]["mem.pid"] == 42);
  CHECK(j["output_fields"]["mem.kv[path]"] == "/etc/shadow");
  CHECK(j["output_fields"]["evt.time.iso8601"] == 1700000000000000000ull);
  CHECK(j["output"] == "2023-11-14T22:13:20.000000000+0000: Warning " +
                           first["message"].get<std::string>());
  CHECK(e->metrics().value_of("num_alerts") == 100);
  CHECK(e->metrics().value_of("source_mem_num_evts") == 100);
}

TEST_CASE("two instances of one plugin run side by side") {
  auto e = test::make_engine();
  e->plugins().load({"a", "libmem_source.so",
                     R"({"source":"memA","count":50,"payloads":["user=ann"]})", ""});
  e->plugins().load({"b", "libmem_source.so",
                     R"({"source":"memB","count":70,"payloads":["user=ben"]})", ""});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, (dir.path() / "a.jsonl").string());
  test::FormatSink sink(*e);
  sink.add("memA", "%evt.source %mem.user %evt.pluginname");
  sink.add("memB", "%evt.source %mem.user %evt.pluginname");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"memA", "memB"}, stop);
  std::map<std::string, int> counts;
  for (const auto& l : test::read_lines(dir.path() / "a.jsonl")) {
    counts[nlohmann::json::parse(l)["message"].get<std::string>()]++;
  }
  CHECK(counts["memA ann a"] == 50);
  CHECK(counts["memB ben b"] == 70);
  for (const auto& [k, n] : counts) MESSAGE(k, " x", n);
  CHECK(counts.size() == 2);
}

TEST_CASE("stopping delivers every alert already raised") {
  auto e = test::make_engine({}, 500);
  e->plugins().load({"mem", "libmem_source.so", R"({"count":100000000})", ""});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, "slow:1:" + (dir.path() / "a.jsonl").string());
  test::FormatSink sink(*e);
  sink.add("mem", "%mem.user");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  e->run({"mem"}, stop);
  stopper.join();
  uint64_t raised = e->metrics().value_of("num_alerts");
  uint64_t dropped = e->metrics().value_of("outputs_queue_num_drops");
  CHECK(raised > 0);
  CHECK(raised < 100000000);
  CHECK(test::read_lines(dir.path() / "a.jsonl").size() == raised - dropped);
  CHECK(e->metrics().value_of("outputs_num_sent") == raised - dropped);
}

TEST_CASE("plugins read each other's fields through the host API") {
  auto e = test::make_engine();
  e->plugins().load({"mem", "libmem_source.so", R"({"count":5,"payloads":["user=zoe pid=9"]})", ""});
  e->register_fields();
  uint32_t h = 0, type = 0;
  REQUIRE(e->resolve_field("mem", "mem.pid", nullptr, &h, &type) == SAKER_OK);
  CHECK(type == SAKER_FIELD_U64);
  uint32_t hk = 0;
  REQUIRE(e->resolve_field("mem", "mem.kv", "user", &hk, &type) == SAKER_OK);
  CHECK(e->resolve_field("mem", "no.such", nullptr, &h, &type) == SAKER_FAILURE);
  // A sink standing in for an enricher: reads through the host API for the current event.
  struct Reader : core::EventSink {
    core::Engine* e;
    uint32_t pid, user;
    std::vector<std::string> seen;
    void on_event(core::EventContext& ctx) noexcept override {
      saker_extract_request r[2] = {};
      r[0].size = r[1].size = sizeof(saker_extract_request);
      r[0].field_id = pid;
      r[1].field_id = user;
      if (e->extract_fields(ctx.event(), r, 2) == SAKER_OK && r[0].num_values && r[1].num_values)
        seen.push_back(std::to_string(r[0].values.u64[0]) + r[1].values.str[0]);
    }
  } reader;
  reader.e = e.get();
  reader.pid = h == hk ? 0 : h;
  REQUIRE(e->resolve_field("mem", "mem.pid", nullptr, &reader.pid, &type) == SAKER_OK);
  reader.user = hk;
  e->set_sink(&reader);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  CHECK(reader.seen == std::vector<std::string>(5, "9zoe"));
  // Outside an event the host refuses to extract.
  saker_extract_request r{};
  saker_event ev{};
  CHECK(e->extract_fields(&ev, &r, 1) == SAKER_FAILURE);
}

TEST_CASE("events injected from a plugin's own thread join the source's stream") {
  auto e = test::make_engine();
  e->plugins().load({"mem", "libmem_source.so",
                     R"({"count":10,"inject":1000,"payloads":["user=native"]})", ""});
  e->register_fields();
  struct Counter : core::EventSink {
    uint32_t user = 0;
    std::map<std::string, int> users;
    void on_event(core::EventContext& ctx) noexcept override {
      const auto& v = ctx.get(user);
      users[v.count ? std::string(v.str()) : "<NA>"]++;
    }
  } sink;
  sink.user = e->slots().resolve(e->fields().find("mem", "mem.user"), nullptr);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  CHECK(sink.users["native"] == 10);
  CHECK(sink.users["injected"] == 1000);
  saker_event ev{};
  CHECK(e->inject_event("no-such-source", &ev) == SAKER_FAILURE);
}

TEST_CASE("control characters in field values cannot forge a line or reach the terminal") {
  auto e = test::make_engine();
  e->plugins().load({"mem", "libmem_source.so",
                     R"({"count":1,"payloads":["user=eve\n00:00:00.0:Critical:forged\u001b[2J\r\t\u007f"]})",
                     ""});
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->register_fields();
  test::TempDir dir;
  e->open_output(out, (dir.path() / "a.jsonl").string());
  test::FormatSink sink(*e);
  sink.add("mem", "u=%mem.user");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  auto lines = test::read_lines(dir.path() / "a.jsonl");
  REQUIRE(lines.size() == 1);
  auto a = nlohmann::json::parse(lines[0]);
  const std::string msg = a["message"];
  CHECK(msg == "u=eve\\n00:00:00.0:Critical:forged\\x1b[2J\\r\\t\\x7f");
  CHECK(msg.find('\n') == std::string::npos);
  CHECK(msg.find('\x1b') == std::string::npos);
  // The JSON alert's output_fields keep the raw value, escaped by JSON itself.
  auto j = nlohmann::json::parse(a["json"].get<std::string>());
  CHECK(j["output_fields"]["mem.user"] == "eve\n00:00:00.0:Critical:forged\x1b[2J\r\t\x7f");
}
