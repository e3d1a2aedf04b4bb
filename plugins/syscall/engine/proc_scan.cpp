// The process-table part of the /proc scan (see proc_scan.h): one entry per thread, read
// from <proc>/PID/ for a main thread and <proc>/PID/task/TID/ for the others, as libscap
// reads them. Descriptors, sockets and cgroups: proc_scan_fds.cpp, proc_scan_cgroups.cpp;
// machine, interfaces, users: proc_scan_host.cpp.
#include "proc_scan.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <unordered_map>

#include "interrupt.h"
#include "proc_scan_internal.h"

namespace saker::syscall {

using namespace procscan;
using scap::ProcessEntry;

namespace {

// libscap's bounds on the command line and environment it keeps (SCAP_MAX_ARGS_SIZE,
// SCAP_MAX_ENV_SIZE).
constexpr std::size_t kMaxArgsBytes = 4096, kMaxEnvBytes = 4096;
constexpr std::uint32_t kCloneFiles = 1u << 0, kCloneThread = 1u << 13;  // PPM_CL_*
constexpr std::string_view kDeleted = " (deleted)";

std::optional<std::uint64_t> last_number(std::string_view rest, int base = 10) {
  auto f = fields(rest);
  return f.empty() ? std::nullopt : to_u64(f.back(), base);
}

std::optional<std::uint64_t> nth_number(std::string_view rest, std::size_t n) {
  auto f = fields(rest);
  return f.size() <= n ? std::nullopt : to_u64(f[n]);
}

// /proc/PID/status: ids, effective credentials, namespaced ids, capabilities, memory.
void apply_status(std::string_view text, ProcessEntry& p) {
  for_each_line(text, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) return;
    const std::string_view key = line.substr(0, colon), rest = line.substr(colon + 1);
    auto set = [&](auto& dst, std::optional<std::uint64_t> v) {
      if (v) dst = static_cast<std::remove_reference_t<decltype(dst)>>(*v);
    };
    if (key == "Tgid")
      set(p.pid, nth_number(rest, 0));
    else if (key == "PPid")
      set(p.ptid, nth_number(rest, 0));
    else if (key == "Uid")
      set(p.uid, nth_number(rest, 1));
    else if (key == "Gid")
      set(p.gid, nth_number(rest, 1));
    else if (key == "NSpid")
      set(p.vtid, last_number(rest));
    else if (key == "NStgid")
      set(p.vpid, last_number(rest));
    else if (key == "NSpgid")
      set(p.vpgid, last_number(rest));
    else if (key == "CapInh")
      set(p.cap_inheritable, last_number(rest, 16));
    else if (key == "CapPrm")
      set(p.cap_permitted, last_number(rest, 16));
    else if (key == "CapEff")
      set(p.cap_effective, last_number(rest, 16));
    else if (key == "VmSize")
      set(p.vmsize_kb, nth_number(rest, 0));
    else if (key == "VmRSS")
      set(p.vmrss_kb, nth_number(rest, 0));
    else if (key == "VmSwap")
      set(p.vmswap_kb, nth_number(rest, 0));
  });
}

// /proc/PID/stat after the "(comm)" field: state ppid pgrp session tty_nr tpgid flags
// minflt cminflt majflt ... The comm may hold ')' itself, hence the last one.
bool apply_stat(std::string_view text, ProcessEntry& p, std::int64_t& pgid) {
  const auto close = text.rfind(')');
  if (close == std::string_view::npos) return false;
  auto f = fields(text.substr(close + 1));
  if (f.size() < 10) return false;
  auto num = [&](std::size_t i) { return to_u64(f[i]).value_or(0); };
  pgid = static_cast<std::int64_t>(num(2));
  p.sid = static_cast<std::int64_t>(num(3));
  p.tty = static_cast<std::uint32_t>(num(4));
  p.pfminor = num(7);
  p.pfmajor = num(9);
  return true;
}

// "Max open files  <soft>  <hard>  files" of /proc/PID/limits ("unlimited": all ones).
std::uint64_t open_files_limit(const std::string& dir) {
  std::uint64_t out = UINT64_MAX;  // what libscap records when it cannot tell
  if (auto t = read_file(dir + "limits")) {
    for_each_line(*t, [&](std::string_view line) {
      constexpr std::string_view kKey = "Max open files";
      if (!line.starts_with(kKey)) return;
      auto f = fields(line.substr(kKey.size()));
      if (!f.empty()) out = f[0] == "unlimited" ? UINT64_MAX : to_u64(f[0]).value_or(UINT64_MAX);
    });
  }
  return out;
}

