// The live end-to-end tests: the real saker binary watches the host through the eBPF driver
// (no configuration file: syscall source, modern_ebpf) with tests/live_e2e/live_rules.yaml;
// the test performs real suspicious actions and their benign near-misses
// (live_actions.h), stops saker with SIGTERM and checks the JSON alerts: each suspicious
// action raised its rule with the right field values, no near-miss raised anything.
// The second case records the same session into a capture (capture.mode all_rules),
// replays it with `saker -e` and expects the same alerts; sysdig, when installed, must find
// the sentinel's open in it.
//
// Needs root and a kernel with BTF (CI runs as root); skips with a message otherwise.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <set>

#include "../test_util.h"
#include "live_actions.h"
#include "live_harness.h"

namespace saker::live_e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kReady = "opened event source 'syscall'";

bool can_run_live() {
  if (geteuid() == 0) return true;
  MESSAGE("skipped: the live driver needs root");
  return false;
}

struct Session {
  ActionPlan plan;
  std::vector<Json> alerts;
  std::string log;
};

// saker live with the test's rules, JSON alerts and `extra` options; the actions; the
// sentinel's alert; SIGTERM.
Session live_session(const BuildPaths& paths, const fs::path& dir,
                     const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"-r", paths.rules.string(), "-o", "json_output=true",
                                "-o", "log_level=info"};
  args.insert(args.end(), extra.begin(), extra.end());
  SakerProcess saker(paths.saker, args, dir);
  Session s;
  REQUIRE_MESSAGE(saker.wait_log(kReady, 10s), "saker did not open the source:\n" << saker.log());
  s.plan = perform_actions(paths, dir);
  CHECK_MESSAGE(saker.wait_alert([&](const Json& a) { return is_sentinel_alert(s.plan, a); }, 8s),
                "the sentinel's alert did not arrive");
  const int status = saker.stop(5s);
  CHECK_MESSAGE(status == 0, "saker did not stop cleanly on SIGTERM (status " << status << ")");
  s.alerts = saker.alerts();
  s.log = saker.log();
  MESSAGE(s.alerts.size() << " alerts in all (the host's own activity included)");
  if (std::getenv("SAKER_E2E_VERBOSE")) {
    for (const auto& a : s.alerts) MESSAGE(a.dump());
  }
  return s;
}

void check_plan(const ActionPlan& plan, const std::vector<Json>& alerts, const std::string& log) {
  CHECK(plan.expected.size() == 7);
  CHECK(plan.near_misses.size() == 8);
  const auto problems = check_alerts(plan, alerts);
  for (const auto& p : problems) FAIL_CHECK(p);
  if (!problems.empty()) MESSAGE("saker's log:\n" << log);
}

// What must agree between a live alert and its replay: the rule and every output field
// (evt.time included).
std::string alert_key(const Json& a) {
  return a.value("rule", "") + " " + a.value("output_fields", Json::object()).dump();
}

std::uint64_t alert_time(const Json& a) {
  return a.value("output_fields", Json::object()).value("evt.time", std::uint64_t{0});
}

// sysdig (0.29 on Debian 12) reads the capture and shows the sentinel's open.
void check_with_sysdig(const fs::path& capture, const ActionPlan& plan, const fs::path& dir) {
  const fs::path sysdig = "/usr/bin/sysdig";
  if (!fs::exists(sysdig)) {
    MESSAGE("sysdig not installed: capture not checked with it");
    return;
  }
  const fs::path out = dir / "sysdig.out", err = dir / "sysdig.err";
  const std::string filter = "evt.type=openat and proc.pid=" + std::to_string(plan.sentinel);
  run({sysdig.string(), "-r", capture.string(), "-p", "%proc.name %fd.name", filter}, err, out,
      15s);
  const auto lines = test::read_lines(out);
  const auto errors = test::read_lines(err);
  for (const auto& e : errors) {
    // Descriptor types newer than sysdig 0.29 (bpf, memfd, pidfd...) held by another process
    // when the capture started make it refuse the whole file: not saker's doing.
    if (e.find("wrong fd type") != std::string::npos) {
      MESSAGE(
          "sysdig refused the capture (another process holds a descriptor type it does "
          "not know): "
          << e);
      return;
    }
  }
  CHECK_MESSAGE(std::find(lines.begin(), lines.end(), "cat /etc/shadow") != lines.end(),
                "sysdig did not show the sentinel's open; its output: "
                    << (lines.empty() ? std::string("(none)") : lines.front())
                    << (errors.empty() ? std::string() : " / " + errors.front()));
}

}  // namespace

TEST_CASE("live: suspicious actions raise their rules, near-misses do not") {
  if (!can_run_live()) return;
  const BuildPaths paths = build_paths();
  test::TempDir tmp;
  const Session s = live_session(paths, tmp.path());
  check_plan(s.plan, s.alerts, s.log);
}

TEST_CASE("record live, replay the capture: the same alerts") {
  if (!can_run_live()) return;
  const BuildPaths paths = build_paths();
  test::TempDir tmp;
  const fs::path prefix = tmp.path() / "live";
  const Session live = live_session(
      paths, tmp.path(),
      {"-o", "capture.enabled=true", "-o", "capture.mode=all_rules", "-o",
       "capture.path_prefix=" + prefix.string(), "-o", "capture.default_duration=600000"});
  check_plan(live.plan, live.alerts, live.log);

  std::vector<fs::path> captures;
  for (const auto& e : fs::directory_iterator(tmp.path())) {
    if (e.path().filename().string().starts_with("live_") && e.path().extension() == ".scap") {
      captures.push_back(e.path());
    }
  }
  REQUIRE_MESSAGE(captures.size() == 1, "expected one capture file; saker's log:\n" << live.log);

  const fs::path replay_dir = tmp.path() / "replay";
  fs::create_directory(replay_dir);
  SakerProcess replay(paths.saker,
                      {"-e", captures[0].string(), "-r", paths.rules.string(), "-o",
                       "json_output=true", "-o", "log_level=info"},
                      replay_dir);
  CHECK(replay.wait_exit(15s) == 0);
  const auto replayed = replay.alerts();
  MESSAGE(replayed.size() << " alerts replayed from " << captures[0].filename().string());

  // Our actions' alerts, with the right fields, again.
  check_plan(live.plan, replayed, replay.log());
  // Every live alert comes back; the replay adds nothing up to the sentinel (after it, the
  // capture may hold events saker read but had no time to evaluate before SIGTERM).
  std::multiset<std::string> replay_keys, live_keys;
  for (const auto& a : replayed) replay_keys.insert(alert_key(a));
  std::uint64_t sentinel_time = 0;
  for (const auto& a : live.alerts) {
    live_keys.insert(alert_key(a));
    if (is_sentinel_alert(live.plan, a)) sentinel_time = alert_time(a);
    CHECK_MESSAGE(replay_keys.count(alert_key(a)) > 0, "not replayed: " << a.dump());
  }
  for (const auto& a : replayed) {
    if (alert_time(a) > sentinel_time) continue;
    CHECK_MESSAGE(live_keys.count(alert_key(a)) > 0, "replay only: " << a.dump());
  }
  check_with_sysdig(captures[0], live.plan, tmp.path());
}

}  // namespace saker::live_e2e
