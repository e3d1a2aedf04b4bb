// Tests of the /proc scan: a fake /proc tree gives exact tables; the real /proc finds this
// test process, its descriptors, a thread and a child; a State seeds from the scan; the
// scan round-trips through a capture file.
#include "engine/proc_scan.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "capture_reader.h"
#include "capture_writer.h"
#include "state/interrupt.h"
#include "state/state.h"

namespace fs = std::filesystem;
using saker::syscall::ProcScanOptions;
using saker::syscall::ProcScanStats;
using saker::syscall::scan_host;
using saker::syscall::scap::FdEntry;
using saker::syscall::scap::FdType;
using saker::syscall::scap::ProcessEntry;

namespace {

// A temporary directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "saker_proc_scan_XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

void put(const fs::path& p, std::string_view content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

void link(const fs::path& p, const std::string& target) {
  fs::create_directories(p.parent_path());
  fs::create_symlink(target, p);
}

std::string nul(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) {
    s.append(p);
    s += '\0';
  }
  return s;
}

std::uint64_t ns(const struct timespec& t) {
  return static_cast<std::uint64_t>(t.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(t.tv_nsec);
}

const ProcessEntry* find_tid(const std::vector<ProcessEntry>& ps, std::uint64_t tid) {
  for (const auto& p : ps) {
    if (p.tid == tid) return &p;
  }
  return nullptr;
}

const FdEntry* find_fd(const ProcessEntry& p, std::int64_t fd) {
  for (const auto& f : p.fds) {
    if (f.fd == fd) return &f;
  }
  return nullptr;
}

std::array<std::uint8_t, 16> ip4(const char* text) {
  std::array<std::uint8_t, 16> a{};
  REQUIRE(::inet_pton(AF_INET, text, a.data()) == 1);
  return a;
}

// One thread directory of the fake tree.
struct FakeThread {
  std::string comm, cmdline, status, stat, exe;
};

void write_thread(const fs::path& dir, const FakeThread& t, const fs::path& rootfs) {
  put(dir / "comm", t.comm + "\n");
  put(dir / "cmdline", t.cmdline);
  put(dir / "status", t.status);
  put(dir / "stat", t.stat);
  if (!t.exe.empty()) link(dir / "exe", t.exe);
  if (t.cmdline.empty()) return;  // a kernel thread has nothing more
  put(dir / "environ", nul({"HOME=/home/u", "PATH=/bin"}));
  link(dir / "cwd", "/home/u");
  link(dir / "root", rootfs.string());
  put(dir / "limits",
      "Limit                     Soft Limit           Hard Limit           Units     \n"
      "Max cpu time              unlimited            unlimited            seconds   \n"
      "Max open files            1024                 4096                 files     \n");
  put(dir / "loginuid", "1000");
  put(dir / "cgroup",
      "5:devices,freezer:/user.slice\n1:name=systemd:/s.scope\n0::/user.slice/s.scope\n");
}

// Without `ns_suffix` (nullptr) the NS* lines are left out, as on kernels before 4.1.
std::string status(int tgid, int pid, const char* ns_suffix) {
  std::string s = "Name:\tapp\nUmask:\t0022\nState:\tS (sleeping)\n";
  s += "Tgid:\t" + std::to_string(tgid) + "\nNgid:\t0\nPid:\t" + std::to_string(pid) + "\n";
  s += "PPid:\t1\nTracerPid:\t0\nUid:\t1000\t1001\t1000\t1000\nGid:\t2000\t2001\t2000\t2000\n";
  if (ns_suffix) {
    s += "NStgid:\t" + std::to_string(tgid) + ns_suffix + "\n";
    s += "NSpid:\t" + std::to_string(pid) + ns_suffix + "\n";
    s += "NSpgid:\t100\t7\nNSsid:\t90\t6\n";
  }
  s += "VmSize:\t    1234 kB\nVmRSS:\t      56 kB\nVmSwap:\t       7 kB\n";
  s += "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t0000000000000400\n";
  return s;
}

// A fake machine: init (1), a kernel thread (2), a process with two threads (100, 101)
// and many descriptors, and a process running a deleted executable (200).
struct FakeTree {
  TempDir tmp;
  fs::path proc, etc, rootfs, bin, data;
  FakeTree() {
    proc = tmp.path / "proc";
    etc = tmp.path / "etc";
    rootfs = tmp.path / "rootfs";
    bin = tmp.path / "bin";
    data = tmp.path / "data";
    put(bin / "app", "#!/bin/true\n");
    put(data / "file.txt", "x");
    put(rootfs / "proc/1/cmdline", "init");
    put(rootfs / "sys/fs/cgroup/cgroup.controllers", "cpu memory pids\n");
    put(rootfs / "sys/fs/cgroup/user.slice/cgroup.controllers", "cpu memory\n");
    put(rootfs / "sys/fs/cgroup/user.slice/s.scope/cgroup.controllers", "memory\n");
    put(proc / "sys/kernel/pid_max", "4194304\n");
    put(proc / "stat", "cpu  1 2 3 4\nbtime 1700000000\nprocesses 5\n");
    put(proc / "1/mounts", "proc /proc proc rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n");
    write_thread(proc / "1",
                 {"init", nul({"/sbin/init"}), status(1, 1, ""),
                  "1 (init) S 0 1 1 0 -1 4194560 5 0 6 0", bin / "app"},
                 rootfs);
    write_thread(proc / "2",
                 {"kthreadd", "", status(2, 2, ""), "2 (kthreadd) S 0 0 0 0 -1 0 0 0 0 0", ""},
                 rootfs);
    const std::string app_stat = " (a) b) S 1 100 90 34816 100 4194560 11 0 22 0 1 1";
    FakeThread main{"app", nul({"/usr/bin/app", "--flag", "", "value"}), status(100, 100, "\t5"),
                    "100" + app_stat, (bin / "app").string()};
    write_thread(proc / "100", main, rootfs);
    FakeThread worker = main;
    worker.comm = "worker";
    worker.status = status(100, 101, "\t6");
    const std::string vtgid = "NStgid:\t100\t6";  // a thread's NStgid is its process's
    worker.status.replace(worker.status.find(vtgid), vtgid.size(), "NStgid:\t100\t5");
    worker.stat = "101" + app_stat;
    write_thread(proc / "100/task/100", main, rootfs);
    write_thread(proc / "100/task/101", worker, rootfs);
    write_fds(proc / "100");
    write_thread(proc / "200",
                 {"gone", nul({"gone"}), status(200, 200, nullptr),
                  "200 (gone) S 1 200 200 0 0 0 0 0 0 0", (bin / "gone").string() + " (deleted)"},
                 rootfs);
    write_net();
    put(etc / "passwd",
        "# comment\nroot:x:0:0:root:/root:/bin/bash\nu:x:1000:2000:U:/home/u:/bin/sh\nbad\n");
    put(etc / "group", "root:x:0:\nusers:x:2000:u\n");
  }

  void write_fds(const fs::path& dir) {
    link(dir / "fd/3", (data / "file.txt").string());
    put(dir / "fdinfo/3", "pos:\t0\nflags:\t02100002\nmnt_id:\t25\n");
    link(dir / "fd/4", data.string());
    link(dir / "fd/5", "pipe:[4242]");
    link(dir / "fd/6", "socket:[5001]");
    link(dir / "fd/7", "socket:[5002]");
    link(dir / "fd/8", "socket:[5003]");
    link(dir / "fd/9", "socket:[5004]");
    link(dir / "fd/10", "anon_inode:[eventfd]");
    link(dir / "fd/11", "anon_inode:[pidfd]");
    link(dir / "fd/12", "anon_inode:bpf-map");
    link(dir / "fd/13", "/memfd:foo (deleted)");
    link(dir / "fd/14", "socket:[9999]");  // in no table: skipped
    link(dir / "fd/15", "anon_inode:[perf_event]");
  }

  void write_net() {
    const std::string tcp_header =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
        "timeout inode\n";
    put(proc / "net/tcp",
        tcp_header +
            "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 "
            "       0 5001 1 0000000000000000 100 0 0 10 0\n"
            "   1: 0100000A:9C40 0200000A:01BB 01 00000000:00000000 00:00000000 00000000  1000 "
            "       0 5002 1 0000000000000000 20 4 30 10 -1\n");
    put(proc / "net/tcp6",
        tcp_header +
            "   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
            "00000000:00000000 00:00000000 00000000     0        0 5003 1 0000000000000000 100 0 0 "
            "10 0\n");
    put(proc / "net/unix",
        "Num       RefCount Protocol Flags    Type St Inode Path\n"
        "0000000000000000: 00000002 00000000 00010000 0001 01 5004 /run/x y.sock\n"
        "0000000000000000: 00000002 00000000 00000000 0001 03 5005\n");
  }
};

void check_fd(const ProcessEntry& p, std::int64_t fd, FdType type, std::string_view name,
              std::uint64_t ino) {
  CAPTURE(fd);
  const FdEntry* f = find_fd(p, fd);
  REQUIRE(f != nullptr);
  CHECK(f->type == type);
  CHECK(f->name == name);
  CHECK(f->ino == ino);
}

}  // namespace

TEST_CASE("a fake /proc tree gives exact tables") {
  FakeTree t;
  ProcScanOptions opts;
  opts.proc_root = t.proc.string();
  opts.etc_root = t.etc.string();
  opts.include_interfaces = false;
  ProcScanStats stats;
  auto tables = scan_host(opts, &stats);

  CHECK(tables.machine.max_pid == 4194304);
  CHECK(tables.machine.boot_ts_epoch == 1700000000ull * 1'000'000'000ull);
  CHECK(tables.machine.num_cpus == static_cast<std::uint32_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  CHECK(tables.machine.hostname == host);
  REQUIRE(tables.users.size() == 2);
  CHECK(tables.users[1].uid == 1000);
  CHECK(tables.users[1].gid == 2000);
  CHECK(tables.users[1].name == "u");
  CHECK(tables.users[1].home == "/home/u");
  CHECK(tables.users[1].shell == "/bin/sh");
  REQUIRE(tables.groups.size() == 2);
  CHECK(tables.groups[1].gid == 2000);
  CHECK(tables.groups[1].name == "users");

  // init, app and its worker thread, the deleted one; not the kernel thread.
  REQUIRE(tables.processes.size() == 4);
  CHECK(stats.kernel_threads == 1);
  CHECK(stats.threads == 4);
  CHECK(find_tid(tables.processes, 2) == nullptr);

  // Main threads come before their other threads; process order is the directory's.
  REQUIRE(find_tid(tables.processes, 100) != nullptr);
  const ProcessEntry& app = *find_tid(tables.processes, 100);
  CHECK(&app + 1 == find_tid(tables.processes, 101));
  struct stat exe_st {};
  REQUIRE(::stat((t.bin / "app").c_str(), &exe_st) == 0);
  struct stat init_st {};
  REQUIRE(::stat((t.rootfs / "proc/1/cmdline").c_str(), &init_st) == 0);
  CHECK(app.pid == 100);
  CHECK(app.ptid == 1);
  CHECK(app.sid == 90);
  CHECK(app.vpgid == 7);
  CHECK(app.comm == "app");
  CHECK(app.exe == "/usr/bin/app");
  CHECK(app.exepath == (t.bin / "app").string());
  CHECK(app.args == nul({"--flag", "", "value"}));
  CHECK(app.cwd == "/home/u");
  CHECK(app.root == t.rootfs.string());
  CHECK(app.fdlimit == 1024);
  CHECK(app.flags == 0);
  CHECK(app.uid == 1001);
  CHECK(app.gid == 2001);
  CHECK(app.vmsize_kb == 1234);
  CHECK(app.vmrss_kb == 56);
  CHECK(app.vmswap_kb == 7);
  CHECK(app.pfminor == 11);
  CHECK(app.pfmajor == 22);
  CHECK(app.env == nul({"HOME=/home/u", "PATH=/bin"}));
  CHECK(app.vtid == 5);
  CHECK(app.vpid == 5);
  CHECK(app.cgroups == nul({"devices=/user.slice", "freezer=/user.slice", "name=systemd=/s.scope",
                            "memory=/user.slice/s.scope", "cpu=/user.slice", "pids=/"}));
  CHECK(app.pidns_init_start_ts == ns(init_st.st_ctim));
  CHECK(app.tty == 34816);
  CHECK(app.loginuid == 1000);
  CHECK(app.cap_inheritable == 0);
  CHECK(app.cap_permitted == 0x1ffffffffffull);
  CHECK(app.cap_effective == 0x400);
  CHECK(app.exe_ino == exe_st.st_ino);
  CHECK(app.exe_ino_ctime == ns(exe_st.st_ctim));
  CHECK(app.exe_ino_mtime == ns(exe_st.st_mtim));
  CHECK(app.exe_writable == (exe_st.st_uid == 1001));  // owner, else not for uid 1001
  CHECK_FALSE(app.exe_from_memfd);
  CHECK_FALSE(app.exe_upper_layer);

  REQUIRE(app.fds.size() == 12);  // 3..15 but the unknown socket
  struct stat file_st {
  }, dir_st{};
  REQUIRE(::stat((t.data / "file.txt").c_str(), &file_st) == 0);
  REQUIRE(::stat(t.data.c_str(), &dir_st) == 0);
  check_fd(app, 3, FdType::kFileV2, (t.data / "file.txt").string(), file_st.st_ino);
  const FdEntry& file = *find_fd(app, 3);
  CHECK(file.open_flags == (3u | (1u << 11) | (1u << 12)));  // O_RDWR|O_LARGEFILE|O_CLOEXEC
  CHECK(file.dev == ((minor(file_st.st_dev) & 0xff) | (major(file_st.st_dev) << 8) |
                     ((minor(file_st.st_dev) & ~0xffu) << 12)));
  check_fd(app, 4, FdType::kDirectory, t.data.string(), dir_st.st_ino);
  check_fd(app, 5, FdType::kFifo, "pipe:[4242]", 4242);
  check_fd(app, 6, FdType::kIpv4ServSock, "", 5001);
  const FdEntry& listen = *find_fd(app, 6);
  CHECK(listen.sip == ip4("127.0.0.1"));
  CHECK(listen.sport == 8080);
  CHECK(listen.l4proto == 2);
  check_fd(app, 7, FdType::kIpv4Sock, "", 5002);
  const FdEntry& conn = *find_fd(app, 7);
  CHECK(conn.sip == ip4("10.0.0.1"));
  CHECK(conn.sport == 40000);
  CHECK(conn.dip == ip4("10.0.0.2"));
  CHECK(conn.dport == 443);
  check_fd(app, 8, FdType::kIpv6ServSock, "", 5003);
  CHECK(find_fd(app, 8)->sport == 22);
  check_fd(app, 9, FdType::kUnixSock, "/run/x y.sock", 5004);
  check_fd(app, 10, FdType::kEvent, "", 0);
  check_fd(app, 11, FdType::kPidfd, "", 0);
  check_fd(app, 12, FdType::kBpf, "", 0);
  check_fd(app, 13, FdType::kMemfd, "/memfd:foo (deleted)", 0);
  check_fd(app, 15, FdType::kUnsupported, "", 0);
  CHECK(stats.sockets_unresolved == 1);
  CHECK(stats.fds == 12);

  const ProcessEntry& worker = *find_tid(tables.processes, 101);
  CHECK(worker.tid == 101);
  CHECK(worker.pid == 100);
  CHECK(worker.ptid == 1);
  CHECK(worker.comm == "worker");
  CHECK(worker.vtid == 6);
  CHECK(worker.vpid == 5);
  CHECK(worker.flags == ((1u << 13) | 1u));  // CLONE_THREAD | CLONE_FILES
  CHECK(worker.fds.empty());

  REQUIRE(find_tid(tables.processes, 200) != nullptr);
  const ProcessEntry& gone = *find_tid(tables.processes, 200);
  CHECK(gone.exepath == (t.bin / "gone").string());
  CHECK(gone.exe_ino == 0);
  CHECK(gone.vtid == 200);
  CHECK(gone.vpgid == 200);
  CHECK(gone.args.empty());
}

TEST_CASE("the scan is bounded and interruptible") {
  FakeTree t;
  ProcScanOptions opts;
  opts.proc_root = t.proc.string();
  opts.etc_root = t.etc.string();
  opts.include_interfaces = false;
  opts.max_threads = 2;
  ProcScanStats stats;
  auto tables = scan_host(opts, &stats);
  CHECK(tables.processes.size() == 2);
  CHECK(stats.threads_truncated);

  opts.max_threads = 100;
  opts.max_fds_per_process = 3;
  opts.include_env = false;
  tables = scan_host(opts, &stats);
  REQUIRE(find_tid(tables.processes, 100) != nullptr);
  CHECK(find_tid(tables.processes, 100)->fds.size() == 3);
  CHECK(stats.fds_dropped == 10);  // every entry past the limit, examined or not
  CHECK(find_tid(tables.processes, 100)->env.empty());
  CHECK_FALSE(stats.threads_truncated);

  std::atomic<bool> stop{true};
  opts.stop = &stop;
  tables = scan_host(opts, &stats);
  CHECK(tables.processes.empty());
  CHECK(stats.interrupted);
  CHECK(tables.users.size() == 2);

  opts.stop = nullptr;
  {  // the thread's stop check, as the plugin's open installs it (the host's stop_requested)
    saker::syscall::InterruptScope interrupted([] { return true; });
    tables = scan_host(opts, &stats);
    CHECK(tables.processes.empty());
    CHECK(stats.interrupted);
  }
  tables = scan_host(opts, &stats);  // the scope is gone: a full scan again
  CHECK_FALSE(tables.processes.empty());
  CHECK_FALSE(stats.interrupted);
  auto app = saker::syscall::scan_thread(opts, 100);
  REQUIRE(app);
  CHECK(app->comm == "app");
  CHECK(app->fds.size() == 3);
  CHECK_FALSE(saker::syscall::scan_thread(opts, 2));    // kernel thread
  CHECK_FALSE(saker::syscall::scan_thread(opts, 999));  // no such thread
}

TEST_CASE("a missing or broken tree yields empty tables, not an error") {
  TempDir tmp;
  put(tmp.path / "proc/300/status", "garbage");
  put(tmp.path / "proc/300/cmdline", "x");
  put(tmp.path / "proc/300/stat", "no parenthesis");
  ProcScanOptions opts;
  opts.proc_root = (tmp.path / "proc").string();
  opts.etc_root = (tmp.path / "etc").string();
  opts.include_interfaces = false;
  ProcScanStats stats;
  auto tables = scan_host(opts, &stats);
  CHECK(tables.processes.empty());
  CHECK(stats.vanished == 1);
  opts.proc_root = (tmp.path / "nothing").string();
  CHECK(scan_host(opts).processes.empty());
}

namespace {

// Descriptors and relatives of this test process that the real scan must find: a file, a
// listening TCP socket, a pipe, a bound unix socket, an eventfd, a thread and a child.
struct LiveFixture {
  TempDir tmp;
  std::string file_path, unix_path;
  int file_fd = -1, listen_fd = -1, unix_fd = -1, event_fd = -1;
  int pipe_fds[2] = {-1, -1};
  int child_gate[2] = {-1, -1};
  std::uint16_t port = 0;
  pid_t child = -1;
  pid_t thread_tid = 0;
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;

  LiveFixture() {
    file_path = (tmp.path / "opened.txt").string();
    file_fd = ::open(file_path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    REQUIRE(file_fd >= 0);
    listen_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listen_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(listen_fd, 4) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(listen_fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = ntohs(a.sin_port);
    REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
    unix_path = (tmp.path / "u.sock").string();
    unix_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un u{};
    u.sun_family = AF_UNIX;
    unix_path.copy(u.sun_path, sizeof u.sun_path - 1);
    REQUIRE(::bind(unix_fd, reinterpret_cast<sockaddr*>(&u), sizeof u) == 0);
    event_fd = ::eventfd(0, EFD_CLOEXEC);
    REQUIRE(event_fd >= 0);
    // The child waits for the gate to close; it only calls read() and _exit().
    REQUIRE(::pipe2(child_gate, O_CLOEXEC) == 0);
    child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      char c;
      ::close(child_gate[1]);
      while (::read(child_gate[0], &c, 1) > 0) {
      }
      ::_exit(0);
    }
    ::close(child_gate[0]);
    std::mutex started_mu;
    std::condition_variable started;
    thread = std::thread([&] {
      {
        std::lock_guard g(started_mu);
        thread_tid = ::gettid();
      }
      started.notify_one();
      std::unique_lock l(mu);
      cv.wait(l, [&] { return release; });
    });
    std::unique_lock l(started_mu);
    started.wait(l, [&] { return thread_tid != 0; });
  }

  ~LiveFixture() {
    {
      std::lock_guard g(mu);
      release = true;
    }
    cv.notify_one();
    thread.join();
    ::close(child_gate[1]);
    if (child > 0) ::waitpid(child, nullptr, 0);
    for (int fd : {file_fd, listen_fd, unix_fd, event_fd, pipe_fds[0], pipe_fds[1]}) ::close(fd);
  }
};

std::string self_comm() {
  std::ifstream in("/proc/self/comm");
  std::string s;
  std::getline(in, s);
  return s;
}

}  // namespace

TEST_CASE("the real /proc: this process, its descriptors, a thread and a child") {
  LiveFixture fx;
  ProcScanStats stats;
  auto tables = scan_host({}, &stats);
  MESSAGE("real /proc scan: " << stats.threads << " threads, " << stats.fds << " fds, "
                              << tables.users.size() << " users, " << tables.interfaces.size()
                              << " interface addresses in "
                              << std::chrono::duration<double, std::milli>(stats.elapsed).count()
                              << " ms (vanished " << stats.vanished << ", kernel threads "
                              << stats.kernel_threads << ", unresolved sockets "
                              << stats.sockets_unresolved << ")");
  CHECK(tables.machine.num_cpus > 0);
  CHECK(tables.machine.memory_size_bytes > 0);
  CHECK(tables.machine.boot_ts_epoch > 0);
  CHECK(tables.machine.max_pid > 0);

  const auto pid = static_cast<std::uint64_t>(::getpid());
  const ProcessEntry* self = find_tid(tables.processes, pid);
  REQUIRE(self != nullptr);
  CHECK(self->pid == pid);
  CHECK(self->ptid == static_cast<std::uint64_t>(::getppid()));
  CHECK(self->comm == self_comm());
  CHECK(self->exepath == fs::read_symlink("/proc/self/exe").string());
  CHECK(self->cwd == fs::current_path().string());
  CHECK(self->uid == ::geteuid());
  CHECK(self->gid == ::getegid());
  CHECK(self->vtid == static_cast<std::int64_t>(pid));
  struct stat exe_st {};
  REQUIRE(::stat("/proc/self/exe", &exe_st) == 0);
  CHECK(self->exe_ino == exe_st.st_ino);
  CHECK(self->exe_ino_mtime == ns(exe_st.st_mtim));

  const FdEntry* file = find_fd(*self, fx.file_fd);
  REQUIRE(file != nullptr);
  CHECK(file->type == FdType::kFileV2);
  CHECK(file->name == fx.file_path);
  CHECK((file->open_flags & 3u) == 3u);         // O_RDWR
  CHECK((file->open_flags & (1u << 3)) != 0);   // O_APPEND
  CHECK((file->open_flags & (1u << 12)) != 0);  // O_CLOEXEC
  CHECK((file->open_flags & (1u << 2)) == 0);   // O_CREAT is not kept by the kernel

  const FdEntry* listen = find_fd(*self, fx.listen_fd);
  REQUIRE(listen != nullptr);
  CHECK(listen->type == FdType::kIpv4ServSock);
  CHECK(listen->sip == ip4("127.0.0.1"));
  CHECK(listen->sport == fx.port);
  CHECK(listen->l4proto == 2);

  struct stat pst {};
  REQUIRE(::fstat(fx.pipe_fds[0], &pst) == 0);
  const FdEntry* pipe_end = find_fd(*self, fx.pipe_fds[1]);
  REQUIRE(pipe_end != nullptr);
  CHECK(pipe_end->type == FdType::kFifo);
  CHECK(pipe_end->ino == pst.st_ino);
  CHECK(pipe_end->name == "pipe:[" + std::to_string(pst.st_ino) + "]");

  const FdEntry* unix_sock = find_fd(*self, fx.unix_fd);
  REQUIRE(unix_sock != nullptr);
  CHECK(unix_sock->type == FdType::kUnixSock);
  CHECK(unix_sock->name == fx.unix_path);

  const FdEntry* ev = find_fd(*self, fx.event_fd);
  REQUIRE(ev != nullptr);
  CHECK(ev->type == FdType::kEvent);

  const ProcessEntry* thread =
      find_tid(tables.processes, static_cast<std::uint64_t>(fx.thread_tid));
  REQUIRE(thread != nullptr);
  CHECK(thread->pid == pid);
  CHECK(thread->ptid == self->ptid);
  CHECK(thread->flags == ((1u << 13) | 1u));
  CHECK(thread->fds.empty());

  const ProcessEntry* child = find_tid(tables.processes, static_cast<std::uint64_t>(fx.child));
  REQUIRE(child != nullptr);
  CHECK(child->pid == static_cast<std::uint64_t>(fx.child));
  CHECK(child->ptid == pid);
  CHECK(child->exepath == self->exepath);

  auto one = saker::syscall::scan_thread({}, fx.thread_tid);
  REQUIRE(one);
  CHECK(one->pid == pid);
  CHECK(one->tid == static_cast<std::uint64_t>(fx.thread_tid));

  SUBCASE("a State seeded from the scan knows this process") {
    saker::syscall::State st;
    st.seed(tables);
    CHECK(st.boot_ts() == tables.machine.boot_ts_epoch);
    const auto* t = st.threads().find(::getpid());
    REQUIRE(t != nullptr);
    CHECK(t->tid == ::getpid());
    CHECK(t->pid == ::getpid());
    CHECK(t->ptid == ::getppid());
    CHECK(t->comm == self_comm());
    CHECK(t->exepath == self->exepath);
    // The state keeps a directory's trailing '/', as libsinsp does (proc.cwd "/root/").
    const std::string cwd = fs::current_path().string();
    CHECK(t->cwd == (cwd == "/" ? cwd : cwd + "/"));
    CHECK(t->uid == ::geteuid());
    const auto* f = t->fds->find(fx.file_fd);
    REQUIRE(f != nullptr);
    CHECK(f->type == FdType::kFile);
    CHECK(f->name == fx.file_path);
    const auto* th = st.threads().find(fx.thread_tid);
    REQUIRE(th != nullptr);
    CHECK(th->fds == t->fds);
    CHECK(st.users().user(0) != nullptr);
  }

  SUBCASE("the scanned tables round-trip through a capture file") {
    const std::string path = (fx.tmp.path / "scan.scap").string();
    {
      saker::syscall::scap::CaptureWriter w(path);
      w.write_header(tables);
      w.close();
    }
    auto r = saker::syscall::scap::CaptureReader::open(path);
    CHECK(r.processes().size() == tables.processes.size());
    CHECK(r.users().size() == tables.users.size());
    CHECK(r.interfaces().size() == tables.interfaces.size());
    const ProcessEntry* back = r.find_process(pid);
    REQUIRE(back != nullptr);
    CHECK(back->exepath == self->exepath);
    CHECK(back->args == self->args);
    CHECK(back->cgroups == self->cgroups);
    CHECK(back->fds.size() == self->fds.size());
  }
}

TEST_CASE("the real /proc: an executable on overlayfs, upper and lower layer") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: mounting an overlay needs root");
    return;
  }
  char tmpl[] = "/tmp/saker-scan-ovl-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  const fs::path root = tmpl, lower = root / "lower", upper = root / "upper",
                 work = root / "work", merged = root / "merged";
  for (const auto& d : {lower, upper, work, merged}) fs::create_directory(d);
  fs::copy_file("/bin/sleep", lower / "lowsleep");
  fs::copy_file("/bin/sleep", upper / "upsleep");
  const std::string opts =
      "lowerdir=" + lower.string() + ",upperdir=" + upper.string() + ",workdir=" + work.string();
  if (::mount("overlay", merged.c_str(), "overlay", 0, opts.c_str()) != 0) {
    MESSAGE("skipped: overlay mount failed: " << std::strerror(errno));
    fs::remove_all(root);
    return;
  }
  auto start = [](const fs::path& exe) {
    pid_t pid = ::fork();
    if (pid == 0) {
      ::execl(exe.c_str(), exe.c_str(), "30", static_cast<char*>(nullptr));
      ::_exit(99);
    }
    // wait for the exec: /proc/PID/exe names the new program
    for (int i = 0; i < 500; ++i) {
      std::error_code ec;
      if (fs::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec) == exe) break;
      ::usleep(2000);
    }
    return pid;
  };
  const pid_t up = start(merged / "upsleep"), low = start(merged / "lowsleep");
  auto u = saker::syscall::scan_thread({}, up);
  auto l = saker::syscall::scan_thread({}, low);
  for (pid_t p : {up, low}) {
    ::kill(p, SIGKILL);
    ::waitpid(p, nullptr, 0);
  }
  ::umount2(merged.c_str(), MNT_DETACH);
  fs::remove_all(root);
  REQUIRE(u);
  REQUIRE(l);
  CHECK(u->exepath == (merged / "upsleep").string());
  CHECK(u->exe_upper_layer);
  CHECK(l->exepath == (merged / "lowsleep").string());
  CHECK_FALSE(l->exe_upper_layer);
}
