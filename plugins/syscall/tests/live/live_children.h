// Helpers for the live tests that need child processes (root): forking a child that runs a
// function and exits, reaping it, and the driver option that follows a test's children.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>

#include "live_test_util.h"

namespace saker::syscall::testing {

inline LiveDriverOptions with_children() {
  LiveDriverOptions o;
  o.target_children = true;
  return o;
}

inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string trim_nl(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

// Runs `body` in a forked child that exits with its return value; returns the child's pid.
// The child gets default signal dispositions back: the test framework's crash handlers
// must not report a child killed on purpose as a crashed test.
// spawn() returns once the child has done so, so a signal sent right away finds them reset.
inline pid_t spawn(const std::function<int()>& body) {
  int ready[2];
  REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
  pid_t p = fork();
  if (p == 0) {
    for (int sig : {SIGTERM, SIGINT, SIGSEGV, SIGABRT, SIGILL, SIGFPE}) signal(sig, SIG_DFL);
    close(ready[0]);
    char c = 1;
    if (write(ready[1], &c, 1) != 1) _exit(100);
    close(ready[1]);
    _exit(body());
  }
  REQUIRE(p > 0);
  close(ready[1]);
  char c = 0;
  REQUIRE(read(ready[0], &c, 1) == 1);
  close(ready[0]);
  return p;
}

// Kills and reaps a child that would otherwise outlive a test stopped by a failed REQUIRE.
struct ChildGuard {
  pid_t pid;
  bool reaped = false;
  ~ChildGuard() {
    if (reaped) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

inline int reap(pid_t p) {
  int st = 0;
  REQUIRE(waitpid(p, &st, 0) == p);
  return st;
}

// Runs `path` (no arguments, empty environment) in a traced child, after `before` has run
// in that child (a non-zero return ends the child with that code instead); checks the child
// exited 0 and returns its execve exit event.
inline std::optional<CapturedLive> exec_and_get(LiveHarness& h, const std::string& path,
                                                const std::function<int()>& before = {}) {
  pid_t child = spawn([path, before] {
    if (before) {
      if (int rc = before(); rc != 0) return rc;
    }
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    char* envp[] = {nullptr};
    execve(path.c_str(), argv, envp);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  return h.next(SAKER_EVT_EXECVE_19_X,
                [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
}

}  // namespace saker::syscall::testing
