// Reads, from outside, what a running saker's eBPF driver counts in the kernel:
//  * the driver's "counters" map (driver_shared.h: events written to the rings and drops
//    per category, one entry per CPU), found among the maps the process holds open;
//  * per-program run statistics (run_cnt, run_time_ns) of its programs, which the kernel
//    keeps while run-time statistics are enabled (BpfStatsScope holds a BPF_ENABLE_STATS
//    descriptor: on for its lifetime, then back to what kernel.bpf_stats_enabled says,
//    even if the benchmark dies). A tail-called program's time is included in
//    the program that was attached (saker_sys_exit), so that one gives the whole cost of a
//    syscall exit.
// Nothing here writes to saker's maps. Needs root (CAP_SYS_ADMIN) like saker itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace saker::bench {

struct KernelCounters {
  std::uint64_t events = 0;
  std::uint64_t drops = 0;  // every category
  bool found = false;       // the counters map was found
};

struct ProgStats {
  std::string name;
  std::uint64_t run_cnt = 0;
  std::uint64_t run_time_ns = 0;
};

// `map_ids` / `prog_ids`: SakerChild::bpf_ids("map_id") / ("prog_id").
KernelCounters read_kernel_counters(const std::vector<std::uint32_t>& map_ids);
std::vector<ProgStats> read_prog_stats(const std::vector<std::uint32_t>& prog_ids);
// The stats of the program called `name` in `all` (zeros when absent).
ProgStats find_prog(const std::vector<ProgStats>& all, const std::string& name);

class BpfStatsScope {
 public:
  BpfStatsScope();
  ~BpfStatsScope();
  BpfStatsScope(const BpfStatsScope&) = delete;
  BpfStatsScope& operator=(const BpfStatsScope&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace saker::bench
