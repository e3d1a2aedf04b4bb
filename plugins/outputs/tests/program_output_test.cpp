// The program output through the real core: a real shell program reads the alerts on
// its stdin; it is respawned when it dies; keep_alive false runs it per alert.
#include <doctest/doctest.h>

#include <fstream>

#include "output_rig.h"

using namespace saker;
using nlohmann::json;

TEST_CASE("program_output feeds one long-lived program, respawns it when it dies") {
  test::TempDir dir;
  const auto out = dir.path() / "received.txt";
  const auto pids = dir.path() / "pids.txt";
  // The program records its pid, then appends each line; "die" lines make it exit.
  const std::string program = "echo $$ >> " + pids.string() +
                              "; while read -r l; do echo \"$l\" >> " + out.string() +
                              "; case \"$l\" in *'alert 4 '*) exit 0;; esac; done";
  test::OutputRig rig;
  rig.open("program_output", {{"program", program}, {"keep_alive", true}});
  for (int i = 0; i < 5; ++i) rig.publish(i);
  // The program exits after alert 4; the next alerts go to a new one.
  REQUIRE(test::wait_for([&] { return test::read_lines(out).size() == 5; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 5; i < 10; ++i) rig.publish(i);
  rig.stop();
  auto lines = test::read_lines(out);
  REQUIRE(lines.size() == 10);
  for (int i = 0; i < 10; ++i) {
    CHECK(lines[i].find(": Warning alert " + std::to_string(i) + " ") != std::string::npos);
  }
  CHECK(test::read_lines(pids).size() == 2);
  CHECK(rig.metric("program_output_num_respawns") == 1);
  CHECK(rig.metric("output_num_errors{output=\"program_output\"}") == 0);
}

TEST_CASE("program_output with keep_alive false runs the program once per alert, JSON") {
  test::TempDir dir;
  const auto out = dir.path() / "received.txt";
  test::OutputRig rig;
  rig.open("program_output", {{"program", "cat >> " + out.string()}, {"json_output", true}});
  for (int i = 0; i < 3; ++i) rig.publish(i);
  rig.stop();
  auto lines = test::read_lines(out);
  REQUIRE(lines.size() == 3);
  CHECK(json::parse(lines[1])["output_fields"]["seq"] == 1);
}

TEST_CASE("program_output: reopen ends the program and starts a fresh one") {
  test::TempDir dir;
  const auto pids = dir.path() / "pids.txt";
  test::OutputRig rig;
  rig.open("program_output", {{"program", "echo $$ >> " + pids.string() + "; cat > /dev/null"},
                              {"keep_alive", true}});
  rig.publish(0);
  REQUIRE(test::wait_for([&] { return test::read_lines(pids).size() == 1; }));
  rig.engine().outputs().request_reopen();
  REQUIRE(test::wait_for([&] { return test::read_lines(pids).size() == 2; }));
}

TEST_CASE("program_output: an empty program is refused naming the key") {
  test::OutputRig rig;
  CHECK_THROWS_WITH_AS(rig.open("program_output", {{"keep_alive", true}}),
                       doctest::Contains("program_output.program"), std::exception);
}
