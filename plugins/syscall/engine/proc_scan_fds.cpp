// The descriptor part of the /proc scan (see proc_scan_internal.h): /proc/PID/fd links
// classified by their target ("socket:[ino]", "pipe:[ino]", "anon_inode:...", "/memfd:...",
// a path), flags from fdinfo, and sockets resolved through the /proc/net tables.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "proc_scan_internal.h"

namespace saker::syscall::procscan {

using scap::FdEntry;
using scap::FdType;

namespace {

constexpr std::uint8_t kL4Tcp = 2, kL4Udp = 3, kL4Raw = 5;  // scap l4proto codes

// The kernel's O_LARGEFILE, which fdinfo shows on 64-bit systems although the C library
// defines O_LARGEFILE as 0 there.
#if defined(__aarch64__) || defined(__arm__)
constexpr std::uint64_t kKernelOLargefile = 0400000;
#else
constexpr std::uint64_t kKernelOLargefile = 0100000;
#endif

// "0100007F:1F90" (IPv4) or 32 hex digits + ":port" (IPv6). The kernel prints each 32-bit
// word of the address as a native integer, so storing the words natively gives the bytes
// in network order.
bool parse_endpoint(std::string_view s, bool v6, std::array<std::uint8_t, 16>& addr,
                    std::uint16_t& port) {
  const auto colon = s.rfind(':');
  const std::size_t hex_len = v6 ? 32 : 8;
  if (colon != hex_len) return false;
  for (std::size_t w = 0; w < hex_len / 8; ++w) {
    auto word = to_u64(s.substr(w * 8, 8), 16);
    if (!word) return false;
    const auto v = static_cast<std::uint32_t>(*word);
    std::memcpy(addr.data() + w * 4, &v, 4);
  }
  auto p = to_u64(s.substr(colon + 1), 16);
  if (!p || *p > 0xffff) return false;
  port = static_cast<std::uint16_t>(*p);
  return true;
}

bool all_zero(const std::array<std::uint8_t, 16>& a) {
  return std::all_of(a.begin(), a.end(), [](std::uint8_t b) { return b == 0; });
}

// The rows of a /proc/net socket table (after its header line) that have at least
// `min_fields` columns and an inode (never 0 for a live socket) in column `ino_col`:
// fn(fields, inode, line) for each.
template <class Fn>
void for_each_socket_row(const std::string& path, std::size_t limit, std::size_t min_fields,
                         std::size_t ino_col, Fn fn) {
  auto text = read_file(path, limit);
  if (!text) return;
  bool header = true;
  for_each_line(*text, [&](std::string_view line) {
    if (std::exchange(header, false)) return;
    auto f = fields(line);
    if (f.size() < min_fields) return;
    auto ino = to_u64(f[ino_col]);
    if (!ino || *ino == 0) return;
    fn(f, *ino, line);
  });
}

// /proc/net/{tcp,udp,raw}[6]: "sl local remote st queues tr retrnsmt uid timeout inode ...".
void load_inet(const std::string& path, bool v6, std::uint8_t l4proto,
               std::unordered_map<std::uint64_t, FdEntry>& out) {
  for_each_socket_row(path, 64u << 20, 10, 9, [&](const auto& f, std::uint64_t ino, auto) {
    FdEntry e;
    if (!parse_endpoint(f[1], v6, e.sip, e.sport) || !parse_endpoint(f[2], v6, e.dip, e.dport))
      return;
    e.ino = ino;
    e.l4proto = l4proto;
    const bool server = all_zero(e.dip);
    if (server) {
      e.type = v6 ? FdType::kIpv6ServSock : FdType::kIpv4ServSock;
      e.dip = {};
      e.dport = 0;
    } else {
      e.type = v6 ? FdType::kIpv6Sock : FdType::kIpv4Sock;
    }
    out.emplace(e.ino, e);
  });
}

// /proc/net/unix: "Num RefCount Protocol Flags Type St Inode [Path]".
void load_unix(const std::string& path, std::unordered_map<std::uint64_t, FdEntry>& out) {
  for_each_socket_row(path, 64u << 20, 7, 6,
                      [&](const auto& f, std::uint64_t ino, std::string_view line) {
    FdEntry e;
    e.type = FdType::kUnixSock;
    e.ino = ino;
    std::string_view num = f[0];
    if (!num.empty() && num.back() == ':') num.remove_suffix(1);
    e.unix_src = to_u64(num, 16).value_or(0);
    // The path is the rest of the line: it may hold spaces.
    if (f.size() > 7) e.name = std::string(line.substr(f[7].data() - line.data()));
    out.emplace(e.ino, std::move(e));
  });
}

// /proc/net/netlink: "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode".
void load_netlink(const std::string& path, std::unordered_map<std::uint64_t, FdEntry>& out) {
  for_each_socket_row(path, 16u << 20, 10, 9, [&](const auto&, std::uint64_t ino, auto) {
    FdEntry e;
    e.type = FdType::kNetlink;
    e.ino = ino;
    out.emplace(e.ino, std::move(e));
  });
}

struct AnonKind {
  std::string_view link;
  FdType type;
};
constexpr AnonKind kAnonKinds[] = {
    {"anon_inode:[eventfd]", FdType::kEvent},
    {"anon_inode:[signalfd]", FdType::kSignalfd},
    {"anon_inode:[eventpoll]", FdType::kEventpoll},
    {"anon_inode:inotify", FdType::kInotify},
    {"anon_inode:[timerfd]", FdType::kTimerfd},
    {"anon_inode:[io_uring]", FdType::kIoUring},
    {"anon_inode:[userfaultfd]", FdType::kUserfaultfd},
    {"anon_inode:[pidfd]", FdType::kPidfd},
};

// Anonymous inodes are told apart by their link text; libscap gives them no name.
FdType anon_type(std::string_view link) {
  for (const auto& k : kAnonKinds) {
    if (link == k.link) return k.type;
  }
  // bpf objects: "anon_inode:bpf-map", "anon_inode:bpf-prog", "anon_inode:bpf_link", ...
  std::string_view rest = link.substr(std::strlen("anon_inode:"));
  if (!rest.empty() && rest.front() == '[') rest.remove_prefix(1);
  if (rest.starts_with("bpf")) return FdType::kBpf;
  return FdType::kUnsupported;
}

// "flags:\t0100002" of /proc/PID/fdinfo/N (octal kernel flags).
std::uint32_t fdinfo_flags(const std::string& path) {
  auto text = read_file(path, 4096);
  std::uint32_t out = 0;
  if (!text) return out;
  for_each_line(*text, [&](std::string_view line) {
    if (!line.starts_with("flags:")) return;
    auto f = fields(line.substr(6));
    if (auto v = f.empty() ? std::nullopt : to_u64(f[0], 8)) out = scap_open_flags(*v);
  });
  return out;
}

// The kernel's 32-bit device encoding, which drivers put in events.
std::uint32_t kernel_dev(dev_t d) {
  const auto ma = static_cast<std::uint32_t>(major(d)), mi = static_cast<std::uint32_t>(minor(d));
  return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

// Fills `e` from the link target and stat of one descriptor; false to skip it.
bool classify(SocketTables& sockets, const std::string& proc_dir, const std::string& fd_path,
              const std::string& link, FdEntry& e, ProcScanStats& stats) {
  std::uint64_t ino = 0;
  if (link.starts_with("socket:[")) {
    ino = to_u64(std::string_view(link).substr(8, link.size() - 9)).value_or(0);
    const FdEntry* s = sockets.find(proc_dir, ino);
    if (!s) {
      stats.sockets_unresolved++;
      return false;
    }
    const std::int64_t fd = e.fd;
    e = *s;
    e.fd = fd;
    return true;
  }
  if (link.starts_with("pipe:[")) {
    e.type = FdType::kFifo;
    e.name = link;
    e.ino = to_u64(std::string_view(link).substr(6, link.size() - 7)).value_or(0);
    return true;
  }
  struct stat st {};
  const bool have_stat = ::stat(fd_path.c_str(), &st) == 0;
  e.ino = have_stat ? st.st_ino : 0;
  if (link.starts_with("anon_inode:")) {
    e.type = anon_type(link);
    return true;
  }
  e.name = link;
  if (link.starts_with("/memfd:")) {  // libscap keeps the link text: "/memfd:NAME (deleted)"
    e.type = FdType::kMemfd;
    return true;
  }
  if (!have_stat) return false;
  if (S_ISFIFO(st.st_mode)) {
    e.type = FdType::kFifo;
  } else if (S_ISDIR(st.st_mode)) {
    e.type = FdType::kDirectory;
  } else if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode) ||
             S_ISLNK(st.st_mode)) {
    e.type = FdType::kFileV2;
    e.dev = kernel_dev(st.st_dev);
    const auto slash = fd_path.rfind('/');
    e.open_flags = fdinfo_flags(proc_dir + "fdinfo/" + fd_path.substr(slash + 1));
  } else {
    e.type = FdType::kUnsupported;
    e.name.clear();
  }
  return true;
}

}  // namespace

