// The workloads the live benchmark times, run in the benchmark's own process (which saker
// traces like any other). Each returns the mean cost of one operation in ns, as wall time
// and as CPU time (this process plus its waited-for children, user + system: the eBPF
// programs run in the syscall, so they are system time). On a shared machine the CPU time
// is the steadier figure: wall time also counts the time others held the CPU. The caller
// repeats and takes medians.
//  * open_close: openat(2) of a small file read-only, then close(2): two traced syscalls;
//  * fork_exec: fork(2), the child execs /bin/true, the parent waits (clone + execve +
//    exit + wait4 and the loader's opens in the child);
//  * spawn_true: posix_spawn(3) of /bin/true and waitpid (clone(CLONE_VM|CLONE_VFORK));
//  * getppid: a syscall saker never sends, so only the sys_exit dispatcher's cost shows;
//  * close_bad (close(-1): EBADF) and open_missing (openat of a missing file: ENOENT): one
//    event each with almost no work in the syscall, for the per-event profile.
// paced_open_close generates open+close pairs at a fixed event rate (2 events per pair)
// for a duration, sleeping between slices of work, and reports the rate reached.
#pragma once

#include <cstdint>
#include <string>

namespace saker::bench {

struct Timing {
  double wall_ns = 0;
  double cpu_ns = 0;
};

class Workloads {
 public:
  // `dir`: where the file for open_close is created (removed by the destructor).
  explicit Workloads(const std::string& dir);
  ~Workloads();
  Workloads(const Workloads&) = delete;
  Workloads& operator=(const Workloads&) = delete;

  Timing open_close(std::uint64_t pairs) const;
  Timing fork_exec(std::uint64_t n) const;
  Timing spawn_true(std::uint64_t n) const;
  Timing getppid(std::uint64_t n) const;
  Timing close_bad(std::uint64_t n) const;
  Timing open_missing(std::uint64_t n) const;

  struct Paced {
    double events_per_s = 0;  // reached (2 per pair)
    double seconds = 0;
  };
  // `events_per_s`: target rate; stops after `seconds`.
  Paced paced_open_close(double events_per_s, double seconds) const;

 private:
  std::string path_;
};

}  // namespace saker::bench
