// Live driver, process life-cycle syscalls (root): exec (from a file, a dirfd and a memfd),
// the clone family seen from both the parent (res = child tid) and the child (res = 0),
// threads, and procexit. Children are followed through the driver's target_children option;
// each one exits at once and is reaped before its test ends.
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "live_children.h"
#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

extern char** environ;

namespace {

// The driver's "cgroups" list for this process: "NAME=/path\0" for cpuset, cpu, memory and
// pids, each from its v1 hierarchy in /proc/self/cgroup ("N:a,b:/path"), or the unified
// one ("0::/path") for a controller that has none.
std::string expected_cgroups() {
  std::istringstream in(slurp("/proc/self/cgroup"));
  std::string line, unified = "/";
  std::map<std::string, std::string> v1;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    const std::string ctrls = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    if (ctrls.empty()) {
      unified = path;
      continue;
    }
    std::istringstream cs(ctrls);
    std::string c;
    while (std::getline(cs, c, ',')) v1[c] = path;
  }
  std::string out;
  for (const char* c : {"cpuset", "cpu", "memory", "pids"}) {
    out += std::string(c) + "=" + (v1.count(c) ? v1[c] : unified) + std::string(1, '\0');
  }
  return out;
}

constexpr std::uint32_t kExeWritable = 1u << 0;
constexpr std::uint32_t kExeUpperLayer = 1u << 1;
constexpr std::uint32_t kExeFromMemfd = 1u << 2;
constexpr std::uint32_t kExeLowerLayer = 1u << 3;
// PPM_CL_* bits
constexpr std::uint32_t kClSighand = 1u << 11;
constexpr std::uint32_t kClVm = 1u << 15;
constexpr std::uint32_t kClParentSettid = 1u << 9;
constexpr std::uint32_t kClChildCleartid = 1u << 23;
constexpr std::uint32_t kClChildSettid = 1u << 24;
constexpr std::uint32_t kClVfork = 1u << 27;

std::uint64_t ts_ns(const timespec& t) {
  return static_cast<std::uint64_t>(t.tv_sec) * 1000000000ull +
         static_cast<std::uint64_t>(t.tv_nsec);
}

// The capability sets of /proc/PID/status as numbers.
std::uint64_t status_caps(const std::string& status, const char* key) {
  auto at = status.find(key);
  REQUIRE(at != std::string::npos);
  return std::stoull(status.substr(at + std::strlen(key)), nullptr, 16);
}

// The checks shared by every clone-family event: ids, program, cwd, limits, cgroup.
void check_clone_common(const scap::EventView& v, pid_t tid, pid_t pid, pid_t ptid) {
  CHECK(pint(v, "tid") == tid);
  CHECK(pint(v, "pid") == pid);
  CHECK(pint(v, "ptid") == ptid);
  CHECK(pint(v, "vtid") == tid);
  CHECK(pint(v, "vpid") == pid);
  const std::string cmdline = slurp("/proc/self/cmdline");
  const std::string exe = cmdline.substr(0, cmdline.find('\0'));
  CHECK(pstr(v, "exe") == exe);
  CHECK(pbytes(v, "args") == cmdline.substr(exe.size() + 1));
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof(cwd)) != nullptr);
  CHECK(pstr(v, "cwd") == std::string(cwd));
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  CHECK(puint(v, "fdlimit") == rl.rlim_cur);
  CHECK(pstr(v, "comm") == trim_nl(slurp("/proc/self/comm")));
  CHECK(puint(v, "vm_size") > 0u);
  CHECK(puint(v, "vm_rss") > 0u);
  CHECK(puint(v, "uid") == geteuid());
  CHECK(puint(v, "gid") == getegid());
  CHECK(pbytes(v, "cgroups") == expected_cgroups());
  CHECK(puint(v, "pidns_init_start_ts") > 0u);
}

}  // namespace

