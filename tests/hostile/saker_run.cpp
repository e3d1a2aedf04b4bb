// The saker runner of the hostile-input suite (see saker_run.h).
#include "saker_run.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace saker::hostile {

namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

int RunResult::count(const std::string& needle) const {
  int n = 0;
  for (auto p = out.find(needle); p != std::string::npos; p = out.find(needle, p + 1)) ++n;
  return n;
}

std::string saker_binary() { return SAKER_HOSTILE_SAKER_BIN; }

TempDir::TempDir() {
  char tmpl[] = "/tmp/saker-hostile-XXXXXX";
  path = ::mkdtemp(tmpl);
}
TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

RunResult run_saker(const RunOptions& opts) {
  TempDir io;
  const std::string out_path = io.file("out"), err_path = io.file("err");
  std::vector<std::string> argv_s{saker_binary()};
  argv_s.insert(argv_s.end(), opts.args.begin(), opts.args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  const auto t0 = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int o = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int e = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  RunResult r;
  bool signalled = false;
  Clock::time_point signal_at;
  int status = 0;
  struct rusage ru {};
  for (;;) {
    const pid_t w = ::wait4(pid, &status, WNOHANG, &ru);
    if (w == pid) break;
    if (!opts.signal_after.empty() && !signalled &&
        slurp(err_path).find(opts.signal_after) != std::string::npos) {
      std::this_thread::sleep_for(std::chrono::duration<double>(opts.signal_delay_s));
      signal_at = Clock::now();
      ::kill(pid, opts.signal);
      signalled = true;
    }
    if (since(t0) > opts.deadline_s && !r.timed_out) {
      ::kill(pid, SIGKILL);
      r.timed_out = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.seconds = since(t0);
  if (signalled) r.seconds_after_signal = since(signal_at);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.term_signal = WTERMSIG(status);
  r.peak_rss_kib = ru.ru_maxrss;
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

}  // namespace saker::hostile
