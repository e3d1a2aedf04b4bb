// What the live benchmark measured, and the table it prints (figures, targets, Falco's
// figures from the issue, load average next to each figure).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "saker_child.h"
#include "workloads.h"

namespace saker::bench {

// Named series of samples (one per round); medians are taken at the end.
class Samples {
 public:
  void add(const std::string& key, double v) { series_[key].push_back(v); }
  double last(const std::string& key) const;
  double median(const std::string& key) const;
  double min(const std::string& key) const;
  double max(const std::string& key) const;
  bool has(const std::string& key) const;

 private:
  std::map<std::string, std::vector<double>> series_;
};

struct RateResult {
  bool ran = false;                // the rate phase ran
  double target = 0;               // events/s held (0: even the first probe failed)
  double reached = 0;              // the generator's events/s
  double kernel_events_per_s = 0;  // every event the driver sent (generator + host)
  double seconds = 0;
  std::uint64_t drops = 0;
  double cpu_us_per_event = 0;  // saker utime+stime / events sent
  double load = 0;
  ProcMemory idle, after;
  std::string drop_log;  // last "syscall event drop" line of saker's log
};

struct ProfileRow {
  std::string name;
  double seconds = 0;
  Timing op;                 // per operation of the workload (stats on)
  std::uint64_t runs = 0;    // saker_sys_exit runs (every syscall exit on the host)
  std::uint64_t run_ns = 0;  // their total run time, tail calls included
  std::uint64_t events = 0;  // events sent to the rings
  double saker_cpu_s = 0;
  double load = 0;
};

// Tables of the phases that ran: the rounds' when `s` holds them, the rate's when
// rate.seconds > 0, the profile's when `rows` is not empty; a line saying so for the others.
void print_report(const Samples& s, const RateResult& rate, const std::vector<ProfileRow>& rows,
                  int bpftool_saker_lines);

}  // namespace saker::bench