// A NUL list as the capture keeps it: every element NUL-terminated, at most `max` bytes
// read (the last element is then cut, as libscap cuts it).
std::string nul_list(const std::string& path, std::size_t max) {
  std::string s = read_file(path, max).value_or("");
  if (!s.empty() && s.back() != '\0') s += '\0';
  return s;
}

void apply_cmdline(std::string cmdline, ProcessEntry& p) {
  if (cmdline.empty()) return;
  const auto nul = cmdline.find('\0');  // nul_list() guarantees one
  p.exe = cmdline.substr(0, nul);
  p.args = cmdline.substr(nul + 1);
}

// Who can write the executable, as libscap decides it: its owner, root on a writable
// file system, or the group/other write bits (supplementary groups are not considered).
bool writable_by(const struct stat& st, std::uint32_t uid, std::uint32_t gid,
                 const std::string& exe_link) {
  if (st.st_uid == uid) return true;
  if (uid == 0) {
    struct statvfs v {};
    return ::statvfs(exe_link.c_str(), &v) == 0 && !(v.f_flag & ST_RDONLY);
  }
  if (st.st_gid == gid && (st.st_mode & S_IWGRP)) return true;
  return (st.st_mode & S_IWOTH) != 0;
}

// exepath, exe_from_memfd and the executable's inode. The inode is taken through the exe
// link itself, which reaches the file even when it was deleted or lives in another mount
// namespace (libscap stats the path, which misses both).
// Returns the executable's device (0 when it could not be reached).
dev_t apply_exe(const std::string& dir, std::string link, ProcessEntry& p) {
  if (link.ends_with(kDeleted)) link.resize(link.size() - kDeleted.size());
  p.exe_from_memfd = link.starts_with("/memfd:");
  p.exepath = std::move(link);
  struct stat st {};
  if (::stat((dir + "exe").c_str(), &st) != 0) return 0;
  p.exe_ino = st.st_ino;
  p.exe_ino_ctime = static_cast<std::uint64_t>(st.st_ctim.tv_sec) * 1'000'000'000u +
                    static_cast<std::uint64_t>(st.st_ctim.tv_nsec);
  p.exe_ino_mtime = static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000u +
                    static_cast<std::uint64_t>(st.st_mtim.tv_nsec);
  p.exe_writable = writable_by(st, p.uid, p.gid, dir + "exe");
  return st.st_dev;
}

