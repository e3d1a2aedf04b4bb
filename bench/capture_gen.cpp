// capture_gen: writes a large .scap capture with the shape of a busy host, for the
// whole-process replay benchmark (bench/replay_whole_process.sh) and the bounded-memory
// check on multi-GB captures.
//
// The simulated host: a few hundred processes (1-8 threads each, several thousand fds in
// all: files under many directories, sockets, pipes) seeded in the capture's process and fd
// lists, then events in the CURRENT schema (exit events carrying the enter parameters, no
// separate enter events, as current drivers write them) with the mix of a live host: mostly
// read/write/openat/close/fstat/newfstatat/mmap/futex/epoll_wait..., some socket/connect/
// accept4/sendto/recvfrom, and process churn (clone of threads and processes with the child
// event, execve, procexit). The state stays consistent: fds are closed after being opened,
// threads exit after being created, I/O goes to open fds. Every parameter is encoded from the
// event table (scap/event_table.cpp), so the events are what the reader validates.
//
// Usage: capture_gen OUT.scap [events=650000] [gzip|plain] [seed=1] [max_bytes=0]
//   max_bytes > 0: keep writing until the file holds that many (uncompressed) bytes.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "capture_writer.h"
#include "event_table.h"
#include "event_view.h"

namespace scap = saker::syscall::scap;
using scap::ParamType;

namespace {

// One parameter value given by name; parameters not given get a zero / empty value.
struct Value {
  const char* name;
  std::int64_t num = 0;
  std::string_view bytes{};
  bool is_bytes = false;
};
Value num(const char* n, std::int64_t v) { return {n, v}; }
Value str(const char* n, std::string_view s) { return {n, 0, s, true}; }

std::size_t int_size(ParamType t) {
  switch (t) {
    case ParamType::kInt8: case ParamType::kUint8: case ParamType::kSigType:
    case ParamType::kL4Proto: case ParamType::kSockFamily: case ParamType::kFlags8:
    case ParamType::kEnumFlags8:
      return 1;
    case ParamType::kInt16: case ParamType::kUint16: case ParamType::kPort:
    case ParamType::kSyscallId: case ParamType::kFlags16: case ParamType::kEnumFlags16:
      return 2;
    case ParamType::kInt32: case ParamType::kUint32: case ParamType::kBool:
    case ParamType::kFlags32: case ParamType::kUid: case ParamType::kGid:
    case ParamType::kSigSet: case ParamType::kMode: case ParamType::kEnumFlags32:
    case ParamType::kIpv4Addr:
      return 4;
    case ParamType::kInt64: case ParamType::kUint64: case ParamType::kErrno:
    case ParamType::kFd: case ParamType::kPid: case ParamType::kRelTime:
    case ParamType::kAbsTime: case ParamType::kDouble:
      return 8;
    default:
      return 0;  // variable length
  }
}

bool is_string(ParamType t) {
  return t == ParamType::kCharBuf || t == ParamType::kFsPath || t == ParamType::kFsRelPath;
}

// Encodes events into one reused buffer.
class Encoder {
 public:
  scap::EventView encode(std::uint16_t type, std::uint64_t ts, std::uint64_t tid,
                         std::initializer_list<Value> values) {
    const scap::EventInfo& info = scap::event_info(type);
    const std::size_t n = info.nparams;
    const bool large = info.flags & scap::kEfLargePayload;
    const std::size_t lw = large ? 4 : 2;
    buf_.assign(scap::kEventHeaderSize + lw * n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const scap::ParamInfo& p = info.params[i];
      const Value* v = nullptr;
      for (const Value& c : values) {
        if (std::strcmp(c.name, p.name) == 0) v = &c;
      }
      const std::size_t before = buf_.size();
      if (const std::size_t k = int_size(p.type)) {
        const std::int64_t x = v ? v->num : 0;
        const auto* b = reinterpret_cast<const std::uint8_t*>(&x);
        buf_.insert(buf_.end(), b, b + k);
      } else if (v && v->is_bytes) {
        buf_.insert(buf_.end(), v->bytes.begin(), v->bytes.end());
        if (is_string(p.type)) buf_.push_back(0);
      } else if (is_string(p.type)) {
        buf_.push_back(0);
      }
      const std::uint32_t len = static_cast<std::uint32_t>(buf_.size() - before);
      if (large) {
        scap::store_le(buf_.data() + scap::kEventHeaderSize + 4 * i, len);
      } else {
        scap::store_le(buf_.data() + scap::kEventHeaderSize + 2 * i,
                       static_cast<std::uint16_t>(len));
      }
    }
    scap::encode_header(buf_.data(), {ts, tid, static_cast<std::uint32_t>(buf_.size()), type,
                                      static_cast<std::uint32_t>(n)});
    std::string why;
    auto view = scap::EventView::make(buf_, &why);
    if (!view) {
      std::fprintf(stderr, "capture_gen: bad %s event: %s\n", info.name, why.c_str());
      std::exit(1);
    }
    return *view;
  }

