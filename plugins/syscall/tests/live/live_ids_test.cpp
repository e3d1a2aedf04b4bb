// Live driver, identity and process-control syscalls (root): the set*id family (32-bit ids,
// -1 in dirty registers), setsid/setpgid, capset, prctl, unshare, setns, ptrace (attach,
// peek, detach), kill/tkill/tgkill and chdir/fchdir/chroot. Children, where a call would
// change this process for good, are followed through the driver's target_children option
// and reaped before the test ends.
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
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
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>

#include "live_children.h"
#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

extern char** environ;

namespace {

constexpr std::uint32_t kClNewuts = 1u << 7;  // PPM_CL_CLONE_NEWUTS

}  // namespace

TEST_CASE("live setuid family: 32-bit ids, success and failure") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"setuid", "setgid", "setresuid", "setresgid", "setsid", "setpgid"},
                with_children());
  REQUIRE(setuid(0) == 0);
  auto su = h.next(SAKER_EVT_SETUID_X);
  REQUIRE_MESSAGE(su, "seen: " << h.seen());
  check_header(su->view(), SAKER_EVT_SETUID_X, this_tid());
  CHECK(pint(su->view(), "res") == 0);
  CHECK(puint(su->view(), "uid") == 0u);
  // uid -1 in a dirty 64-bit register: EINVAL, the event's uid is 0xFFFFFFFF
  CHECK(syscall(SYS_setuid, dirty32(-1)) == -1);
  auto suf = h.next(SAKER_EVT_SETUID_X);
  REQUIRE(suf);
  CHECK(pint(suf->view(), "res") == -EINVAL);
  CHECK(puint(suf->view(), "uid") == 0xFFFFFFFFu);
  CHECK(syscall(SYS_setgid, dirty32(-1)) == -1);
  auto sgf = h.next(SAKER_EVT_SETGID_X);
  REQUIRE(sgf);
  check_header(sgf->view(), SAKER_EVT_SETGID_X, this_tid());
  CHECK(pint(sgf->view(), "res") == -EINVAL);
  CHECK(puint(sgf->view(), "gid") == 0xFFFFFFFFu);

  // -1 means "unchanged": success
  CHECK(syscall(SYS_setresuid, dirty32(-1), dirty32(-1), 0) == 0);
  auto sr = h.next(SAKER_EVT_SETRESUID_X);
  REQUIRE(sr);
  check_header(sr->view(), SAKER_EVT_SETRESUID_X, this_tid());
  CHECK(pint(sr->view(), "res") == 0);
  CHECK(puint(sr->view(), "ruid") == 0xFFFFFFFFu);
  CHECK(puint(sr->view(), "euid") == 0xFFFFFFFFu);
  CHECK(puint(sr->view(), "suid") == 0u);
  CHECK(setresgid(0, 0, 0) == 0);
  auto sg = h.next(SAKER_EVT_SETRESGID_X);
  REQUIRE(sg);
  CHECK(pint(sg->view(), "res") == 0);
  CHECK(puint(sg->view(), "rgid") == 0u);
  CHECK(puint(sg->view(), "egid") == 0u);
  CHECK(puint(sg->view(), "sgid") == 0u);

  // setsid in a child: its new session id; setpgid: success in the child, ESRCH for a
  // pid that does not exist
  pid_t child = spawn([] {
    if (setsid() < 0) return 1;
    return 0;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto ss = h.next(SAKER_EVT_SETSID_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(ss, "seen: " << h.seen());
  check_header(ss->view(), SAKER_EVT_SETSID_X, child);
  CHECK(pint(ss->view(), "res") == child);
  pid_t pg = spawn([] { return setpgid(0, 0) == 0 ? 0 : 1; });
  CHECK(WEXITSTATUS(reap(pg)) == 0);
  auto sp = h.next(SAKER_EVT_SETPGID_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == pg; });
  REQUIRE(sp);
  check_header(sp->view(), SAKER_EVT_SETPGID_X, pg);
  CHECK(pint(sp->view(), "res") == 0);
  CHECK(pint(sp->view(), "pid") == 0);
  CHECK(pint(sp->view(), "pgid") == 0);
  CHECK(setpgid(0x3fffffff, 0) == -1);
  auto spf = h.next(SAKER_EVT_SETPGID_X,
                    [&](const scap::EventView& v) { return pint(v, "res") == -ESRCH; });
  REQUIRE(spf);
  CHECK(pint(spf->view(), "pid") == 0x3fffffff);
}

TEST_CASE("live capset and prctl") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"capset", "prctl"});
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  REQUIRE(syscall(SYS_capget, &hdr, data) == 0);
  REQUIRE(syscall(SYS_capset, &hdr, data) == 0);
  auto cs = h.next(SAKER_EVT_CAPSET_X);
  REQUIRE_MESSAGE(cs, "seen: " << h.seen());
  check_header(cs->view(), SAKER_EVT_CAPSET_X, this_tid());
  CHECK(pint(cs->view(), "res") == 0);
  auto caps = [&](int which) {
    const std::uint64_t lo = which == 0   ? data[0].inheritable
                             : which == 1 ? data[0].permitted
                                          : data[0].effective;
    const std::uint64_t hi = which == 0   ? data[1].inheritable
                             : which == 1 ? data[1].permitted
                                          : data[1].effective;
    return lo | (hi << 32);
  };
  CHECK(puint(cs->view(), "cap_inheritable") == caps(0));
  CHECK(puint(cs->view(), "cap_permitted") == caps(1));
  CHECK(puint(cs->view(), "cap_effective") == caps(2));
  __user_cap_header_struct bad{0x12345, 0};
  CHECK(syscall(SYS_capset, &bad, data) == -1);
  auto csf = h.next(SAKER_EVT_CAPSET_X);
  REQUIRE(csf);
  CHECK(pint(csf->view(), "res") == -EINVAL);

  char old[16] = {};
  REQUIRE(prctl(PR_GET_NAME, old) == 0);
  auto pg = h.next(SAKER_EVT_PRCTL_X);
  REQUIRE_MESSAGE(pg, "seen: " << h.seen());
  check_header(pg->view(), SAKER_EVT_PRCTL_X, this_tid());
  CHECK(pint(pg->view(), "res") == 0);
  CHECK(puint(pg->view(), "option") == static_cast<std::uint64_t>(PR_GET_NAME));
  CHECK(pstr(pg->view(), "arg2_str") == std::string(old));
  CHECK(psize(pg->view(), "arg2_int") == 0u);
  REQUIRE(prctl(PR_SET_NAME, "saker-prctl") == 0);
  auto ps = h.next(SAKER_EVT_PRCTL_X);
  REQUIRE(ps);
  CHECK(puint(ps->view(), "option") == static_cast<std::uint64_t>(PR_SET_NAME));
  CHECK(pstr(ps->view(), "arg2_str") == "saker-prctl");
  prctl(PR_SET_NAME, old);
  h.next(SAKER_EVT_PRCTL_X);
  REQUIRE(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  auto sr = h.next(SAKER_EVT_PRCTL_X);
  REQUIRE(sr);
  CHECK(puint(sr->view(), "option") == static_cast<std::uint64_t>(PR_SET_CHILD_SUBREAPER));
  CHECK(psize(sr->view(), "arg2_str") == 0u);
  CHECK(pint(sr->view(), "arg2_int") == 1);
  int reaper = 0;
  REQUIRE(prctl(PR_GET_CHILD_SUBREAPER, &reaper) == 0);
  auto gr = h.next(SAKER_EVT_PRCTL_X);
  REQUIRE(gr);
  CHECK(pint(gr->view(), "arg2_int") == 1);  // the value read back, not the pointer
  prctl(PR_SET_CHILD_SUBREAPER, 0);
  h.next(SAKER_EVT_PRCTL_X);
  CHECK(prctl(0x7fff, 42) == -1);
  auto pf = h.next(SAKER_EVT_PRCTL_X);
  REQUIRE(pf);
  CHECK(pint(pf->view(), "res") == -EINVAL);
  CHECK(puint(pf->view(), "option") == 0x7fffu);
  CHECK(pint(pf->view(), "arg2_int") == 42);
}

