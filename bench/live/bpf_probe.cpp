// Reading saker's driver counters and program statistics (see bpf_probe.h).
#include "bpf_probe.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "driver_shared.h"

namespace saker::bench {

KernelCounters read_kernel_counters(const std::vector<std::uint32_t>& map_ids) {
  KernelCounters k;
  for (auto id : map_ids) {
    int fd = bpf_map_get_fd_by_id(id);
    if (fd < 0) continue;
    bpf_map_info info{};
    __u32 len = sizeof(info);
    const bool is_counters = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
                             std::strcmp(info.name, "counters") == 0 &&
                             info.value_size == sizeof(saker_counters);
    for (std::uint32_t cpu = 0; is_counters && cpu < info.max_entries; ++cpu) {
      saker_counters v{};
      if (bpf_map_lookup_elem(fd, &cpu, &v) != 0) continue;
      k.events += v.events;
      for (auto d : v.drops) k.drops += d;
    }
    close(fd);
    if (is_counters) {
      k.found = true;
      break;
    }
  }
  return k;
}

std::vector<ProgStats> read_prog_stats(const std::vector<std::uint32_t>& prog_ids) {
  std::vector<ProgStats> out;
  for (auto id : prog_ids) {
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) continue;
    bpf_prog_info info{};
    __u32 len = sizeof(info);
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
      out.push_back({info.name, info.run_cnt, info.run_time_ns});
    }
    close(fd);
  }
  return out;
}

ProgStats find_prog(const std::vector<ProgStats>& all, const std::string& name) {
  for (const auto& p : all) {
    if (p.name == name) return p;
  }
  return {name, 0, 0};
}

BpfStatsScope::BpfStatsScope() : fd_(bpf_enable_stats(BPF_STATS_RUN_TIME)) {}

BpfStatsScope::~BpfStatsScope() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace saker::bench
