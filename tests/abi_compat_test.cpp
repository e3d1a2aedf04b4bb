// ABI compatibility through the real loader: older descriptors load, incompatible or
// broken plugins are refused with a clear message while the rest keep working, and
// exceptions inside SDK plugins become errors, not crashes.
#include <doctest/doctest.h>

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