TEST_CASE("live unshare and setns") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"unshare", "setns"}, with_children());
  pid_t child = spawn([] { return unshare(CLONE_NEWUTS) == 0 ? 0 : 1; });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto us = h.next(SAKER_EVT_UNSHARE_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(us, "seen: " << h.seen());
  check_header(us->view(), SAKER_EVT_UNSHARE_X, child);
  CHECK(pint(us->view(), "res") == 0);
  CHECK(puint(us->view(), "flags") == kClNewuts);
  CHECK(unshare(CLONE_NEWUTS | 0x1) == -1);  // a CSIGNAL bit: refused
  auto uf = h.next(SAKER_EVT_UNSHARE_X,
                   [&](const scap::EventView& v) { return pint(v, "res") == -EINVAL; });
  REQUIRE(uf);
  CHECK(puint(uf->view(), "flags") == kClNewuts);

  int ns = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
  REQUIRE(ns >= 0);
  REQUIRE(setns(ns, CLONE_NEWUTS) == 0);  // joining our own namespace
  auto sn = h.next(SAKER_EVT_SETNS_X);
  REQUIRE(sn);
  check_header(sn->view(), SAKER_EVT_SETNS_X, this_tid());
  CHECK(pint(sn->view(), "res") == 0);
  CHECK(pint(sn->view(), "fd") == ns);
  CHECK(puint(sn->view(), "nstype") == kClNewuts);
  close(ns);
  CHECK(syscall(SYS_setns, dirty32(-1), CLONE_NEWUTS) == -1);
  auto snf = h.next(SAKER_EVT_SETNS_X);
  REQUIRE(snf);
  CHECK(pint(snf->view(), "res") == -EBADF);
  CHECK(pint(snf->view(), "fd") == -1);
}

