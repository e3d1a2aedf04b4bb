// The live end-to-end test: the real saker binary watches the host through the eBPF driver
// (no configuration file: syscall source, modern_ebpf) with tests/live_e2e/live_rules.yaml;
// the test performs real suspicious actions and their benign near-misses
// (live_actions.h), stops saker with SIGTERM and checks the JSON alerts: each suspicious
// action raised its rule with the right field values, no near-miss raised anything.
//
// Needs root and a kernel with BTF (CI runs as root); skips with a message otherwise.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>

#include "../test_util.h"
#include "live_actions.h"
#include "live_harness.h"

namespace saker::live_e2e {
namespace {

using namespace std::chrono_literals;

constexpr const char* kReady = "opened event source 'syscall'";

bool can_run_live() {
  if (geteuid() == 0) return true;
  MESSAGE("skipped: the live driver needs root");
  return false;
}

// saker live, JSON alerts, the test's rules, and `extra` options.
std::vector<std::string> live_args(const BuildPaths& paths, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"-r", paths.rules.string(), "-o", "json_output=true",
                                "-o", "log_level=info"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

void report(const std::vector<std::string>& problems, const SakerProcess& saker) {
  for (const auto& p : problems) FAIL_CHECK(p);
  if (!problems.empty()) MESSAGE("saker's log:\n" << saker.log());
}

}  // namespace

TEST_CASE("live: suspicious actions raise their rules, near-misses do not") {
  if (!can_run_live()) return;
  const BuildPaths paths = build_paths();
  test::TempDir tmp;
  SakerProcess saker(paths.saker, live_args(paths), tmp.path());
  REQUIRE_MESSAGE(saker.wait_log(kReady, 20s), "saker did not open the source:\n" << saker.log());

  const ActionPlan plan = perform_actions(paths, tmp.path());
  CHECK_MESSAGE(saker.wait_alert([&](const Json& a) { return is_sentinel_alert(plan, a); }, 15s),
                "the sentinel's alert did not arrive");
  const int status = saker.stop(10s);
  CHECK_MESSAGE(status == 0, "saker did not stop cleanly on SIGTERM (status " << status << ")");

  const auto alerts = saker.alerts();
  report(check_alerts(plan, alerts), saker);
  CHECK(plan.expected.size() == 7);
  CHECK(plan.near_misses.size() == 8);
  MESSAGE(alerts.size() << " alerts in all (the host's own activity included)");
  if (std::getenv("SAKER_E2E_VERBOSE")) {
    for (const auto& a : alerts) MESSAGE(a.dump());
  }
}

}  // namespace saker::live_e2e
