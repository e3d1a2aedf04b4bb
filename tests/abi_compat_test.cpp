// ABI compatibility through the real loader: older descriptors load, incompatible or
// broken plugins are refused with a clear message while the rest keep working, and
// exceptions inside SDK plugins become errors, not crashes.
#include <doctest/doctest.h>
#include <saker/sdk/host.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "test_util.h"

using namespace saker;
using core::PluginSpec;

namespace {

std::string refusal(core::Engine& e, const PluginSpec& s) {
  try {
    e.plugins().load(s);
  } catch (const core::PluginError& err) {
    return err.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("a plugin built against an older, smaller descriptor loads and works") {
  auto e = test::make_engine();
  auto& inst = e->plugins().load({"old", "libbad_old_descriptor.so", "", "7"});
  CHECK(inst.source_api() != nullptr);
  CHECK(inst.extract_api() == nullptr);  // beyond its descriptor: absent, not garbage
  CHECK(inst.output_api() == nullptr);
  CHECK(inst.source_name() == "old");
  e->register_fields();
  test::FormatSink sink(*e);
  sink.add("old", "n=%evt.num src=%evt.source");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"old"}, stop);
  CHECK(sink.events == 7);
  // get_progress lies beyond the older source table: reported as unsupported.
  uint32_t pm = 0;
  std::string text;
  CHECK_FALSE(inst.progress(nullptr, &pm, &text));
}

TEST_CASE("ABI 1.4 extract flags: a 1.3 table has none, strings are copied and measured") {
  auto e = test::make_engine();
  auto& inst = e->plugins().load({"old", "libbad_old_extract.so", "", ""});
  REQUIRE(inst.extract_api() != nullptr);
  // What lies past the table's size has every bit set: never read.
  CHECK_FALSE(inst.sized_strings());
  CHECK_FALSE(inst.event_lifetime());
  CHECK_FALSE(inst.values_stable_per_event());
  e->register_fields();
  const uint32_t text = e->slots().resolve(e->fields().find("old", "old.text"), nullptr);
  const uint32_t len = e->slots().resolve(e->fields().find("old", "old.len"), nullptr);
  saker_source* src = inst.open_source("");
  const saker_event* const* evts = nullptr;
  uint32_t n = 0;
  REQUIRE(inst.next_batch(src, 0, &evts, &n) == SAKER_OK);
  REQUIRE(n == 1);
  core::EventContext ctx(e->slots(), "old");
  ctx.begin(evts[0]);
  const std::string_view v = ctx.get(text).str();
  // Extracting old.len rewrites the buffer old.text pointed at: the value was copied.
  CHECK(ctx.get(len).num() == 11);
  CHECK(v == "old event 5");
  inst.close_source(src);
}

TEST_CASE("ABI 1.4 extract flags: SDK plugins size their strings, event lifetime is declared") {
  auto e = test::make_engine();
  auto& mem = e->plugins().load({"mem", "libmem_source.so", "", ""});  // kValuesLiveForEvent
  auto& example = e->plugins().load({"ex", "libexample.so", "", ""});
  CHECK(mem.sized_strings());
  CHECK(mem.event_lifetime());
  CHECK(mem.values_stable_per_event());
  CHECK(example.sized_strings());
  CHECK_FALSE(example.event_lifetime());
  CHECK_FALSE(example.values_stable_per_event());
  // An instance serving several threads: another thread's event may replace the values.
  mem.set_shared();
  CHECK(mem.event_lifetime());
  CHECK_FALSE(mem.values_stable_per_event());
}

TEST_CASE("incompatible plugins are refused with messages naming both versions") {
  auto e = test::make_engine();
  std::string major = refusal(*e, {"m", "libbad_wrong_major.so", "", ""});
  CHECK(contains(major, "requires plugin API 2.0"));
  const std::string host = "plugin API " + std::to_string(SAKER_PLUGIN_API_MAJOR) + "." +
                           std::to_string(SAKER_PLUGIN_API_MINOR);
  CHECK(contains(major, host));
  std::string minor = refusal(*e, {"n", "libbad_newer_minor.so", "", ""});
  CHECK(contains(minor, "requires plugin API 1." + std::to_string(SAKER_PLUGIN_API_MINOR + 1)));
  CHECK(contains(minor, host));
}

TEST_CASE("a missing entry symbol, an escaping path and a failing init are refused") {
  auto e = test::make_engine();
  CHECK(contains(refusal(*e, {"x", "libbad_no_entry.so", "", ""}), "entry symbol"));
  CHECK(contains(refusal(*e, {"y", "../../../etc/passwd", "", ""}), "escapes the plugins directory"));
  CHECK(contains(refusal(*e, {"y2", "sub/../../x.so", "", ""}), "escapes"));
  CHECK(contains(refusal(*e, {"z", "libnot_there.so", "", ""}), "does not exist"));
  std::string init = refusal(*e, {"f", "libmem_source.so", R"({"fail_init":true})", ""});
  CHECK(contains(init, "failed to initialise"));
  CHECK(contains(init, "asked to fail in init"));
}

TEST_CASE("refused plugins are counted and the others still load and run") {
  auto e = test::make_engine();
  e->plugins().load_all({{"bad1", "libbad_wrong_major.so", "", ""},
                         {"good", "libmem_source.so", R"({"count":10})", ""},
                         {"bad2", "libbad_no_entry.so", "", ""},
                         {"bad3", "libmem_source.so", R"({"fail_init":true})", ""}});
  CHECK(e->plugins().failures().size() == 3);
  CHECK(e->plugins().instances().size() == 1);
  e->register_fields();
  test::FormatSink sink(*e);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  CHECK(sink.events == 10);
}

TEST_CASE("an exception thrown inside SDK extraction is reported, not a crash") {
  auto e = test::make_engine();
  auto& inst = e->plugins().load({"m", "libmem_source.so", R"({"count":3})", ""});
  e->register_fields();
  test::TempDir dir;
  auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
  e->open_output(out, (dir.path() / "alerts.jsonl").string());
  test::FormatSink sink(*e);
  sink.add("mem", "boom=%mem.boom user=%mem.user");
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"mem"}, stop);
  auto lines = test::read_lines(dir.path() / "alerts.jsonl");
  REQUIRE(lines.size() == 3);
  auto j = nlohmann::json::parse(lines[0]);
  CHECK(j["message"] == "boom=<NA> user=alice");
  CHECK(contains(inst.last_error(), "boom: extraction failed on purpose"));
  CHECK(e->loops()[0]->num_events() == 3);
}