TEST_CASE("live ptrace attach/detach and kill, tkill, tgkill") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"ptrace", "kill", "tkill", "tgkill"}, with_children());
  pid_t child = spawn([] {
    for (;;) pause();
    return 0;
  });
  ChildGuard guard{child};
  REQUIRE(ptrace(PTRACE_ATTACH, child, nullptr, nullptr) == 0);
  int st = 0;
  REQUIRE(waitpid(child, &st, 0) == child);
  auto at =
      h.next(SAKER_EVT_PTRACE_X, [&](const scap::EventView& v) { return pint(v, "pid") == child; });
  REQUIRE_MESSAGE(at, "seen: " << h.seen());
  check_header(at->view(), SAKER_EVT_PTRACE_X, this_tid());
  CHECK(pint(at->view(), "res") == 0);
  CHECK(puint(at->view(), "request") == 11u);                 // PPM_PTRACE_ATTACH
  CHECK(pbytes(at->view(), "addr") == std::string(9, '\0'));  // UINT64 selector, 0
  CHECK(pbytes(at->view(), "data") == std::string(9, '\0'));
  // PEEKDATA: the data parameter is the word read, not the pointer
  static const std::uint64_t kWord = 0x1122334455667788ull;
  errno = 0;
  const long word = ptrace(PTRACE_PEEKDATA, child, &kWord, nullptr);
  REQUIRE(errno == 0);
  REQUIRE(static_cast<std::uint64_t>(word) == kWord);
  auto pk = h.next(SAKER_EVT_PTRACE_X,
                   [&](const scap::EventView& v) { return puint(v, "request") == 3u; });
  REQUIRE(pk);
  CHECK(pint(pk->view(), "res") == 0);
  const std::string addr = pbytes(pk->view(), "addr");
  REQUIRE(addr.size() == 9u);
  CHECK(addr[0] == 0);
  std::uint64_t got = 0;
  std::memcpy(&got, addr.data() + 1, 8);
  CHECK(got == reinterpret_cast<std::uint64_t>(&kWord));
  const std::string data = pbytes(pk->view(), "data");
  REQUIRE(data.size() == 9u);
  std::memcpy(&got, data.data() + 1, 8);
  CHECK(got == kWord);
  REQUIRE(ptrace(PTRACE_DETACH, child, nullptr, nullptr) == 0);
  auto de =
      h.next(SAKER_EVT_PTRACE_X, [&](const scap::EventView& v) { return pint(v, "pid") == child; });
  REQUIRE(de);
  CHECK(puint(de->view(), "request") == 12u);                       // PPM_PTRACE_DETACH
  CHECK(pbytes(de->view(), "data") == std::string("\x01\x00", 2));  // SIGTYPE selector, no signal
  CHECK(ptrace(PTRACE_ATTACH, 0x3fffffff, reinterpret_cast<void*>(0x1234),
               reinterpret_cast<void*>(0x5678)) == -1);
  auto af = h.next(SAKER_EVT_PTRACE_X,
                   [&](const scap::EventView& v) { return pint(v, "res") == -ESRCH; });
  REQUIRE(af);
  CHECK(pint(af->view(), "pid") == 0x3fffffff);
  CHECK(pbytes(af->view(), "addr") == std::string(9, '\0'));  // a failed call: 0, 0
  CHECK(pbytes(af->view(), "data") == std::string(9, '\0'));

  // kill with the pid in a dirty register
  REQUIRE(syscall(SYS_kill, dirty32(child), SIGTERM) == 0);
  reap(child);
  guard.reaped = true;
  auto k =
      h.next(SAKER_EVT_KILL_X, [&](const scap::EventView& v) { return pint(v, "pid") == child; });
  REQUIRE_MESSAGE(k, "seen: " << h.seen());
  check_header(k->view(), SAKER_EVT_KILL_X, this_tid());
  CHECK(pint(k->view(), "res") == 0);
  CHECK(puint(k->view(), "sig") == static_cast<std::uint64_t>(SIGTERM));
  CHECK(kill(0x3fffffff, 0) == -1);
  auto kf =
      h.next(SAKER_EVT_KILL_X, [&](const scap::EventView& v) { return pint(v, "res") == -ESRCH; });
  REQUIRE(kf);
  CHECK(pint(kf->view(), "pid") == 0x3fffffff);
  CHECK(puint(kf->view(), "sig") == 0u);

  REQUIRE(syscall(SYS_tkill, this_tid(), 0) == 0);
  auto mine = [](const scap::EventView& v) { return static_cast<long>(v.tid()) == this_tid(); };
  auto tk = h.next(SAKER_EVT_TKILL_X, mine);
  REQUIRE(tk);
  check_header(tk->view(), SAKER_EVT_TKILL_X, this_tid());
  CHECK(pint(tk->view(), "res") == 0);
  CHECK(pint(tk->view(), "tid") == this_tid());
  CHECK(puint(tk->view(), "sig") == 0u);
  REQUIRE(syscall(SYS_tgkill, getpid(), this_tid(), 0) == 0);
  auto tg = h.next(SAKER_EVT_TGKILL_X, mine);
  REQUIRE(tg);
  check_header(tg->view(), SAKER_EVT_TGKILL_X, this_tid());
  CHECK(pint(tg->view(), "res") == 0);
  CHECK(pint(tg->view(), "pid") == getpid());
  CHECK(pint(tg->view(), "tid") == this_tid());
  CHECK(syscall(SYS_tgkill, getpid(), 0x3fffffff, SIGUSR1) == -1);
  auto tgf = h.next(SAKER_EVT_TGKILL_X, mine);
  REQUIRE(tgf);
  CHECK(pint(tgf->view(), "res") == -ESRCH);
  CHECK(pint(tgf->view(), "tid") == 0x3fffffff);
  CHECK(puint(tgf->view(), "sig") == static_cast<std::uint64_t>(SIGUSR1));
}