TEST_CASE("live fork (glibc: clone): parent and child events, procexit") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"clone"}, with_children());
  const pid_t me = getpid();
  const pid_t parent_of_me = getppid();
  pid_t child = spawn([] { return 7; });
  const int st = reap(child);
  REQUIRE(WEXITSTATUS(st) == 7);

  auto par = h.next(SAKER_EVT_CLONE_20_X,
                    [&](const scap::EventView& v) { return pint(v, "res") == child; });
  REQUIRE_MESSAGE(par, "seen: " << h.seen());
  check_header(par->view(), SAKER_EVT_CLONE_20_X, this_tid());
  check_clone_common(par->view(), this_tid(), me, parent_of_me);
  CHECK(puint(par->view(), "flags") == (kClChildCleartid | kClChildSettid));

  auto kid = h.next(SAKER_EVT_CLONE_20_X,
                    [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(kid, "no child clone event; seen: " << h.seen());
  check_header(kid->view(), SAKER_EVT_CLONE_20_X, child);
  CHECK(pint(kid->view(), "res") == 0);
  check_clone_common(kid->view(), child, child, me);
  CHECK(puint(kid->view(), "flags") == (kClChildCleartid | kClChildSettid));

  auto ex = h.next(SAKER_EVT_PROCEXIT_1_E,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(ex, "no procexit; seen: " << h.seen());
  check_header(ex->view(), SAKER_EVT_PROCEXIT_1_E, child);
  CHECK(pint(ex->view(), "status") == 7 << 8);
  CHECK(pint(ex->view(), "ret") == 7);
  CHECK(puint(ex->view(), "sig") == 0u);
  CHECK(puint(ex->view(), "core") == 0u);

  // killed by a signal: status and sig carry it, ret is 0
  pid_t victim = spawn([] {
    for (;;) pause();
    return 0;
  });
  kill(victim, SIGKILL);
  reap(victim);
  auto kx = h.next(SAKER_EVT_PROCEXIT_1_E,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == victim; });
  REQUIRE(kx);
  CHECK(pint(kx->view(), "status") == SIGKILL);
  CHECK(pint(kx->view(), "ret") == 0);
  CHECK(puint(kx->view(), "sig") == static_cast<std::uint64_t>(SIGKILL));

  // failure: CLONE_SIGHAND without CLONE_VM is refused; the flags are still converted
  CHECK(syscall(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0) == -1);
  auto bad = h.next(SAKER_EVT_CLONE_20_X,
                    [&](const scap::EventView& v) { return pint(v, "res") == -EINVAL; });
  REQUIRE(bad);
  check_header(bad->view(), SAKER_EVT_CLONE_20_X, this_tid());
  CHECK(puint(bad->view(), "flags") == kClSighand);
  CHECK(psize(bad->view(), "exe") == 0u);  // no new task: no program
  CHECK(psize(bad->view(), "args") == 0u);
  CHECK(pint(bad->view(), "pid") == me);
}

TEST_CASE("live fork, vfork and clone3: parent and child events") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"fork", "vfork", "clone3"}, with_children());
  const pid_t me = getpid();

  long child = syscall(SYS_fork);
  if (child == 0) syscall(SYS_exit_group, 0);
  REQUIRE(child > 0);
  reap(static_cast<pid_t>(child));
  auto fp = h.next(SAKER_EVT_FORK_20_X,
                   [&](const scap::EventView& v) { return pint(v, "res") == child; });
  REQUIRE_MESSAGE(fp, "seen: " << h.seen());
  check_header(fp->view(), SAKER_EVT_FORK_20_X, this_tid());
  check_clone_common(fp->view(), this_tid(), me, getppid());
  CHECK(puint(fp->view(), "flags") == 0u);
  auto fc = h.next(SAKER_EVT_FORK_20_X,
                   [&](const scap::EventView& v) { return static_cast<long>(v.tid()) == child; });
  REQUIRE(fc);
  CHECK(pint(fc->view(), "res") == 0);
  check_clone_common(fc->view(), static_cast<pid_t>(child), static_cast<pid_t>(child), me);

  pid_t vchild = vfork();
  if (vchild == 0) _exit(0);
  REQUIRE(vchild > 0);
  reap(vchild);
  auto vp = h.next(SAKER_EVT_VFORK_20_X,
                   [&](const scap::EventView& v) { return pint(v, "res") == vchild; });
  REQUIRE_MESSAGE(vp, "seen: " << h.seen());
  check_header(vp->view(), SAKER_EVT_VFORK_20_X, this_tid());
  CHECK(puint(vp->view(), "flags") == (kClVfork | kClVm));
  auto vc = h.next(SAKER_EVT_VFORK_20_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == vchild; });
  REQUIRE(vc);
  CHECK(pint(vc->view(), "res") == 0);
  CHECK(pint(vc->view(), "ptid") == me);

  struct {
    std::uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
  } args{};
  pid_t ptid_slot = 0;
  args.flags = CLONE_PARENT_SETTID;
  args.parent_tid = reinterpret_cast<std::uint64_t>(&ptid_slot);
  args.exit_signal = SIGCHLD;
  long c3 = syscall(SYS_clone3, &args, sizeof(args));
  if (c3 == 0) syscall(SYS_exit_group, 0);
  REQUIRE(c3 > 0);
  reap(static_cast<pid_t>(c3));
  CHECK(ptid_slot == c3);
  auto cp =
      h.next(SAKER_EVT_CLONE3_X, [&](const scap::EventView& v) { return pint(v, "res") == c3; });
  REQUIRE_MESSAGE(cp, "seen: " << h.seen());
  check_header(cp->view(), SAKER_EVT_CLONE3_X, this_tid());
  check_clone_common(cp->view(), this_tid(), me, getppid());
  CHECK(puint(cp->view(), "flags") == kClParentSettid);
  auto cc = h.next(SAKER_EVT_CLONE3_X,
                   [&](const scap::EventView& v) { return static_cast<long>(v.tid()) == c3; });
  REQUIRE(cc);
  CHECK(pint(cc->view(), "res") == 0);
  CHECK(puint(cc->view(), "flags") == kClParentSettid);
  check_clone_common(cc->view(), static_cast<pid_t>(c3), static_cast<pid_t>(c3), me);

  // failure: a clone_args size below the first version
  CHECK(syscall(SYS_clone3, &args, 8) == -1);
  auto bad = h.next(SAKER_EVT_CLONE3_X,
                    [&](const scap::EventView& v) { return pint(v, "res") == -EINVAL; });
  REQUIRE(bad);
  CHECK(static_cast<long>(bad->view().tid()) == this_tid());
}