std::uint32_t scap_open_flags(std::uint64_t k) {
  std::uint32_t r = 0;
  switch (k & O_ACCMODE) {
    case O_WRONLY:
      r |= 1u << 1;
      break;
    case O_RDWR:
      r |= 3;
      break;
    default:
      r |= 1u << 0;
      break;
  }
  struct Bit {
    std::uint64_t kernel;
    std::uint32_t scap;
  };
  // Multi-bit kernel flags (O_SYNC includes O_DSYNC, O_TMPFILE includes O_DIRECTORY) match
  // only when all their bits are set.
  constexpr Bit kBits[] = {{O_CREAT, 1u << 2},      {O_APPEND, 1u << 3},
                           {O_DSYNC, 1u << 4},      {O_EXCL, 1u << 5},
                           {O_NONBLOCK, 1u << 6},   {O_SYNC, 1u << 7},
                           {O_TRUNC, 1u << 8},      {O_DIRECT, 1u << 9},
                           {O_DIRECTORY, 1u << 10}, {kKernelOLargefile, 1u << 11},
                           {O_CLOEXEC, 1u << 12},   {O_TMPFILE, 1u << 13}};
  for (const auto& b : kBits) {
    if (b.kernel != 0 && (k & b.kernel) == b.kernel) r |= b.scap;
  }
  return r;
}