 private:
  std::vector<std::uint8_t> buf_;
};

std::uint16_t code(const char* name, bool enter = false) {
  auto t = scap::find_event(name, enter);
  if (!t) {
    std::fprintf(stderr, "capture_gen: no event '%s'\n", name);
    std::exit(1);
  }
  return *t;
}

struct Fd {
  std::string name;
  bool socket = false;
};

struct Proc {
  std::uint64_t pid = 0, ptid = 0;
  std::string comm, exe, args, cwd;
  std::vector<std::uint64_t> tids;
  std::unordered_map<std::int64_t, Fd> fds;
  std::uint32_t uid = 0;
};

const char* const kComms[] = {"nginx", "postgres", "java", "python3", "node", "bash",
                              "sshd", "containerd", "kubelet", "redis-server", "sh", "make",
                              "cc1", "ld", "git", "systemd-journal", "cron", "dockerd",
                              "prometheus", "envoy", "ruby", "php-fpm", "sleep", "cat"};
const char* const kDirs[] = {"/etc", "/usr/lib/x86_64-linux-gnu", "/usr/share/zoneinfo",
                             "/var/log", "/var/lib/postgresql/14/main/base", "/tmp",
                             "/home/dev/src/project", "/home/dev/src/project/include",
                             "/proc/self", "/sys/fs/cgroup", "/var/cache/app", "/opt/app/lib",
                             "/run", "/usr/bin", "/srv/www/static", "/dev"};
const char* const kEtc[] = {"/etc/passwd", "/etc/hosts", "/etc/resolv.conf", "/etc/ld.so.cache",
                            "/etc/nsswitch.conf", "/etc/localtime", "/etc/ssl/openssl.cnf",
                            "/etc/group", "/etc/shadow", "/etc/sudoers"};

class Host {
 public:
  Host(std::uint32_t seed, std::size_t nprocs) : rng_(seed) {
    for (std::size_t i = 0; i < nprocs; ++i) spawn(rng_() % 3 ? 1 : 2 + rng_() % 7, nullptr);
    target_threads_ = threads_.size();
  }

  scap::CaptureTables tables() const {
    scap::CaptureTables t;
    t.machine.num_cpus = 8;
    t.machine.memory_size_bytes = std::uint64_t{32} << 30;
    t.machine.max_pid = 4194304;
    t.machine.hostname = "busy-host";
    t.users = {{0, 0, "root", "/root", "/bin/bash"}, {1000, 1000, "dev", "/home/dev", "/bin/bash"},
               {33, 33, "www-data", "/var/www", "/usr/sbin/nologin"}};
    t.groups = {{0, "root"}, {1000, "dev"}, {33, "www-data"}};
    for (const auto& [pid, p] : procs_) {
      for (std::uint64_t tid : p.tids) {
        scap::ProcessEntry e;
        e.tid = tid;
        e.pid = pid;
        e.ptid = p.ptid;
        e.comm = p.comm;
        e.exe = p.exe;
        e.exepath = p.exe;
        e.args = p.args;
        e.cwd = p.cwd;
        e.uid = e.gid = p.uid;
        e.fdlimit = 65536;
        e.loginuid = p.uid;
        if (tid == pid) {
          for (const auto& [fd, f] : p.fds) {
            scap::FdEntry fe;
            fe.fd = fd;
            fe.type = f.socket ? scap::FdType::kIpv4Sock : scap::FdType::kFile;
            fe.name = f.name;
            if (f.socket) {
              fe.sip = {10, 0, 0, 5};
              fe.dip = {10, 0, 1, static_cast<std::uint8_t>(fd)};
              fe.sport = static_cast<std::uint16_t>(40000 + fd);
              fe.dport = 443;
              fe.l4proto = 2;
            }
            e.fds.push_back(fe);
          }
        }
        t.processes.push_back(std::move(e));
      }
    }
    return t;
  }