// mountinfo's octal escapes (\040 for a space, \011, \012, \134).
std::string unescape_mount(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() &&
        s[i + 1] >= '0' && s[i + 1] <= '7' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
        s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Whether an executable on overlayfs lies in the mount's upper (writable) layer, as the
// driver's EXE_UPPER_LAYER tells for processes started later. The overlay mounts of each
// mount namespace are read once from a process's mountinfo (device -> mount point, root
// and upperdir); the file is upper when its path, relative to the overlay's root, exists in
// upperdir (and is no whiteout). Only executables on overlayfs pay for it (one statfs each,
// then a lookup). Misses (false): layers on different filesystems without xino (the file's
// device is then the layer's, not the overlay's), an upperdir this process cannot reach.
class OverlayLayers {
 public:
  bool upper(const std::string& dir, dev_t dev, const std::string& exepath) {
    struct statfs fs {};
    constexpr long kOverlayMagic = 0x794c7630;
    if (exepath.empty() || exepath[0] != '/' || ::statfs((dir + "exe").c_str(), &fs) != 0 ||
        fs.f_type != kOverlayMagic)
      return false;
    auto ns = read_link(dir + "ns/mnt");
    if (!ns) return false;
    auto it = by_ns_.find(*ns);
    if (it == by_ns_.end()) it = by_ns_.emplace(*ns, read_mounts(dir)).first;
    auto m = it->second.find(dev);
    if (m == it->second.end()) return false;
    const Mount& mnt = m->second;
    std::string rel = exepath;
    if (mnt.point != "/") {
      if (!exepath.starts_with(mnt.point + "/")) return false;
      rel = exepath.substr(mnt.point.size());
    }
    if (mnt.root != "/") rel = mnt.root + rel;
    struct stat st {};
    if (::lstat((mnt.upperdir + rel).c_str(), &st) != 0) return false;
    return !(S_ISCHR(st.st_mode) && st.st_rdev == 0);  // a whiteout hides the lower file
  }

 private:
  struct Mount {
    std::string point, root, upperdir;
  };
  using Mounts = std::unordered_map<dev_t, Mount>;

  static Mounts read_mounts(const std::string& dir) {
    Mounts out;
    auto text = read_file(dir + "mountinfo", 8u << 20);
    if (!text) return out;
    for_each_line(*text, [&](std::string_view line) {
      auto f = fields(line);
      std::size_t sep = 6;
      while (sep < f.size() && f[sep] != "-") ++sep;
      if (sep + 3 >= f.size() || f[sep + 1] != "overlay") return;
      std::string_view opts = f[sep + 3];
      std::string upper;
      while (!opts.empty()) {
        const auto comma = opts.find(',');
        std::string_view o = opts.substr(0, comma);
        if (o.starts_with("upperdir=")) upper = unescape_mount(o.substr(9));
        if (comma == std::string_view::npos) break;
        opts.remove_prefix(comma + 1);
      }
      const auto colon = f[2].find(':');
      if (upper.empty() || colon == std::string_view::npos) return;
      auto major = to_u64(f[2].substr(0, colon)), minor = to_u64(f[2].substr(colon + 1));
      if (!major || !minor) return;
      out.emplace(makedev(*major, *minor),
                  Mount{unescape_mount(f[4]), unescape_mount(f[3]), std::move(upper)});
    });
    return out;
  }

  std::unordered_map<std::string, Mounts> by_ns_;
};

class Scanner {
 public:
  Scanner(const ProcScanOptions& opts, ProcScanStats& stats)
      : opts_(opts), stats_(stats), sockets_(opts.proc_root), cgroups_(opts.proc_root) {}

  // The entry of the thread whose directory is `dir`; nullopt when it vanished or is a
  // kernel thread (both counted).
  std::optional<ProcessEntry> read_entry(const std::string& dir, std::uint64_t tid, bool with_fds);
  void scan_all(std::vector<ProcessEntry>& out);

 private:
  bool should_stop(const std::vector<ProcessEntry>& out) {
    if ((opts_.stop && opts_.stop->load(std::memory_order_relaxed)) || interrupt_requested()) {
      stats_.interrupted = true;
      return true;
    }
    if (out.size() >= opts_.max_threads) {
      stats_.threads_truncated = true;
      return true;
    }
    return false;
  }
  void scan_tasks(const std::string& dir, std::uint64_t pid, std::vector<ProcessEntry>& out);

  const ProcScanOptions& opts_;
  ProcScanStats& stats_;
  SocketTables sockets_;
  CgroupResolver cgroups_;
  OverlayLayers overlays_;
};

std::optional<ProcessEntry> Scanner::read_entry(const std::string& dir, std::uint64_t tid,
                                                bool with_fds) {
  auto cmdline = read_file(dir + "cmdline", kMaxArgsBytes);
  auto exe_link = read_link(dir + "exe");
  auto status = read_file(dir + "status");
  auto stat = read_file(dir + "stat");
  if (!cmdline || !status || !stat) {
    stats_.vanished++;
    return std::nullopt;
  }
  if (cmdline->empty() && !exe_link) {
    stats_.kernel_threads++;  // or a zombie: libscap skips both
    return std::nullopt;
  }
  ProcessEntry p;
  p.tid = p.pid = tid;
  apply_status(*status, p);
  std::int64_t pgid = -1;
  if (!apply_stat(*stat, p, pgid)) {
    stats_.vanished++;
    return std::nullopt;
  }
  if (p.vpgid < 0) p.vpgid = pgid;  // kernels without NSpgid
  if (p.vtid < 0) p.vtid = static_cast<std::int64_t>(p.tid);
  if (p.vpid < 0) p.vpid = static_cast<std::int64_t>(p.pid);
  p.comm = read_file(dir + "comm", 64).value_or("");
  if (!p.comm.empty() && p.comm.back() == '\n') p.comm.pop_back();
  if (!cmdline->empty() && cmdline->back() != '\0') *cmdline += '\0';
  apply_cmdline(std::move(*cmdline), p);
  if (opts_.include_env) p.env = nul_list(dir + "environ", kMaxEnvBytes);
  p.cwd = read_link(dir + "cwd").value_or("");
  p.root = read_link(dir + "root").value_or("");
  p.fdlimit = open_files_limit(dir);
  if (auto l = read_file(dir + "loginuid", 32)) {
    auto f = fields(l->substr(0, l->find('\n')));
    if (!f.empty()) p.loginuid = static_cast<std::uint32_t>(to_u64(f[0]).value_or(UINT32_MAX));
  }
  p.cgroups = cgroups_.resolve(read_file(dir + "cgroup").value_or(""));
  // Start of the pid namespace's init, as libscap takes it (host processes: host init).
  p.pidns_init_start_ts = ctime_ns(dir + "root/proc/1/cmdline");
  if (exe_link) {
    const dev_t dev = apply_exe(dir, std::move(*exe_link), p);
    if (dev) p.exe_upper_layer = overlays_.upper(dir, dev, p.exepath);
  }
  // Threads share their process's descriptors (libscap assumes CLONE_FILES the same way).
  if (p.tid != p.pid) p.flags = kCloneThread | kCloneFiles;
  if (with_fds && opts_.include_fds && p.tid == p.pid)
    scan_fds(opts_, sockets_, dir, p.fds, stats_);
  return p;
}

void Scanner::scan_tasks(const std::string& dir, std::uint64_t pid,
                         std::vector<ProcessEntry>& out) {
  DIR* d = ::opendir((dir + "task").c_str());
  if (!d) return;
  while (const dirent* de = ::readdir(d)) {
    auto tid = to_u64(de->d_name);
    if (!tid || *tid == pid) continue;
    if (should_stop(out)) break;
    auto e = read_entry(dir + "task/" + de->d_name + "/", *tid, false);
    if (e) out.push_back(std::move(*e));
  }
  ::closedir(d);
}

void Scanner::scan_all(std::vector<ProcessEntry>& out) {
  DIR* d = ::opendir(opts_.proc_root.c_str());
  if (!d) return;
  while (const dirent* de = ::readdir(d)) {
    auto pid = to_u64(de->d_name);
    if (!pid) continue;
    if (should_stop(out)) break;
    const std::string dir = opts_.proc_root + "/" + de->d_name + "/";
    auto e = read_entry(dir, *pid, true);
    // A thread's directory met as a process (its pid reused meanwhile): not a main thread.
    if (!e || e->pid != *pid) continue;
    out.push_back(std::move(*e));
    scan_tasks(dir, *pid, out);
  }
  ::closedir(d);
}

}  // namespace

