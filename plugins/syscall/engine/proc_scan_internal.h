// Pieces of the /proc scan (proc_scan.h) shared by its source files: reading procfs text,
// the per-network-namespace socket tables, the descriptor scan and the cgroup resolver.
// Internal to the scan; one instance of each per scan, used from one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "capture_types.h"
#include "proc_scan.h"

namespace saker::syscall::procscan {

// ---- procfs text (proc_scan_text.cpp) ----

// Up to `max` bytes of a file; nullopt when it cannot be opened or read (gone, no access).
std::optional<std::string> read_file(const std::string& path, std::size_t max = 1u << 20);
// A symlink's target; nullopt when it cannot be read.
std::optional<std::string> read_link(const std::string& path);
// Whitespace-separated fields of a line (views into it).
std::vector<std::string_view> fields(std::string_view line);
// An unsigned number in `base`, the whole of s; nullopt otherwise.
std::optional<std::uint64_t> to_u64(std::string_view s, int base = 10);
// Calls fn(line) for each line of text (without the '\n').
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const auto nl = text.find('\n');
    fn(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}
// "st_ctim" of a path in ns since the epoch (0 when it cannot be stat'ed).
std::uint64_t ctime_ns(const std::string& path);

// ---- sockets (proc_scan_fds.cpp) ----

// Sockets by inode, from the /proc/net tables of each network namespace met.
class SocketTables {
 public:
  explicit SocketTables(std::string proc_root) : proc_root_(std::move(proc_root)) {}
  // The socket `ino` as seen by the process whose directory is `proc_dir` ("<root>/PID/").
  const scap::FdEntry* find(const std::string& proc_dir, std::uint64_t ino);

 private:
  using Table = std::unordered_map<std::uint64_t, scap::FdEntry>;
  Table load(const std::string& net_dir) const;
  std::string proc_root_;
  std::unordered_map<std::string, Table> by_netns_;  // key: the ns/net link text
  std::string last_dir_;                             // the process last asked about
  const Table* last_table_ = nullptr;                // and its namespace's table
};

// Appends the descriptors of the process whose directory is `proc_dir` ("<root>/PID/").
void scan_fds(const ProcScanOptions& opts, SocketTables& sockets, const std::string& proc_dir,
              std::vector<scap::FdEntry>& out, ProcScanStats& stats);

// scap (PPM_O_*) open flags of kernel O_* flags, as the drivers translate them.
std::uint32_t scap_open_flags(std::uint64_t kernel_flags);

// ---- cgroups (proc_scan_cgroups.cpp) ----

// Turns /proc/PID/cgroup into the "subsys=path" NUL list of the capture format: one entry
// per v1 controller, and for the v2 hierarchy one per controller, each with the nearest
// ancestor cgroup where that controller is enabled (as libscap does).
class CgroupResolver {
 public:
  explicit CgroupResolver(const std::string& proc_root);
  std::string resolve(std::string_view proc_cgroup_file);

 private:
  const std::vector<std::string>* controllers(const std::string& cgroup);
  void resolve_v2(std::string_view path, std::string& out);
  std::string v2_mount_;             // where the v2 hierarchy is reachable; empty when none
  std::vector<std::string> v2_all_;  // controllers of the v2 root
  std::unordered_map<std::string, std::vector<std::string>> cache_;
};

}  // namespace saker::syscall::procscan