  // Writes one syscall (plus, for clone, the child's event).
  void step(scap::CaptureWriter& w) {
    ts_ += 1000 + rng_() % 3000;
    auto& [tid, pid] = threads_[pick(threads_.size())];
    const std::uint64_t t = tid, p = pid;
    Proc& proc = procs_.at(p);
    const std::uint16_t cpu = static_cast<std::uint16_t>(t % 8);
    unsigned r = rng_() % 1000;
    // Descriptor-creating calls (openat, socket, accept4) become closes in a process that
    // holds many, so each process's table stays around its initial size.
    const bool creates = (r >= 260 && r < 390) || (r >= 900 && r < 920) || (r >= 935 && r < 945);
    if (creates && proc.fds.size() > 40) r = 400;
    auto write = [&](const scap::EventView& v) { w.write_event(v, cpu); };
    if (r < 150) {  // read
      std::int64_t fd = any_fd(proc);
      write(enc_.encode(code("read"), ts_, t, {num("res", 512), str("data", "GET / HTTP/1.1\r\nHost"), num("fd", fd), num("size", 4096)}));
    } else if (r < 260) {  // write
      write(enc_.encode(code("write"), ts_, t, {num("res", 128), str("data", "log line: request served in 3ms\n"), num("fd", any_fd(proc)), num("size", 128)}));
    } else if (r < 390) {  // openat
      const std::string path = random_path(p);
      const bool fail = rng_() % 10 == 0;
      const std::int64_t fd = fail ? -2 : alloc_fd(proc);
      const std::int64_t flags = rng_() % 5 == 0 ? 0x42 /*O_RDWR|O_CREAT*/ : 1 /*O_RDONLY*/;
      if (!fail) proc.fds[fd] = {path, false};
      write(enc_.encode(code("openat"), ts_, t, {num("fd", fd), num("dirfd", -100), str("name", path), num("flags", flags), num("mode", 0644), num("dev", 0x803), num("ino", 100000 + rng_() % 900000)}));
    } else if (r < 510) {  // close
      std::int64_t fd = closable_fd(proc);
      write(enc_.encode(code("close"), ts_, t, {num("res", fd < 0 ? -9 : 0), num("fd", fd < 0 ? 99 : fd)}));
      if (fd >= 0) proc.fds.erase(fd);
    } else if (r < 570) {  // fstat
      write(enc_.encode(code("fstat"), ts_, t, {num("res", 0), num("fd", any_fd(proc))}));
    } else if (r < 650) {  // newfstatat
      const std::string path = random_path(p);
      write(enc_.encode(code("newfstatat"), ts_, t, {num("res", rng_() % 4 ? 0 : -2), num("dirfd", -100), str("path", path), num("flags", 0)}));
    } else if (r < 700) {  // mmap
      write(enc_.encode(code("mmap"), ts_, t, {num("res", 0x7f0000000000 + (rng_() % 100000) * 4096), num("vm_size", 200000), num("vm_rss", 30000), num("addr", 0), num("length", 8192), num("prot", 3), num("flags", 0x22), num("fd", -1)}));
    } else if (r < 740) {  // mprotect / munmap / brk
      const unsigned k = rng_() % 3;
      if (k == 0) write(enc_.encode(code("mprotect"), ts_, t, {num("res", 0), num("addr", 0x7f0000001000), num("length", 4096), num("prot", 1)}));
      if (k == 1) write(enc_.encode(code("munmap"), ts_, t, {num("res", 0), num("vm_size", 200000), num("addr", 0x7f0000001000), num("length", 8192)}));
      if (k == 2) write(enc_.encode(code("brk"), ts_, t, {num("res", 0x5600000000 + rng_() % 100000), num("vm_size", 200000), num("addr", 0)}));
    } else if (r < 800) {  // futex
      write(enc_.encode(code("futex"), ts_, t, {num("res", 0), num("addr", 0x7f00000ab000), num("op", 128), num("val", 1)}));
    } else if (r < 850) {  // epoll_wait / poll
      write(enc_.encode(code("epoll_wait"), ts_, t, {num("res", 1), num("maxevents", 64)}));
    } else if (r < 880) {  // lseek / fcntl / ioctl
      write(enc_.encode(code("lseek"), ts_, t, {num("res", 0), num("fd", any_fd(proc)), num("offset", 0), num("whence", 0)}));
    } else if (r < 900) {
      write(enc_.encode(code("fcntl"), ts_, t, {num("res", 0), num("fd", any_fd(proc)), num("cmd", 1)}));
    } else if (r < 920) {  // socket
      const std::int64_t fd = alloc_fd(proc);
      proc.fds[fd] = {"", true};
      write(enc_.encode(code("socket"), ts_, t, {num("fd", fd), num("domain", 2), num("type", 1), num("proto", 0)}));
    } else if (r < 935) {  // connect on a socket
      const std::int64_t fd = socket_fd(proc);
      const auto tup = tuple(0x0500000a, 40000 + fd % 20000, 0x0101000a + (rng_() % 50 << 24), rng_() % 3 ? 443 : 5432);
      const auto addr = tuple(0, 0, 0x0101000a, 443).substr(6, 7);
      write(enc_.encode(code("connect"), ts_, t, {num("res", rng_() % 8 ? 0 : -111), str("tuple", tup), num("fd", fd), str("addr", addr)}));
    } else if (r < 945) {  // accept4
      const std::int64_t fd = alloc_fd(proc);
      proc.fds[fd] = {"", true};
      const auto tup = tuple(0x0202000a + (rng_() % 200 << 24), 30000 + rng_() % 30000, 0x0500000a, 8080);
      write(enc_.encode(code("accept4"), ts_, t, {num("fd", fd), str("tuple", tup), num("queuepct", 0), num("queuemax", 128), num("flags", 0)}));
    } else if (r < 965) {  // sendto / recvfrom
      const std::int64_t fd = socket_fd(proc);
      if (rng_() % 2) write(enc_.encode(code("sendto"), ts_, t, {num("res", 64), str("data", "\x16\x03\x01\x02"), num("fd", fd), num("size", 64)}));
      else write(enc_.encode(code("recvfrom"), ts_, t, {num("res", 64), str("data", "\x17\x03\x03"), num("fd", fd), num("size", 4096)}));
    } else if (r < 975) {  // stat, unlinkat, getdents64
      const unsigned k = rng_() % 3;
      if (k == 0) write(enc_.encode(code("stat"), ts_, t, {num("res", 0), str("path", random_path(p))}));
      if (k == 1) write(enc_.encode(code("unlinkat"), ts_, t, {num("res", 0), num("dirfd", -100), str("name", "/tmp/tmp." + std::to_string(rng_() % 100000)), num("flags", 0)}));
      if (k == 2) write(enc_.encode(code("getdents64"), ts_, t, {num("res", 512), num("fd", any_fd(proc))}));
    } else if (r < 984) {
      // clone or procexit, whichever keeps the population near its initial size
      if (threads_.size() < target_threads_ || !exit_thread(w, t, p, cpu)) clone(w, t, p, cpu);
    } else if (r < 991) {  // execve
      execve(w, t, p, cpu);
    } else {  // more reads, on another thread's process files
      write(enc_.encode(code("pread"), ts_, t, {num("res", 4096), str("data", "\x7f" "ELF"), num("fd", any_fd(proc)), num("size", 4096), num("pos", 0)}));
    }
    ++events_;
  }