TEST_CASE("live clone3 of a thread (std::thread): both events inside this process") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"clone", "clone3"});
  std::atomic<long> tid{0};
  std::thread t([&] { tid = this_tid(); });
  t.join();
  REQUIRE(tid != 0);
  // glibc creates threads with clone3 (clone on older versions)
  auto is_thread_clone = [](const scap::EventView& v) {
    return v.type() == SAKER_EVT_CLONE3_X || v.type() == SAKER_EVT_CLONE_20_X;
  };
  auto par = h.wait_for(
      [&](const scap::EventView& v) { return is_thread_clone(v) && pint(v, "res") == tid.load(); });
  REQUIRE_MESSAGE(par, "seen: " << h.seen());
  const std::uint16_t type = par->view().type();
  check_header(par->view(), type, this_tid());
  check_clone_common(par->view(), this_tid(), getpid(), getppid());
  const std::uint32_t flags = static_cast<std::uint32_t>(*puint(par->view(), "flags"));
  // PPM_CL_CLONE_THREAD | VM | SIGHAND | FILES | FS
  const std::uint32_t thread_bits = (1u << 13) | kClVm | kClSighand | (1u << 0) | (1u << 1);
  CHECK((flags & thread_bits) == thread_bits);
  auto kid = h.wait_for([&](const scap::EventView& v) {
    return is_thread_clone(v) && static_cast<long>(v.tid()) == tid.load();
  });
  REQUIRE(kid);
  check_header(kid->view(), type, tid);
  CHECK(pint(kid->view(), "res") == 0);
  if (type == SAKER_EVT_CLONE3_X) {
    // the new thread cannot read clone_args (its creator's stack, maybe reused by now): its
    // flags are what the kernel shows it shares, the subset of the parent's with a trace
    constexpr std::uint32_t kTraced = thread_bits | (1u << 23) | (1u << 24) | kClVfork;
    CHECK(puint(kid->view(), "flags") == (flags & kTraced));
  } else {
    CHECK(puint(kid->view(), "flags") == flags);  // clone: flags in a register
  }
  // a thread: its own tid, the process's pid, the process's parent
  check_clone_common(kid->view(), static_cast<pid_t>(tid.load()), getpid(), getppid());
}

