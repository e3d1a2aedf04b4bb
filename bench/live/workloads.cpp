// The timed workloads (see workloads.h).
#include "workloads.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

extern char** environ;

namespace saker::bench {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ns(Clock::time_point t0) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
}

double cpu_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  const auto us = [](const timeval& t) { return t.tv_sec * 1e6 + t.tv_usec; };
  return ts.tv_sec * 1e9 + ts.tv_nsec + 1e3 * (us(ru.ru_utime) + us(ru.ru_stime));
}

// Runs `op` n times; the mean wall and CPU ns of one run.
template <class Op>
Timing timed(std::uint64_t n, Op op) {
  const double cpu0 = cpu_now_ns();
  const auto t0 = Clock::now();
  for (std::uint64_t i = 0; i < n; ++i) op();
  const double wall = elapsed_ns(t0);
  const double cpu = cpu_now_ns() - cpu0;
  return {wall / static_cast<double>(n), cpu / static_cast<double>(n)};
}

void one_open_close(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(std::string("open ") + path);
  close(fd);
}

}  // namespace

Workloads::Workloads(const std::string& dir) : path_(dir + "/saker_live_bench.txt") {
  int fd = open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path_);
  const char text[] = "saker live bench\n";
  (void)!write(fd, text, sizeof(text) - 1);
  close(fd);
}

Workloads::~Workloads() { unlink(path_.c_str()); }

Timing Workloads::open_close(std::uint64_t pairs) const {
  return timed(pairs, [this] { one_open_close(path_.c_str()); });
}

Timing Workloads::fork_exec(std::uint64_t n) const {
  return timed(n, [] {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      execl("/bin/true", "true", static_cast<char*>(nullptr));
      _exit(127);
    }
    waitpid(pid, nullptr, 0);
  });
}

Timing Workloads::spawn_true(std::uint64_t n) const {
  return timed(n, [] {
    char arg0[] = "true";
    char* argv[] = {arg0, nullptr};
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0) {
      throw std::runtime_error("posix_spawn /bin/true failed");
    }
    waitpid(pid, nullptr, 0);
  });
}

Timing Workloads::getppid(std::uint64_t n) const {
  return timed(n, [] { syscall(SYS_getppid); });
}

Timing Workloads::close_bad(std::uint64_t n) const {
  return timed(n, [] { close(-1); });
}

Timing Workloads::open_missing(std::uint64_t n) const {
  const std::string missing = path_ + ".missing";
  return timed(n, [&missing] {
    if (open(missing.c_str(), O_RDONLY | O_CLOEXEC) >= 0) throw std::runtime_error(missing);
  });
}

// Work in 1 ms slices: do the pairs the target says are due by now, then sleep to the
// next slice. A slice that falls behind is caught up in the following ones, but never past
// the end: a generator slower than the target stops on time and reports the rate it reached.
Workloads::Paced Workloads::paced_open_close(double events_per_s, double seconds) const {
  const double pairs_per_ns = events_per_s / 2 / 1e9;
  const double end_ns = seconds * 1e9;
  const auto t0 = Clock::now();
  std::uint64_t done = 0;
  timespec slice{0, 1000 * 1000};
  for (double now = 0; now < end_ns; now = elapsed_ns(t0)) {
    const auto due = static_cast<std::uint64_t>(now * pairs_per_ns);
    while (done < due) {
      one_open_close(path_.c_str());
      if (++done % 256 == 0 && elapsed_ns(t0) >= end_ns) break;
    }
    nanosleep(&slice, nullptr);
  }
  const double s = elapsed_ns(t0) / 1e9;
  return {2.0 * static_cast<double>(done) / s, s};
}

}  // namespace saker::bench
