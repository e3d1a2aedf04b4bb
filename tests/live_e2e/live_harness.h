// The machinery of the live end-to-end tests: the real `saker` binary run as a child
// process (stdout and stderr to files), commands run the way a user would run them, and
// TCP listeners on loopback addresses. Every wait is bounded; every child is reaped.
//
// Not thread-safe: one test thread drives everything.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace saker::live_e2e {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

// Paths given by the build (CMake compile definitions).
struct BuildPaths {
  std::filesystem::path saker;   // build/bin/saker
  std::filesystem::path helper;  // live_e2e_helper
  std::filesystem::path rules;   // tests/live_e2e/live_rules.yaml
};
BuildPaths build_paths();

// A running saker. The destructor kills it (SIGKILL) if stop() was not called.
class SakerProcess {
 public:
  SakerProcess(const std::filesystem::path& binary, const std::vector<std::string>& args,
               const std::filesystem::path& dir);
  ~SakerProcess();
  SakerProcess(const SakerProcess&) = delete;
  SakerProcess& operator=(const SakerProcess&) = delete;

  // Waits until stderr contains `text`; false on timeout or when saker exited first.
  bool wait_log(const std::string& text, std::chrono::milliseconds timeout);
  // Waits until an alert satisfies `pred`; false on timeout or exit.
  bool wait_alert(const std::function<bool(const Json&)>& pred, std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to `timeout` (SIGKILL after it). Returns the exit status as
  // waitpid gives it, or -1 when it had to be killed.
  int stop(std::chrono::milliseconds timeout);
  // Waits for a process that stops on its own (a replay); -1 when killed after `timeout`.
  int wait_exit(std::chrono::milliseconds timeout);

  std::vector<Json> alerts() const;  // every JSON line of stdout
  std::string log() const;           // stderr
  bool running();

 private:
  pid_t pid_ = -1;
  std::filesystem::path out_, err_;
};

struct RunResult {
  pid_t pid = -1;
  int status = -1;  // as waitpid gives it
  bool ok() const;
};

// Runs argv[0] (a path) with argv, stdout to `out` and stderr to `log` (appended), waits
// at most `timeout` (5 s by default), killing it past that.
RunResult run(const std::vector<std::string>& argv, const std::filesystem::path& log,
              const std::filesystem::path& out = "/dev/null",
              std::chrono::milliseconds timeout = std::chrono::seconds(5));

// A listening TCP socket on `ip` and a kernel-chosen port; connections complete in the
// backlog without accept(). Closed with the object.
class TcpListener {
 public:
  // port 0: one the kernel chooses
  explicit TcpListener(const std::string& ip, std::uint16_t port = 0);
  ~TcpListener();
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  std::uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// The command name (comm) of this process, as the kernel reports it.
std::string own_comm();
// The user name of the effective uid.
std::string own_user();
// The resolved path of an executable (/bin/sh -> /usr/bin/dash on Debian).
std::string resolved(const std::filesystem::path& p);

}  // namespace saker::live_e2e