TEST_CASE("live fork from a secondary thread: the child's ptid is that thread") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"clone"}, with_children());
  long forker = 0;
  pid_t child = 0;
  std::thread t([&] {
    forker = this_tid();
    child = spawn([] { return 0; });
  });
  t.join();
  REQUIRE(child > 0);
  reap(child);
  auto kid = h.next(SAKER_EVT_CLONE_20_X,
                    [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(kid, "seen: " << h.seen());
  CHECK(pint(kid->view(), "res") == 0);
  CHECK(pint(kid->view(), "ptid") == forker);
  CHECK(forker != getpid());
}

TEST_CASE("live execve: the new program from the task and its file; failure") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"execve"}, with_children());
  pid_t child = spawn([] {
    char* argv[] = {const_cast<char*>("/bin/true"), const_cast<char*>("a1"),
                    const_cast<char*>("a 2"), nullptr};
    char* envp[] = {const_cast<char*>("SAKER_LIVE=1"), const_cast<char*>("OTHER=x"), nullptr};
    execve("/bin/true", argv, envp);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto ev = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(ev, "seen: " << h.seen());
  auto v = ev->view();
  check_header(v, SAKER_EVT_EXECVE_19_X, child);
  CHECK(pint(v, "res") == 0);
  CHECK(pstr(v, "exe") == "/bin/true");
  CHECK(pbytes(v, "args") == std::string("a1\0a 2\0", 7));
  CHECK(pint(v, "tid") == child);
  CHECK(pint(v, "pid") == child);
  CHECK(pint(v, "ptid") == getpid());
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof(cwd)) != nullptr);
  CHECK(pstr(v, "cwd") == std::string(cwd));
  CHECK(pstr(v, "comm") == "true");
  CHECK(pbytes(v, "env") == std::string("SAKER_LIVE=1\0OTHER=x\0", 21));
  CHECK(pint(v, "vpgid") == getpgrp());
  CHECK(pint(v, "pgid") == getpgrp());
  CHECK(puint(v, "loginuid") == std::stoull(slurp("/proc/self/loginuid")));
  std::istringstream pstat(slurp("/proc/self/stat"));
  std::string f;
  for (int i = 0; i < 7; ++i) pstat >> f;  // field 7: tty_nr
  CHECK(puint(v, "tty") == std::stoull(f));
  struct stat st {};
  REQUIRE(stat("/bin/true", &st) == 0);
  char real[4096];
  REQUIRE(realpath("/bin/true", real) != nullptr);
  CHECK(pstr(v, "trusted_exepath") == std::string(real));
  // libs 0.23's 31st parameter, beyond the event table: the path the call was given
  REQUIRE(v.nparams() == 31);
  const auto fn = v.param(30);
  CHECK(std::string(reinterpret_cast<const char*>(fn.data()), fn.size()) ==
        std::string("/bin/true\0", 10));
  CHECK(puint(v, "exe_ino") == st.st_ino);
  CHECK(puint(v, "exe_ino_ctime") == ts_ns(st.st_ctim));
  CHECK(puint(v, "exe_ino_mtime") == ts_ns(st.st_mtim));
  CHECK(puint(v, "flags") == kExeWritable);  // root may write it; not a memfd
  CHECK(puint(v, "uid") == 0u);
  CHECK(puint(v, "gid") == 0u);
  const std::string status = slurp("/proc/self/status");
  CHECK(puint(v, "cap_inheritable") == status_caps(status, "CapInh:"));
  CHECK(puint(v, "cap_permitted") == status_caps(status, "CapPrm:"));
  CHECK(puint(v, "cap_effective") == status_caps(status, "CapEff:"));
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  CHECK(puint(v, "fdlimit") == rl.rlim_cur);

  // failure: exe, args and env are the ones the call was given (the process still runs the
  // old program: its comm, ids...)
  // The strings live on the child's stack: a forked child shares the parent's file-backed
  // pages (string literals) without page table entries until it touches them, and the
  // driver reads user memory without faulting pages in (it cannot, at sys_exit), so an
  // argument in a page the call never touched would be sent empty. Stack pages are present.
  pid_t failing = spawn([] {
    char a0[] = "nc", a1[] = "-e", a2[] = "/bin/sh", e0[] = "A=1", e1[] = "B=2";
    char* argv[] = {a0, a1, a2, nullptr};
    char* envp[] = {e0, e1, nullptr};
    execve("/nonexistent/saker", argv, envp);
    return 3;
  });
  CHECK(WEXITSTATUS(reap(failing)) == 3);
  auto bad = h.next(SAKER_EVT_EXECVE_19_X, [&](const scap::EventView& v) {
    return static_cast<pid_t>(v.tid()) == failing;
  });
  REQUIRE(bad);
  check_header(bad->view(), SAKER_EVT_EXECVE_19_X, failing);
  CHECK(pint(bad->view(), "res") == -ENOENT);
  CHECK(pstr(bad->view(), "exe") == "nc");
  CHECK(pbytes(bad->view(), "args") == std::string("-e\0/bin/sh\0", 11));
  CHECK(pbytes(bad->view(), "env") == std::string("A=1\0B=2\0", 8));
  CHECK(pint(bad->view(), "pid") == failing);
  CHECK(pstr(bad->view(), "comm") == trim_nl(slurp("/proc/self/comm")));
  REQUIRE(bad->view().nparams() == 31);
  const auto bad_fn = bad->view().param(30);
  CHECK(std::string(reinterpret_cast<const char*>(bad_fn.data()), bad_fn.size()) ==
        std::string("/nonexistent/saker\0", 19));
}

