// Output independence through the real core: a stuck output (a program that does not
// read its input) neither delays another output nor loses alerts silently: its queue
// is bounded, what it could not take is counted per output and in total.
#include <doctest/doctest.h>

#include <fstream>

#include "output_rig.h"

using namespace saker;

TEST_CASE("a stuck output does not hold back another; its drops are counted") {
  test::TempDir dir;
  const auto gate = dir.path() / "gate";
  const auto file = dir.path() / "events.txt";
  test::OutputRig rig(1000);
  // Reads nothing until the gate file exists: its socket buffer fills, then it blocks.
  rig.open("program_output", {{"program", "while [ ! -f " + gate.string() +
                                              " ]; do sleep 0.05; done; cat >/dev/null"},
                              {"keep_alive", true}});
  rig.open("file_output", {{"filename", file.string()}, {"keep_alive", true}});
  struct OpenGate {  // also when a check fails, so that stop() ends
    std::filesystem::path p;
    ~OpenGate() { std::ofstream(p) << "open\n"; }
  } open_gate{gate};
  constexpr int kAlerts = 20000, kChunk = 500;
  for (int i = 0; i < kAlerts; i += kChunk) {
    for (int k = i; k < i + kChunk; ++k) rig.publish(k);
    // Every alert reaches the file while the program is stuck.
    REQUIRE(test::wait_for([&] {
      return rig.metric("output_num_sent{output=\"file_output\"}") == uint64_t(i + kChunk);
    }));
  }
  const uint64_t drops = rig.metric("output_queue_num_drops{output=\"program_output\"}");
  CHECK(drops > 0);
  CHECK(rig.metric("outputs_queue_num_drops") == drops);
  CHECK(rig.metric("output_queue_num_drops{output=\"file_output\"}") == 0);
  bool found = false;
  for (const auto& s : rig.engine().outputs().status()) {
    if (s.name == "program_output") {
      found = true;
      CHECK(s.drops == drops);
      CHECK(s.queue_depth + s.sent + s.drops <= kAlerts);
    }
  }
  CHECK(found);
  std::ofstream(gate) << "open\n";
  rig.stop();
  // Nothing vanished: every alert was taken, dropped (counted) or failed (counted).
  CHECK(rig.metric("output_num_sent{output=\"program_output\"}") + drops +
            rig.metric("output_num_errors{output=\"program_output\"}") ==
        kAlerts);
  CHECK(test::read_lines(file).size() == kAlerts);
}

TEST_CASE("an output plugin built against ABI 1.1 (no reopen) loads, works, ignores reopen") {
  test::TempDir dir;
  const auto file = dir.path() / "old.txt";
  {
    test::OutputRig rig;
    auto& inst = rig.load("old_output");
    rig.engine().open_output(inst, file.string());
    rig.publish(0);
    rig.engine().outputs().request_reopen();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    rig.publish(1);
  }
  auto lines = test::read_lines(file);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "Test rule 0");
}