scap::CaptureTables scan_host(const ProcScanOptions& opts, ProcScanStats* stats) {
  const auto start = std::chrono::steady_clock::now();
  ProcScanStats local;
  ProcScanStats& st = stats ? *stats : local;
  st = {};
  scap::CaptureTables t;
  t.machine = scan_machine(opts);
  if (opts.include_interfaces) t.interfaces = scan_interfaces();
  read_users_and_groups(opts.etc_root, t.users, t.groups);
  Scanner(opts, st).scan_all(t.processes);
  st.threads = t.processes.size();
  st.elapsed = std::chrono::steady_clock::now() - start;
  return t;
}

std::optional<ProcessEntry> scan_thread(const ProcScanOptions& opts, std::int64_t tid,
                                        ProcScanStats* stats) {
  ProcScanStats local;
  ProcScanStats& st = stats ? *stats : local;
  if (tid <= 0) return std::nullopt;
  const std::string tid_s = std::to_string(tid);
  // /proc/TID exists for every thread, but the per-thread view is under its process's task/.
  ProcessEntry ids;
  apply_status(read_file(opts.proc_root + "/" + tid_s + "/status").value_or(""), ids);
  const std::uint64_t pid = ids.pid ? ids.pid : static_cast<std::uint64_t>(tid);
  const bool main = pid == static_cast<std::uint64_t>(tid);
  const std::string dir = opts.proc_root + "/" + std::to_string(pid) + "/" +
                          (main ? std::string() : "task/" + tid_s + "/");
  auto e = Scanner(opts, st).read_entry(dir, static_cast<std::uint64_t>(tid), main);
  if (e) st.threads++;
  return e;
}

}  // namespace saker::syscall