// A successful execveat returns to a new program through the execve path: the kernel, and
// so the scap format, report it as an execve exit (only a failed execveat has its own exit
// event). Both are checked.
TEST_CASE("live execve: argv and env beyond 4096 bytes are cut and counted") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"execve"}, with_children());
  const std::string big(6000, 'a'), env = "E=" + std::string(5000, 'e');
  const auto before = h.driver().counters().truncated;
  pid_t child = spawn([&] {
    char* argv[] = {const_cast<char*>("/bin/true"), const_cast<char*>(big.c_str()), nullptr};
    char* envp[] = {const_cast<char*>(env.c_str()), nullptr};
    execve("/bin/true", argv, envp);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto ev = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(ev, "seen: " << h.seen());
  check_header(ev->view(), SAKER_EVT_EXECVE_19_X, child);
  CHECK(pstr(ev->view(), "exe") == "/bin/true");
  // exe and args share the 4096 bytes of the argument area read
  CHECK(pbytes(ev->view(), "args") == big.substr(0, 4096 - std::strlen("/bin/true") - 1));
  CHECK(pbytes(ev->view(), "env") == env.substr(0, 4096));
  CHECK(h.driver().counters().truncated >= before + 2);

  // a long argv[0] (a program given by a long path): exe is all of it, args the rest
  const std::string arg0 = "/" + std::string(700, 'p');
  pid_t c2 = spawn([&] {
    char* argv[] = {const_cast<char*>(arg0.c_str()), const_cast<char*>("x"), nullptr};
    char* envp[] = {nullptr};
    execve("/bin/true", argv, envp);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(c2)) == 0);
  auto e2 = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == c2; });
  REQUIRE(e2);
  CHECK(pstr(e2->view(), "exe") == arg0);
  CHECK(pbytes(e2->view(), "args") == std::string("x\0", 2));
}

