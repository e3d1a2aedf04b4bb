// The machine-wide part of the /proc scan (see proc_scan.h): machine info, network
// interfaces, and users and groups parsed from passwd/group files (not getpwent(), so that
// the result depends on the files alone, not on the NSS configuration of the scanner).
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstring>

#include "proc_scan.h"
#include "proc_scan_internal.h"

namespace saker::syscall {

using namespace procscan;

scap::MachineInfo scan_machine(const ProcScanOptions& opts) {
  scap::MachineInfo m;
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  m.num_cpus = cpus > 0 ? static_cast<std::uint32_t>(cpus) : 0;
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages > 0 && page > 0) {
    m.memory_size_bytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  }
  if (auto t = read_file(opts.proc_root + "/sys/kernel/pid_max", 64)) {
    auto f = fields(t->substr(0, t->find('\n')));
    if (!f.empty()) m.max_pid = to_u64(f[0]).value_or(0);
  }
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) == 0) m.hostname = host;
  // Boot time as libscap takes it: "btime" (seconds) of /proc/stat, which does not drift
  // with the current time the way CLOCK_REALTIME - CLOCK_BOOTTIME does.
  if (auto t = read_file(opts.proc_root + "/stat")) {
    for_each_line(*t, [&](std::string_view line) {
      auto f = fields(line);
      if (f.size() == 2 && f[0] == "btime")
        m.boot_ts_epoch = to_u64(f[1]).value_or(0) * 1'000'000'000u;
    });
  }
  return m;
}

namespace {

void copy_addr(const sockaddr* sa, std::array<std::uint8_t, 16>& out) {
  if (!sa) return;
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    std::memcpy(out.data(), &in->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(sa);
    std::memcpy(out.data(), &in6->sin6_addr, 16);
  }
}

}  // namespace

std::vector<scap::InterfaceEntry> scan_interfaces() {
  std::vector<scap::InterfaceEntry> out;
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return out;
  for (const ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr) continue;
    const int fam = i->ifa_addr->sa_family;
    if (fam != AF_INET && fam != AF_INET6) continue;
    scap::InterfaceEntry e;
    e.family = fam == AF_INET ? 2 : 10;
    e.name = i->ifa_name ? i->ifa_name : "";
    copy_addr(i->ifa_addr, e.addr);
    copy_addr(i->ifa_netmask, e.netmask);
    if (fam == AF_INET && (i->ifa_flags & IFF_BROADCAST)) copy_addr(i->ifa_broadaddr, e.bcast);
    out.push_back(std::move(e));
  }
  ::freeifaddrs(list);
  return out;
}

namespace {

// "a:b:c" into its ':'-separated parts (empty ones kept).
std::vector<std::string_view> colon_fields(std::string_view line) {
  std::vector<std::string_view> out;
  while (true) {
    const auto c = line.find(':');
    out.push_back(line.substr(0, c));
    if (c == std::string_view::npos) return out;
    line.remove_prefix(c + 1);
  }
}

}  // namespace

void read_users_and_groups(const std::string& etc_root, std::vector<scap::UserEntry>& users,
                           std::vector<scap::GroupEntry>& groups) {
  // passwd: name:password:uid:gid:gecos:home:shell
  if (auto t = read_file(etc_root + "/passwd", 16u << 20)) {
    for_each_line(*t, [&](std::string_view line) {
      if (line.empty() || line.front() == '#') return;
      auto f = colon_fields(line);
      if (f.size() < 7) return;
      auto uid = to_u64(f[2]), gid = to_u64(f[3]);
      if (!uid || !gid || *uid > UINT32_MAX || *gid > UINT32_MAX) return;
      users.push_back({static_cast<std::uint32_t>(*uid), static_cast<std::uint32_t>(*gid),
                       std::string(f[0]), std::string(f[5]), std::string(f[6])});
    });
  }
  // group: name:password:gid:members
  if (auto t = read_file(etc_root + "/group", 16u << 20)) {
    for_each_line(*t, [&](std::string_view line) {
      if (line.empty() || line.front() == '#') return;
      auto f = colon_fields(line);
      if (f.size() < 3) return;
      auto gid = to_u64(f[2]);
      if (!gid || *gid > UINT32_MAX) return;
      groups.push_back({static_cast<std::uint32_t>(*gid), std::string(f[0])});
    });
  }
}

}  // namespace saker::syscall
