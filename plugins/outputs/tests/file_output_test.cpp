// The file output through the real core: append, JSON/text, extra fields, minimum
// priority, reopen after a rotation, bad settings named by key.
#include <doctest/doctest.h>

#include <fstream>

#include "output_rig.h"

using namespace saker;
using nlohmann::json;

TEST_CASE("file_output appends JSON lines, keeps what was there, honours minimum_priority") {
  test::TempDir dir;
  const auto path = dir.path() / "events.txt";
  std::ofstream(path) << "existing line\n";
  {
    test::OutputRig rig;
    rig.open("file_output", {{"filename", path.string()},
                             {"keep_alive", true},
                             {"json_output", true},
                             {"minimum_priority", "error"},
                             {"extra_fields", {{"cluster", "prod"}}}});
    for (int i = 0; i < 10; ++i) {
      rig.publish(i, i % 2 ? core::Priority::kCritical : core::Priority::kNotice);
    }
  }
  auto lines = test::read_lines(path);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == "existing line");
  for (int k = 0; k < 5; ++k) {
    auto j = json::parse(lines[1 + k]);
    CHECK(j["priority"] == "Critical");
    CHECK(j["output_fields"]["seq"] == 2 * k + 1);
    CHECK(j["output_fields"]["cluster"] == "prod");
    CHECK(j["hostname"] == "test-host");
  }
}

TEST_CASE("file_output: text lines with extra fields; keep_alive false opens per alert") {
  test::TempDir dir;
  const auto path = dir.path() / "events.txt";
  {
    test::OutputRig rig;
    rig.open("file_output", {{"filename", path.string()}, {"extra_fields", {{"env", "test"}}}});
    for (int i = 0; i < 3; ++i) rig.publish(i);
  }
  auto lines = test::read_lines(path);
  REQUIRE(lines.size() == 3);
  CHECK(lines[2].find(": Warning alert 2 user=root env=test") != std::string::npos);
}

TEST_CASE("file_output reopens its file on request (log rotation)") {
  test::TempDir dir;
  const auto path = dir.path() / "events.txt";
  const auto rotated = dir.path() / "events.txt.1";
  test::OutputRig rig;
  rig.open("file_output", {{"filename", path.string()}, {"keep_alive", true}});
  for (int i = 0; i < 5; ++i) rig.publish(i);
  REQUIRE(
      test::wait_for([&] { return rig.metric("output_num_sent{output=\"file_output\"}") == 5; }));
  std::filesystem::rename(path, rotated);
  rig.publish(5);  // still goes to the moved file: it is open
  REQUIRE(
      test::wait_for([&] { return rig.metric("output_num_sent{output=\"file_output\"}") == 6; }));
  rig.engine().outputs().request_reopen();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the worker polls every 100 ms
  for (int i = 6; i < 10; ++i) rig.publish(i);
  rig.stop();
  CHECK(test::read_lines(rotated).size() == 6);
  auto fresh = test::read_lines(path);
  REQUIRE(fresh.size() == 4);
  CHECK(fresh[0].find("alert 6 ") != std::string::npos);
}

TEST_CASE("file_output: bad settings are refused naming the key") {
  test::OutputRig rig;
  test::TempDir dir;
  const std::string x = (dir.path() / "x").string();
  auto msg = [&](const json& p) {
    try {
      rig.open("file_output", p);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("opened");
  };
  CHECK(msg({{"filename", "/nonexistent-dir/x"}}).find("file_output.filename: cannot open") !=
        std::string::npos);
  CHECK(msg({{"filename", x}, {"keep_alive", "maybe"}}).find("file_output.keep_alive") !=
        std::string::npos);
  CHECK(msg({{"filename", x}, {"minimum_priority", "loud"}}).find("file_output.minimum_priority") !=
        std::string::npos);
}