TEST_CASE("live execveat: from a dirfd, and from a memfd (fexecve)") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"execve", "execveat"}, with_children());
  pid_t child = spawn([] {
    int d = open("/usr/bin", O_RDONLY | O_DIRECTORY);
    char* argv[] = {const_cast<char*>("true"), nullptr};
    char* envp[] = {nullptr};
    syscall(SYS_execveat, d, "true", argv, envp, 0);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto ev = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(ev, "seen: " << h.seen());
  check_header(ev->view(), SAKER_EVT_EXECVE_19_X, child);
  CHECK(pint(ev->view(), "res") == 0);
  CHECK(pstr(ev->view(), "exe") == "true");
  CHECK(pstr(ev->view(), "trusted_exepath") == "/usr/bin/true");
  CHECK(puint(ev->view(), "flags") == kExeWritable);

  // a copy of /usr/bin/true in a memfd, executed through its descriptor
  const std::string image = slurp("/usr/bin/true");
  REQUIRE(!image.empty());
  int mfd = memfd_create("saker-true", 0);
  REQUIRE(mfd >= 0);
  REQUIRE(write(mfd, image.data(), image.size()) == static_cast<ssize_t>(image.size()));
  struct stat mst {};
  REQUIRE(fstat(mfd, &mst) == 0);
  pid_t mem = spawn([mfd] {
    char* argv[] = {const_cast<char*>("memtrue"), nullptr};
    char* envp[] = {nullptr};
    fexecve(mfd, argv, envp);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(mem)) == 0);
  close(mfd);
  auto me = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == mem; });
  REQUIRE_MESSAGE(me, "seen: " << h.seen());
  CHECK(pint(me->view(), "res") == 0);
  CHECK(pstr(me->view(), "exe") == "memtrue");
  CHECK(puint(me->view(), "flags") == (kExeWritable | kExeFromMemfd));
  // as the kernel names it (/proc/PID/exe) and the scap drivers send it
  CHECK(pstr(me->view(), "trusted_exepath") == "/memfd:saker-true (deleted)");
  CHECK(puint(me->view(), "exe_ino") == mst.st_ino);

  // failure: a bad dirfd (dirty upper half) with a relative name
  pid_t bad = spawn([] {
    char* argv[] = {const_cast<char*>("x"), nullptr};
    syscall(SYS_execveat, dirty32(-1), "true", argv, environ, 0);
    return errno == EBADF ? 4 : 5;
  });
  CHECK(WEXITSTATUS(reap(bad)) == 4);
  auto be = h.next(SAKER_EVT_EXECVEAT_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == bad; });
  REQUIRE(be);
  check_header(be->view(), SAKER_EVT_EXECVEAT_X, bad);
  CHECK(pint(be->view(), "res") == -EBADF);
}