  std::uint64_t events() const { return events_; }
  std::size_t threads() const { return threads_.size(); }
  std::size_t processes() const { return procs_.size(); }

 private:
  std::size_t pick(std::size_t n) {  // skewed: a few hot threads, a long tail
    const std::size_t a = rng_() % n, b = rng_() % n;
    return rng_() % 2 ? std::min(a, b) : a;
  }

  static std::string tuple(std::uint32_t sip, std::uint64_t sport, std::uint32_t dip,
                           std::uint16_t dport) {
    std::string b(13, '\0');
    b[0] = 2;
    const auto sp = static_cast<std::uint16_t>(sport);
    std::memcpy(&b[1], &sip, 4);
    std::memcpy(&b[5], &sp, 2);
    std::memcpy(&b[7], &dip, 4);
    std::memcpy(&b[11], &dport, 2);
    return b;
  }

  std::string random_path(std::uint64_t pid) {
    const unsigned k = rng_() % 10;
    if (k < 2) return kEtc[rng_() % 8 + (rng_() % 500 == 0 ? 2 : 0)];
    if (k < 3) return "/proc/" + std::to_string(pid) + "/stat";
    const char* dir = kDirs[rng_() % std::size(kDirs)];
    return std::string(dir) + "/f" + std::to_string(rng_() % 5000) + (k < 6 ? ".so.1" : ".dat");
  }

