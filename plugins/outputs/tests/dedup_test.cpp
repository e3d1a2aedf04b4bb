// Alert de-duplication through the real core: per rule and key fields, counted, the
// count carried by the next alert after the window; off by default; bad settings named.
#include <doctest/doctest.h>

#include "output_rig.h"

using namespace saker;
using nlohmann::json;

namespace {

std::unique_ptr<core::Engine> engine_with(const json& dedup) {
  core::EngineOptions o;
  o.plugins_dir = SAKER_PLUGIN_DIR;
  o.hostname = "test-host";
  o.dedup = core::dedup_settings_from_json(dedup);
  return std::make_unique<core::Engine>(o);
}

void raise(core::Engine& e, const std::string& rule, const std::string& user, uint64_t t_s) {
  core::AlertRecord a;
  a.time = t_s * 1000000000ull;
  a.rule = rule;
  a.source = "syscall";
  a.message = "user=" + user;
  a.fields.push_back({"user.name", user, json(user)});
  e.publish(std::move(a));
}

}  // namespace

TEST_CASE("dedup: per rule and key field, suppressed alerts counted and reported after") {
  test::TempDir dir;
  const auto path = dir.path() / "events.txt";
  auto e = engine_with({{"enabled", true}, {"window_s", 10}, {"key_fields", {"user.name"}}});
  auto& out = e->plugins().load({"file_output", "libfile_output.so", "", ""});
  e->open_output(out, json{{"filename", path.string()}, {"json_output", true}}.dump());
  raise(*e, "R1", "alice", 100);  // passes, window [100, 110)
  raise(*e, "R1", "alice", 101);  // suppressed
  raise(*e, "R1", "alice", 105);  // suppressed
  raise(*e, "R1", "bob", 105);    // another key: passes
  raise(*e, "R2", "alice", 105);  // another rule: passes
  raise(*e, "R1", "alice", 111);  // after the window: passes, reports 2
  raise(*e, "R1", "alice", 112);  // suppressed again
  e->outputs().stop();
  auto lines = test::read_lines(path);
  REQUIRE(lines.size() == 4);
  auto last = json::parse(lines[3]);
  CHECK(last["rule"] == "R1");
  CHECK(last["output_fields"]["dedup.suppressed"] == 2);
  CHECK(last["output"].get<std::string>().find("user=alice dedup.suppressed=2") !=
        std::string::npos);
  CHECK(e->metrics().value_of("alerts_dedup_suppressed") == 3);
  CHECK(e->metrics().value_of("alerts_dedup_suppressed{rule_name=\"R1\"}") == 3);
  CHECK(e->metrics().value_of("num_alerts") == 4);
}

TEST_CASE("dedup: per-rule key fields; off by default; bad settings name the key") {
  auto off = engine_with(json::object());
  for (int i = 0; i < 3; ++i) raise(*off, "R", "a", 1);
  CHECK(off->metrics().value_of("num_alerts") == 3);

  auto per_rule = engine_with(
      {{"enabled", true}, {"rules", {{"R", json::array()}}}, {"key_fields", {"user.name"}}});
  raise(*per_rule, "R", "a", 1);
  raise(*per_rule, "R", "b", 1);  // R keys on the rule alone: suppressed
  raise(*per_rule, "S", "a", 1);
  raise(*per_rule, "S", "b", 1);  // S keys on user.name: passes
  CHECK(per_rule->metrics().value_of("num_alerts") == 3);

  CHECK_THROWS_WITH_AS(core::dedup_settings_from_json({{"window_s", 0}}),
                       doctest::Contains("dedup.window_s"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(core::dedup_settings_from_json({{"key_fields", "user.name"}}),
                       doctest::Contains("dedup.key_fields"), std::invalid_argument);
}
