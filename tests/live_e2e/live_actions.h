// What the live end-to-end tests do on the host and what they expect saker to say about it:
// seven suspicious actions, each with a benign near-miss, performed by real programs
// (cat, touch, bash, sh and the live_e2e_helper), plus a last action (the sentinel) whose
// alert tells the test that saker has seen everything before it.
//
// Alerts are told apart from those of other activity on the machine by the pids of the
// test's own actors (proc.pid, or proc.ppid for a shell started by an actor).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "live_harness.h"

namespace saker::live_e2e {

struct ExpectedAlert {
  std::string action;     // what the test did (for messages)
  std::string rule;       // the rule that must fire
  std::string pid_field;  // "proc.pid" or "proc.ppid": how the actor shows in the alert
  pid_t pid = -1;
  // Field -> accepted values, compared as text (numbers and booleans as JSON prints them).
  std::map<std::string, std::vector<std::string>> fields;
};

struct NearMiss {
  std::string action;
  pid_t pid = -1;  // no alert may name it as proc.pid or proc.ppid
};

struct ActionPlan {
  std::vector<ExpectedAlert> expected;
  std::vector<NearMiss> near_misses;
  pid_t sentinel = -1;              // the last action: cat /etc/shadow
  std::vector<std::string> errors;  // actions that could not be performed
};

// Performs every action (files it creates in /etc and /dev are removed before it returns;
// scratch files go to `tmp`). The listeners it connects to live for the call only.
ActionPlan perform_actions(const BuildPaths& paths, const std::filesystem::path& tmp);

// True for the sentinel's alert.
bool is_sentinel_alert(const ActionPlan& plan, const Json& alert);

// Every disagreement between `alerts` and the plan, one line each (empty: all good).
std::vector<std::string> check_alerts(const ActionPlan& plan, const std::vector<Json>& alerts);

// A field of an alert's output_fields as text ("" when absent).
std::string field_text(const Json& alert, const std::string& field);

}  // namespace saker::live_e2e