  static std::int64_t alloc_fd(Proc& p) {
    std::int64_t fd = 3;
    while (p.fds.count(fd)) ++fd;
    return fd;
  }
  std::int64_t any_fd(Proc& p) {
    if (p.fds.empty()) return 1;
    auto it = p.fds.begin();
    std::advance(it, rng_() % std::min<std::size_t>(p.fds.size(), 8));
    return it->first;
  }
  std::int64_t socket_fd(Proc& p) {
    for (const auto& [fd, f] : p.fds) {
      if (f.socket) return fd;
    }
    return any_fd(p);
  }
  // Keeps each process between ~8 and ~40 fds.
  std::int64_t closable_fd(Proc& p) {
    if (p.fds.size() < 8) return -1;
    auto it = p.fds.begin();
    std::advance(it, rng_() % p.fds.size());
    return it->first;
  }

  void spawn(std::size_t nthreads, const Proc* parent) {
    const std::uint64_t pid = next_pid_;
    next_pid_ += 1 + nthreads;
    Proc p;
    p.pid = pid;
    p.ptid = parent ? parent->pid : 1;
    const char* c = kComms[rng_() % std::size(kComms)];
    p.comm = parent ? parent->comm : c;
    p.exe = parent ? parent->exe : std::string("/usr/bin/") + c;
    p.args = parent ? parent->args : std::string("--config\0/etc/app.conf\0", 23);
    p.cwd = parent ? parent->cwd : "/srv/";
    p.uid = rng_() % 3 == 0 ? 0 : 1000;
    for (std::size_t i = 0; i < nthreads; ++i) p.tids.push_back(pid + i);
    if (parent) {
      p.fds = parent->fds;
    } else {
      const std::size_t nfds = 8 + rng_() % 24;
      for (std::size_t i = 0; i < nfds; ++i) {
        const auto fd = static_cast<std::int64_t>(3 + i);
        const bool sock = rng_() % 5 == 0;
        p.fds[fd] = {sock ? "" : random_path(pid), sock};
      }
    }
    for (std::uint64_t tid : p.tids) threads_.push_back({tid, pid});
    procs_[pid] = std::move(p);
  }

  void clone(scap::CaptureWriter& w, std::uint64_t tid, std::uint64_t pid, std::uint16_t cpu) {
    Proc& parent = procs_.at(pid);
    const bool thread = rng_() % 2 == 0;
    const std::uint64_t child = next_pid_++;
    // scap's PPM_CL_* bits: CLONE_FILES (1 << 0), CLONE_VM (1 << 8), CLONE_THREAD (1 << 13).
    const std::int64_t flags = thread ? (1 << 0) | (1 << 8) | (1 << 13) : 0;
    const std::uint64_t cpid = thread ? pid : child;
    auto ev = [&](std::int64_t res, std::uint64_t who, std::uint64_t wpid, std::uint64_t wptid) {
      return enc_.encode(code("clone"), ts_, who,
                         {num("res", res), str("exe", parent.exe), str("args", parent.args),
                          num("tid", who), num("pid", wpid), num("ptid", wptid),
                          str("cwd", parent.cwd), num("fdlimit", 65536), num("vm_size", 100000),
                          str("comm", parent.comm), num("flags", flags), num("uid", parent.uid),
                          num("gid", parent.uid), num("vtid", who), num("vpid", wpid)});
    };
    w.write_event(ev(static_cast<std::int64_t>(child), tid, pid, parent.ptid), cpu);
    ts_ += 500;
    if (thread) {
      parent.tids.push_back(child);
      threads_.push_back({child, pid});
      w.write_event(ev(0, child, pid, parent.ptid), cpu);
    } else {
      Proc p = parent;
      p.pid = child;
      p.ptid = pid;
      p.tids = {child};
      procs_[child] = std::move(p);
      threads_.push_back({child, child});
      w.write_event(ev(0, child, cpid, pid), cpu);
    }
    ++events_;
  }