namespace {

// Copies /usr/bin/true to `to` (mode 0755).
void copy_true(const std::filesystem::path& to) {
  std::filesystem::copy_file("/usr/bin/true", to,
                             std::filesystem::copy_options::overwrite_existing);
  REQUIRE(chmod(to.c_str(), 0755) == 0);
}

// A temporary directory, removed (after unmounting `mounted`) at scope exit.
struct TempTree {
  std::filesystem::path root;
  std::filesystem::path mounted;
  TempTree() {
    char tmpl[] = "/tmp/saker-live-exe-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    root = tmpl;
  }
  ~TempTree() {
    if (!mounted.empty()) umount2(mounted.c_str(), MNT_DETACH);
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
};

}  // namespace

TEST_CASE("live execve flags: overlayfs upper and lower layer, deleted file, not writable") {
  SKIP_UNLESS_ROOT();
  TempTree t;
  const auto lower = t.root / "lower", upper = t.root / "upper", work = t.root / "work",
             merged = t.root / "merged";
  for (const auto& d : {lower, upper, work, merged}) std::filesystem::create_directory(d);
  copy_true(lower / "lowtrue");   // the image's layer
  copy_true(lower / "modtrue");   // in the image, then changed in the container
  copy_true(upper / "uptrue");    // added in the container
  const std::string opts =
      "lowerdir=" + lower.string() + ",upperdir=" + upper.string() + ",workdir=" + work.string();
  if (mount("overlay", merged.c_str(), "overlay", 0, opts.c_str()) != 0) {
    MESSAGE("overlay mount failed (" << std::strerror(errno) << "): overlay checks skipped");
    return;
  }
  t.mounted = merged;
  // a metadata change through the overlay copies the file up to the upper layer
  REQUIRE(chmod((merged / "modtrue").c_str(), 0775) == 0);
  copy_true(t.root / "gone");

  LiveHarness h({"execve", "execveat"}, with_children());
  auto low = exec_and_get(h, (merged / "lowtrue").string());
  REQUIRE_MESSAGE(low, "seen: " << h.seen());
  CHECK(puint(low->view(), "flags") == (kExeWritable | kExeLowerLayer));
  CHECK(pstr(low->view(), "trusted_exepath") == (merged / "lowtrue").string());
  auto up = exec_and_get(h, (merged / "uptrue").string());
  REQUIRE_MESSAGE(up, "seen: " << h.seen());
  CHECK(puint(up->view(), "flags") == (kExeWritable | kExeUpperLayer));
  auto mod = exec_and_get(h, (merged / "modtrue").string());
  REQUIRE_MESSAGE(mod, "seen: " << h.seen());
  CHECK(puint(mod->view(), "flags") == (kExeWritable | kExeUpperLayer));
  // the layers themselves are no overlay
  auto plain = exec_and_get(h, (upper / "uptrue").string());
  REQUIRE_MESSAGE(plain, "seen: " << h.seen());
  CHECK(puint(plain->view(), "flags") == kExeWritable);

  // a file unlinked before it is run (through a descriptor): " (deleted)", as in /proc
  const std::string gone = (t.root / "gone").string();
  int fd = open(gone.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(unlink(gone.c_str()) == 0);
  pid_t del = spawn([fd] {
    char* argv[] = {const_cast<char*>("gone"), nullptr};
    char* envp[] = {nullptr};
    syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
    return 99;
  });
  CHECK(WEXITSTATUS(reap(del)) == 0);
  close(fd);
  auto de = h.next(SAKER_EVT_EXECVE_19_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == del; });
  REQUIRE_MESSAGE(de, "seen: " << h.seen());
  CHECK(pstr(de->view(), "trusted_exepath") == gone + " (deleted)");
  CHECK(puint(de->view(), "flags") == kExeWritable);

  // run by nobody: /usr/bin/true (root's, 0755) is not writable
  auto ne = exec_and_get(h, "/usr/bin/true", [] {
    return setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0 ? 98 : 0;
  });
  REQUIRE_MESSAGE(ne, "seen: " << h.seen());
  CHECK(puint(ne->view(), "flags") == 0u);
}
