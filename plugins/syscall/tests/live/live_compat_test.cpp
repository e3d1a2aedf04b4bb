// Live driver, compat-mode syscalls (root): `int $0x80` from this 64-bit process runs the
// i386 syscall of that number with 32-bit arguments in ebx, ecx, edx, esi, edi. The driver
// must report it as the x86_64 syscall it is (i386 open = 5 is x86_64 fstat, i386 execve =
// 11 is x86_64 munmap: read naively, an int $0x80 open would go unseen), read its arguments
// from the compat registers, and report nothing for an i386 syscall with no x86_64
// counterpart (socketcall) rather than something wrong.
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

constexpr long kIa32Open = 5, kIa32Execve = 11, kIa32Getpid = 20, kIa32Kill = 37;
constexpr long kIa32Socketcall = 102;

// Garbage in the upper half of a register: a compat syscall only uses the low 32 bits.
constexpr unsigned long kHigh = 0x5a5a5a5a00000000ul;

long int80(long nr, unsigned long a = 0, unsigned long b = 0, unsigned long c = 0) {
  long r;
  asm volatile("int $0x80"
               : "=a"(r)
               : "a"(nr), "b"(a), "c"(b), "d"(c)
               : "r8", "r9", "r10", "r11", "memory", "cc");
  return r;
}

// Memory below 2 GiB, where a 32-bit pointer can reach.
struct LowMemory {
  char* p = static_cast<char*>(
      mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0));
  ~LowMemory() { munmap(p, 4096); }
  unsigned long put(std::size_t at, const std::string& s) {
    std::memcpy(p + at, s.c_str(), s.size() + 1);
    return reinterpret_cast<unsigned long>(p + at);
  }
};

bool ia32_available() {
  pid_t p = fork();
  if (p == 0) {
    signal(SIGSEGV, SIG_DFL);
    _exit(int80(kIa32Getpid) == getpid() ? 0 : 1);
  }
  int st = 0;
  waitpid(p, &st, 0);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

}  // namespace

TEST_CASE("live compat (int $0x80): open, execve, kill and generic events by their x86_64 names") {
  SKIP_UNLESS_ROOT();
  if (!ia32_available()) {
    MESSAGE("skipped: the kernel runs no ia32 syscalls (IA32 emulation off)");
    return;
  }
  LiveHarness h({"open", "fstat", "execve", "munmap", "kill", "getpid", "writev", "getuid"});
  LowMemory low;
  REQUIRE(low.p != MAP_FAILED);
  TempDir dir;
  const std::string path = dir / "compat";
  close(open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));

  h.drain();
  const long fd = int80(kIa32Open, kHigh | low.put(0, path), kHigh | O_RDONLY);
  REQUIRE(fd >= 0);
  auto op = h.next(SAKER_EVT_OPEN_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE_MESSAGE(op, "no open event for an int $0x80 open; seen: " << h.seen());
  check_header(op->view(), SAKER_EVT_OPEN_X, this_tid());
  CHECK(pstr(op->view(), "name") == path);
  CHECK(puint(op->view(), "flags") == 1u);  // PPM_O_RDONLY
  struct stat st {};
  REQUIRE(fstat(static_cast<int>(fd), &st) == 0);
  CHECK(puint(op->view(), "ino") == st.st_ino);
  close(static_cast<int>(fd));
  CHECK(int80(kIa32Open, low.put(1024, dir / "missing"), O_RDONLY) == -ENOENT);
  auto opf =
      h.next(SAKER_EVT_OPEN_X, [](const scap::EventView& v) { return pint(v, "fd") == -ENOENT; });
  REQUIRE(opf);
  CHECK(pstr(opf->view(), "name") == dir / "missing");

  // a failing execve (the i386 number is x86_64 munmap's); argv of 32-bit pointers
  const std::uint32_t s0 = static_cast<std::uint32_t>(low.put(2560, "prog"));
  const std::uint32_t s1 = static_cast<std::uint32_t>(low.put(2600, "arg1"));
  const std::uint32_t vec[3] = {s0, s1, 0};
  std::memcpy(low.p + 2048, vec, sizeof(vec));
  const unsigned long argv = reinterpret_cast<unsigned long>(low.p + 2048);
  const unsigned long envp = argv + 8;  // {NULL}
  CHECK(int80(kIa32Execve, low.put(3072, "/nonexistent/saker"), argv, envp) == -ENOENT);
  auto ex = h.next(SAKER_EVT_EXECVE_19_X);
  REQUIRE_MESSAGE(ex, "no execve event for an int $0x80 execve; seen: " << h.seen());
  check_header(ex->view(), SAKER_EVT_EXECVE_19_X, this_tid());
  CHECK(pint(ex->view(), "res") == -ENOENT);
  CHECK(pstr(ex->view(), "exe") == "prog");
  CHECK(pbytes(ex->view(), "args") == std::string("arg1\0", 5));
  CHECK(pbytes(ex->view(), "env").empty());

  CHECK(int80(kIa32Kill, kHigh | static_cast<unsigned long>(getpid()), 0) == 0);
  auto k = h.next(SAKER_EVT_KILL_X);
  REQUIRE(k);
  CHECK(pint(k->view(), "res") == 0);
  CHECK(pint(k->view(), "pid") == getpid());
  CHECK(puint(k->view(), "sig") == 0u);

  // generic: i386 getpid (20) is x86_64 getpid (39), not writev (20)
  const long me = getpid();
  h.drain();
  CHECK(int80(kIa32Getpid) == me);
  auto g = h.next(SAKER_EVT_GENERIC_X);
  REQUIRE(g);
  check_header(g->view(), SAKER_EVT_GENERIC_X, this_tid());
  CHECK(puint(g->view(), "ID") == scap_code("getpid"));
  CHECK(puint(g->view(), "nativeID") == 39u);
  // socketcall has no x86_64 counterpart: nothing is sent (read naively, it would be a
  // getuid, x86_64 102): of the two calls below only the real getuid is reported
  h.drain();
  CHECK(int80(kIa32Socketcall, 9999, 0) < 0);
  getuid();
  auto is_getuid = [](const scap::EventView& v) { return puint(v, "nativeID") == 102u; };
  auto u = h.next(SAKER_EVT_GENERIC_X, is_getuid);
  REQUIRE(u);
  CHECK(puint(u->view(), "ID") == scap_code("getuid"));
  CHECK(!h.next(SAKER_EVT_GENERIC_X, is_getuid, 200));
  h.drain();
  CHECK(h.seen().find("fstat") == std::string::npos);
  CHECK(h.seen().find("munmap") == std::string::npos);
  CHECK(h.seen().find("writev") == std::string::npos);
}