TEST_CASE("truncated, foreign and non-ELF libraries are refused before dlopen, never a crash") {
  namespace fs = std::filesystem;
  const fs::path real = fs::path(SAKER_PLUGIN_DIR) / "libmem_source.so";
  REQUIRE(fs::exists(real));
  // The plugins directory confines library paths: the broken copies go in a sub-folder.
  const fs::path dir = fs::path(SAKER_PLUGIN_DIR) / "hostile-test";
  fs::create_directories(dir);
  std::ifstream in(real, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto write = [&](const std::string& name, const std::string& content) {
    std::ofstream(dir / name, std::ios::binary) << content;
    return "hostile-test/" + name;
  };
  auto e = test::make_engine();
  for (std::size_t cut : {std::size_t{3000}, std::size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    std::string why = refusal(*e, {"t", write("cut.so", bytes.substr(0, cut)), "", ""});
    CHECK_MESSAGE(contains(why, "refused"), "cut at " << cut << ": " << why);
  }
  CHECK(contains(refusal(*e, {"t", write("text.so", "not a library\n"), "", ""}), "not an ELF"));
  std::string foreign = bytes;
  foreign[18] = 0x28;  // e_machine: ARM
  CHECK(contains(refusal(*e, {"t", write("arm.so", foreign), "", ""}), "another machine"));
  fs::create_directories(dir / "dir.so");
  CHECK(contains(refusal(*e, {"t", "hostile-test/dir.so", "", ""}), "not a regular file"));
  // The intact copy still loads.
  e->plugins().load({"ok", write("ok.so", bytes), R"({"count":1})", ""});
  fs::remove_all(dir);
}

TEST_CASE("init_config is checked against the plugin's schema, naming the key") {
  auto e = test::make_engine();
  // k8saudit's schema: additionalProperties false, threads >= 1.
  CHECK(contains(refusal(*e, {"k", "libk8saudit.so", R"({"threads":-1})", ""}),
                 "init_config.threads: must be >= 1"));
  CHECK(contains(refusal(*e, {"k", "libk8saudit.so", R"({"thread":4})", ""}),
                 "init_config.thread: unknown key"));
  CHECK(contains(refusal(*e, {"k", "libk8saudit.so", R"({"listen":9765})", ""}),
                 "init_config.listen: expected string"));
  CHECK(contains(refusal(*e, {"s", "libsyscall.so", R"({"engine":{"modern_ebpf":{"buf_size_preset":11}}})", ""}),
                 "init_config.engine.modern_ebpf.buf_size_preset: must be <= 10"));
}

TEST_CASE("ABI 1.3 stop_requested: a plugin stuck in open sees the stop and the run ends") {
  auto e = test::make_engine();
  e->plugins().load({"m", "libmem_source.so", R"({"open_until_stop":true})", ""});
  e->register_fields();
  test::FormatSink sink(*e);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    stop = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_NOTHROW(e->run({"mem"}, stop));  // interrupted by the stop: not an error
  stopper.join();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
  CHECK(sink.events == 0);
  CHECK_FALSE(e->stop_requested());  // outside run: never
}

TEST_CASE("ABI 1.5 process_exiting: true in destroy only once the process is about to exit") {
  const std::string report = "/tmp/saker-exit-report-" + std::to_string(::getpid());
  auto read_report = [&] {
    std::ifstream in(report);
    std::string line;
    std::getline(in, line);
    return line;
  };
  for (const bool exiting : {false, true}) {
    CAPTURE(exiting);
    std::remove(report.c_str());
    auto e = test::make_engine();
    e->plugins().load({"m", "libmem_source.so", R"({"exit_report":")" + report + R"("})", ""});
    e->register_fields();
    test::FormatSink sink(*e);
    e->set_sink(&sink);
    std::atomic<bool> stop{false};
    e->run({"mem"}, stop);
    CHECK_FALSE(e->process_exiting());  // a run, and its end: not an exit
    if (exiting) e->prepare_exit();
    CHECK(e->process_exiting() == exiting);
    e.reset();  // destroys the plugin
    CHECK(read_report() == (exiting ? "process_exiting=1" : "process_exiting=0"));
  }
  std::remove(report.c_str());
}

TEST_CASE("sdk::keep_until_exit keeps the object alive and unfreed") {
  struct Probe {
    bool* destroyed = nullptr;
    ~Probe() { *destroyed = true; }
  };
  static bool destroyed = false;
  auto p = std::make_unique<Probe>();
  p->destroyed = &destroyed;
  Probe* raw = p.get();
  sdk::keep_until_exit(std::move(p));
  CHECK_FALSE(destroyed);
  CHECK(raw->destroyed == &destroyed);  // still there, readable
}

TEST_CASE("the SDK reads host callbacks a table is too old to have as absent") {
  // stop_requested (1.3) and process_exiting (1.5): set, but beyond a shorter table's size
  // (a 1.2 host's ends at status_json, a 1.4 host's at stop_requested), they are not read.
  saker_host_api old{};
  old.stop_requested = [](saker_host*) -> int32_t { return 1; };
  old.process_exiting = [](saker_host*) -> int32_t { return 1; };
  old.size = offsetof(saker_host_api, stop_requested);
  CHECK_FALSE(sdk::Host(&old, nullptr).stop_requested());
  CHECK_FALSE(sdk::Host(&old, nullptr).process_exiting());
  old.size = offsetof(saker_host_api, process_exiting);
  CHECK(sdk::Host(&old, nullptr).stop_requested());
  CHECK_FALSE(sdk::Host(&old, nullptr).process_exiting());
  old.size = sizeof(saker_host_api);
  CHECK(sdk::Host(&old, nullptr).process_exiting());
  CHECK_FALSE(sdk::Host().stop_requested());
  CHECK_FALSE(sdk::Host().process_exiting());
}