const FdEntry* SocketTables::find(const std::string& proc_dir, std::uint64_t ino) {
  // The namespace is looked up once per process (its sockets come one after the other).
  if (proc_dir != last_dir_ || !last_table_) {
    // Without a readable ns/net link the host's tables are the best guess.
    std::string ns = read_link(proc_dir + "ns/net").value_or("");
    auto it = by_netns_.find(ns);
    if (it == by_netns_.end()) {
      const std::string net_dir = ns.empty() ? proc_root_ + "/net/" : proc_dir + "net/";
      it = by_netns_.emplace(ns, load(net_dir)).first;
    }
    last_dir_ = proc_dir;
    last_table_ = &it->second;
  }
  auto s = last_table_->find(ino);
  return s == last_table_->end() ? nullptr : &s->second;
}

SocketTables::Table SocketTables::load(const std::string& net_dir) const {
  Table t;
  load_inet(net_dir + "tcp", false, kL4Tcp, t);
  load_inet(net_dir + "udp", false, kL4Udp, t);
  load_inet(net_dir + "raw", false, kL4Raw, t);
  load_inet(net_dir + "tcp6", true, kL4Tcp, t);
  load_inet(net_dir + "udp6", true, kL4Udp, t);
  load_inet(net_dir + "raw6", true, kL4Raw, t);
  load_unix(net_dir + "unix", t);
  load_netlink(net_dir + "netlink", t);
  return t;
}

void scan_fds(const ProcScanOptions& opts, SocketTables& sockets, const std::string& proc_dir,
              std::vector<FdEntry>& out, ProcScanStats& stats) {
  const std::string fd_dir = proc_dir + "fd/";
  DIR* d = ::opendir(fd_dir.c_str());
  if (!d) return;
  std::size_t added = 0;
  while (const dirent* de = ::readdir(d)) {
    auto fd = to_u64(de->d_name);
    if (!fd) continue;
    if (added >= opts.max_fds_per_process) {
      stats.fds_dropped++;
      continue;
    }
    const std::string fd_path = fd_dir + de->d_name;
    auto link = read_link(fd_path);
    if (!link) continue;  // closed meanwhile
    FdEntry e;
    e.fd = static_cast<std::int64_t>(*fd);
    if (!classify(sockets, proc_dir, fd_path, *link, e, stats)) continue;
    out.push_back(std::move(e));
    ++added;
  }
  ::closedir(d);
  stats.fds += added;
}

}  // namespace saker::syscall::procscan
