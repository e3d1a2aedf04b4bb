// SakerChild: one `saker` process started by the live benchmark, as an operator would run
// it (`saker -r RULES -o ...`, no config file, so the syscall source is the modern_ebpf
// engine). Its stdout and stderr go to a log file; start() returns once the log says the
// syscall source is open (programs attached, /proc scanned), stop() sends SIGTERM, reaps
// the process and waits until the kernel has released every BPF program it had loaded.
//
// Also reads what /proc shows of the process: CPU time (utime + stime of all its threads)
// and resident memory (VmRSS, VmHWM).
//
// Not thread-safe; one object per child. The destructor kills a child still running.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace saker::bench {

struct ProcMemory {
  double rss_mib = 0;                                // VmRSS
  double hwm_mib = 0;                                // VmHWM: peak resident set
  double anon_mib = 0, file_mib = 0, shmem_mib = 0;  // RssAnon / RssFile / RssShmem
  // Resident pages of BPF map mappings (smaps "anon_inode:bpf-map"): the ring buffers, whose
  // data area is mapped twice (records that wrap stay contiguous), so counted twice.
  double bpf_maps_mib = 0;
};

class SakerChild {
 public:
  SakerChild(std::string binary, std::string log_path);
  ~SakerChild();
  SakerChild(const SakerChild&) = delete;
  SakerChild& operator=(const SakerChild&) = delete;

  // Starts saker with `args` (argv[1..]) and waits up to `timeout_s` for the source to be
  // open. Throws std::runtime_error with the log's tail when saker exits or times out.
  void start(const std::vector<std::string>& args, double timeout_s = 120);
  // SIGTERM, reap (SIGKILL after `timeout_s`), then wait for the BPF programs to go.
  // Returns the number of this child's programs still loaded afterwards (0 expected).
  int stop(double timeout_s = 30);

  // SIGSTOP / SIGCONT: while stopped nothing drains the rings, so the kernel sends no
  // wake-ups (a ring buffer wakes its reader only for the first record it has not read).
  void pause() const;
  void resume() const;
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  const std::string& log_path() const { return log_path_; }
  // Seconds of CPU (user + system) the process has used so far.
  double cpu_seconds() const;
  // What the last start() took until the source was open: wall seconds, and the CPU
  // seconds of saker by then (mostly the kernel verifying the driver, and the /proc scan).
  double start_wall_s() const { return start_wall_s_; }
  double start_cpu_s() const { return start_cpu_s_; }
  ProcMemory memory() const;
  // Ids of the BPF programs / maps the process holds open (from /proc/PID/fdinfo).
  std::vector<std::uint32_t> bpf_ids(const char* key) const;
  // The log line containing `needle` (last one), or "".
  std::string log_line(const std::string& needle) const;

 private:
  std::string log_text() const;
  double start_wall_s_ = 0;
  double start_cpu_s_ = 0;

  std::string binary_;
  std::string log_path_;
  pid_t pid_ = -1;
  std::vector<std::uint32_t> prog_ids_;
};

// Lines of `bpftool prog show` naming a saker program (any process's), or naming `name`.
int bpftool_saker_programs(const char* name = "saker");

}  // namespace saker::bench