  void execve(scap::CaptureWriter& w, std::uint64_t tid, std::uint64_t pid, std::uint16_t cpu) {
    Proc& p = procs_.at(pid);
    const char* c = kComms[rng_() % std::size(kComms)];
    p.comm = c;
    p.exe = std::string("/usr/bin/") + c;
    p.args = std::string("-c\0run --port=") + std::to_string(8000 + rng_() % 1000) +
             std::string("\0", 1);
    p.args[2] = '\0';
    std::string env("PATH=/usr/bin:/bin\0HOME=/home/dev\0", 34);
    w.write_event(
        enc_.encode(code("execve"), ts_, tid,
                    {num("res", 0), str("exe", p.exe), str("args", p.args), num("tid", tid),
                     num("pid", pid), num("ptid", p.ptid), str("cwd", p.cwd),
                     num("fdlimit", 65536), num("vm_size", 10000), num("vm_rss", 2000),
                     str("comm", p.comm), str("cgroups", std::string("cpu=/user.slice\0", 16)),
                     str("env", env), num("vpgid", pid), num("loginuid", p.uid),
                     num("exe_ino", 4242), str("trusted_exepath", p.exe), num("pgid", pid),
                     num("uid", p.uid), num("gid", p.uid)}),
        cpu);
  }

  // False (nothing written) for the main thread of a process that still has others.
  bool exit_thread(scap::CaptureWriter& w, std::uint64_t tid, std::uint64_t pid,
                   std::uint16_t cpu) {
    Proc& p = procs_.at(pid);
    if (tid == pid && p.tids.size() > 1) return false;
    w.write_event(enc_.encode(code("procexit", true), ts_, tid,
                              {num("status", 0), num("ret", 0), num("sig", 0), num("core", 0),
                               num("reaper_tid", 1)}),
                  cpu);
    p.tids.erase(std::find(p.tids.begin(), p.tids.end(), tid));
    auto it = std::find_if(threads_.begin(), threads_.end(),
                           [&](const auto& x) { return x.first == tid; });
    *it = threads_.back();
    threads_.pop_back();
    if (p.tids.empty()) procs_.erase(pid);
    return true;
  }

  std::mt19937_64 rng_;
  Encoder enc_;
  std::unordered_map<std::uint64_t, Proc> procs_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> threads_;  // (tid, pid)
  std::uint64_t next_pid_ = 1000;
  std::uint64_t ts_ = 1700000000000000000ull;
  std::uint64_t events_ = 0;
  std::size_t target_threads_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: capture_gen OUT.scap [events=650000] [gzip|plain] [seed=1] "
                 "[max_bytes=0]\n");
    return 2;
  }
  const std::uint64_t events = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 650000;
  const bool gzip = argc > 3 && std::string(argv[3]) == "gzip";
  const auto seed = static_cast<std::uint32_t>(argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 1);
  const std::uint64_t max_bytes = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 0;
  try {
    Host host(seed, 300);
    scap::CaptureWriter w(argv[1], {.gzip = gzip});
    w.write_header(host.tables());
    if (max_bytes > 0) {
      // bytes_written() counts what went to the file (compressed for gzip); plain only.
      while (w.bytes_written() < max_bytes) host.step(w);
    } else {
      while (host.events() < events) host.step(w);
    }
    w.close();
    std::printf("%s: %llu events, %llu bytes written; at the end %zu processes, %zu threads\n",
                argv[1], static_cast<unsigned long long>(host.events()),
                static_cast<unsigned long long>(w.bytes_written()), host.processes(),
                host.threads());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "capture_gen: %s\n", e.what());
    return 1;
  }
  return 0;
}