TEST_CASE("live chdir, fchdir and chroot") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"chdir", "fchdir", "chroot", "openat"}, with_children());
  TempDir dir;
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof(cwd)) != nullptr);
  REQUIRE(chdir(dir.path().c_str()) == 0);
  auto cd = h.next(SAKER_EVT_CHDIR_X);
  REQUIRE_MESSAGE(cd, "seen: " << h.seen());
  check_header(cd->view(), SAKER_EVT_CHDIR_X, this_tid());
  CHECK(pint(cd->view(), "res") == 0);
  CHECK(pstr(cd->view(), "path") == dir.path());
  CHECK(chdir("missing-dir") == -1);
  auto cdf = h.next(SAKER_EVT_CHDIR_X);
  REQUIRE(cdf);
  CHECK(pint(cdf->view(), "res") == -ENOENT);
  CHECK(pstr(cdf->view(), "path") == "missing-dir");
  int back = open(cwd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(back >= 0);
  REQUIRE(fchdir(back) == 0);
  auto fc = h.next(SAKER_EVT_FCHDIR_X);
  REQUIRE(fc);
  check_header(fc->view(), SAKER_EVT_FCHDIR_X, this_tid());
  CHECK(pint(fc->view(), "res") == 0);
  CHECK(pint(fc->view(), "fd") == back);
  close(back);
  CHECK(syscall(SYS_fchdir, dirty32(-1)) == -1);
  auto fcf = h.next(SAKER_EVT_FCHDIR_X);
  REQUIRE(fcf);
  CHECK(pint(fcf->view(), "res") == -EBADF);
  CHECK(pint(fcf->view(), "fd") == -1);

  const std::string root = dir.path();
  close(open((root + "/inner").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  pid_t child = spawn([&root] {
    if (chroot(root.c_str()) != 0) return 1;
    if (chroot("/missing") != -1 || errno != ENOENT) return 2;
    // inside the chroot, a path is the one the process sees
    int fd = openat(AT_FDCWD, "/inner", O_RDONLY | O_CLOEXEC);
    return fd >= 0 ? 0 : 3;
  });
  CHECK(WEXITSTATUS(reap(child)) == 0);
  auto cr = h.next(SAKER_EVT_CHROOT_X,
                   [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE_MESSAGE(cr, "seen: " << h.seen());
  check_header(cr->view(), SAKER_EVT_CHROOT_X, child);
  CHECK(pint(cr->view(), "res") == 0);
  CHECK(pstr(cr->view(), "path") == root);
  auto crf = h.next(SAKER_EVT_CHROOT_X,
                    [&](const scap::EventView& v) { return static_cast<pid_t>(v.tid()) == child; });
  REQUIRE(crf);
  CHECK(pint(crf->view(), "res") == -ENOENT);
  CHECK(pstr(crf->view(), "path") == "/missing");
  auto in = h.next(SAKER_EVT_OPENAT_2_X, [&](const scap::EventView& v) {
    return static_cast<pid_t>(v.tid()) == child && pint(v, "fd") >= 0;
  });
  REQUIRE_MESSAGE(in, "seen: " << h.seen());
  CHECK(pstr(in->view(), "name") == "/inner");  // not the host path root + "/inner"
}
