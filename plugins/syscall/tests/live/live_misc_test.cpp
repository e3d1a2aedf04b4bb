// Live driver, kernel-facing syscalls (root): memory (mmap/mprotect with PROT_EXEC), memfd,
// kernel modules (failing: no module support here), bpf, userfaultfd, io_uring, and generic
// events for untabled syscalls.
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

auto res_is(long r) {
  return [r](const scap::EventView& v) { return pint(v, "res") == r; };
}
auto fd_is(long r) {
  return [r](const scap::EventView& v) { return pint(v, "fd") == r; };
}
// VmSize of this process in KiB, read without allocating (no new mapping in between).
std::uint64_t vm_size_kb() {
  char buf[8192];
  int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  buf[n > 0 ? n : 0] = 0;
  const char* at = std::strstr(buf, "VmSize:");
  return at ? std::strtoull(at + 7, nullptr, 10) : 0;
}

constexpr std::uint32_t kPpmRdonly = 1u << 0, kPpmNonblock = 1u << 6, kPpmCloexec = 1u << 12;

}  // namespace

TEST_CASE("live mmap and mprotect with PROT_EXEC") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"mmap", "mprotect"});
  h.drain();
  long addr = syscall(SYS_mmap, 0, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                      dirty32(-1), 0);
  const std::uint64_t vm = vm_size_kb();
  REQUIRE(addr > 0);
  auto mm = h.next(SAKER_EVT_MMAP_X, res_is(addr));
  REQUIRE_MESSAGE(mm, "seen: " << h.seen());
  auto v = mm->view();
  check_header(v, SAKER_EVT_MMAP_X, this_tid());
  CHECK(puint(v, "addr") == 0u);
  CHECK(puint(v, "length") == 8192u);
  CHECK(puint(v, "prot") == (1u | 4u));                 // PPM_PROT_READ | PPM_PROT_EXEC
  CHECK(puint(v, "flags") == ((1u << 1) | (1u << 3)));  // PPM_MAP_PRIVATE | ANONYMOUS
  CHECK(pint(v, "fd") == -1);
  CHECK(puint(v, "offset") == 0u);
  CHECK(*puint(v, "vm_size") + 64 >= vm);  // after the mapping (KiB), as /proc says
  CHECK(*puint(v, "vm_size") <= vm + 64);
  CHECK(puint(v, "vm_rss") > 0u);
  CHECK(mprotect(reinterpret_cast<void*>(addr), 4096, PROT_READ | PROT_WRITE | PROT_EXEC) == 0);
  auto mp = h.next(SAKER_EVT_MPROTECT_X);
  REQUIRE(mp);
  check_header(mp->view(), SAKER_EVT_MPROTECT_X, this_tid());
  CHECK(pint(mp->view(), "res") == 0);
  CHECK(puint(mp->view(), "addr") == static_cast<std::uint64_t>(addr));
  CHECK(puint(mp->view(), "length") == 4096u);
  CHECK(puint(mp->view(), "prot") == 7u);
  // failures: an unaligned address; a zero length
  CHECK(mprotect(reinterpret_cast<void*>(addr + 1), 4096, PROT_EXEC) == -1);
  auto mpf = h.next(SAKER_EVT_MPROTECT_X, res_is(-EINVAL));
  REQUIRE(mpf);
  CHECK(puint(mpf->view(), "addr") == static_cast<std::uint64_t>(addr + 1));
  CHECK(puint(mpf->view(), "prot") == 4u);
  CHECK(mmap(nullptr, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED);
  auto mmf = h.next(SAKER_EVT_MMAP_X, res_is(-EINVAL));
  REQUIRE(mmf);
  CHECK(puint(mmf->view(), "length") == 0u);
  munmap(reinterpret_cast<void*>(addr), 8192);
}

TEST_CASE("live memfd_create, failing module syscalls, bpf and userfaultfd") {
  SKIP_UNLESS_ROOT();
  LiveHarness h(
      {"memfd_create", "init_module", "finit_module", "delete_module", "bpf", "userfaultfd"});
  int m = memfd_create("saker-m", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  REQUIRE(m >= 0);
  auto me = h.next(SAKER_EVT_MEMFD_CREATE_X, fd_is(m));
  REQUIRE_MESSAGE(me, "seen: " << h.seen());
  check_header(me->view(), SAKER_EVT_MEMFD_CREATE_X, this_tid());
  CHECK(pstr(me->view(), "name") == "saker-m");
  CHECK(puint(me->view(), "flags") == 3u);  // PPM_MFD_CLOEXEC | ALLOW_SEALING
  CHECK(memfd_create("bad", 0x40000000u) == -1);
  auto mef = h.next(SAKER_EVT_MEMFD_CREATE_X, fd_is(-EINVAL));
  REQUIRE(mef);
  CHECK(pstr(mef->view(), "name") == "bad");

  // modules: the kernel has no module support, so each call fails; that failure is checked
  std::string image(200, '\x7f');
  long r = syscall(SYS_init_module, image.data(), image.size(), "opt=1");
  REQUIRE(r == -1);
  const long err = -errno;
  auto im = h.next(SAKER_EVT_INIT_MODULE_X);
  REQUIRE_MESSAGE(im, "seen: " << h.seen());
  check_header(im->view(), SAKER_EVT_INIT_MODULE_X, this_tid());
  CHECK(pint(im->view(), "res") == err);
  CHECK(pbytes(im->view(), "img") == image.substr(0, 80));  // cut at snaplen
  CHECK(puint(im->view(), "length") == 200u);
  CHECK(pstr(im->view(), "uargs") == "opt=1");
  REQUIRE(syscall(SYS_finit_module, m, "x=2", 2 /* MODULE_INIT_IGNORE_VERMAGIC */) == -1);
  auto fm = h.next(SAKER_EVT_FINIT_MODULE_X);
  REQUIRE(fm);
  check_header(fm->view(), SAKER_EVT_FINIT_MODULE_X, this_tid());
  CHECK(pint(fm->view(), "res") == -errno);
  CHECK(pint(fm->view(), "fd") == m);
  CHECK(pstr(fm->view(), "uargs") == "x=2");
  CHECK(puint(fm->view(), "flags") == 2u);
  REQUIRE(syscall(SYS_delete_module, "saker_none", O_NONBLOCK | O_TRUNC) == -1);
  auto dm = h.next(SAKER_EVT_DELETE_MODULE_X);
  REQUIRE(dm);
  check_header(dm->view(), SAKER_EVT_DELETE_MODULE_X, this_tid());
  CHECK(pint(dm->view(), "res") == -errno);
  CHECK(pstr(dm->view(), "name") == "saker_none");
  CHECK(puint(dm->view(), "flags") == 3u);  // PPM O_TRUNC | O_NONBLOCK
  close(m);

  bpf_attr attr{};
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 8;
  attr.max_entries = 1;
  long bfd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
  REQUIRE(bfd >= 0);
  auto be = h.next(SAKER_EVT_BPF_2_X, fd_is(bfd));
  REQUIRE_MESSAGE(be, "seen: " << h.seen());
  check_header(be->view(), SAKER_EVT_BPF_2_X, this_tid());
  CHECK(puint(be->view(), "cmd") == 0u);
  close(static_cast<int>(bfd));
  CHECK(syscall(SYS_bpf, 9999, &attr, sizeof(attr)) == -1);
  auto bef = h.next(SAKER_EVT_BPF_2_X, fd_is(-EINVAL));
  REQUIRE(bef);
  CHECK(puint(bef->view(), "cmd") == 9999u);

  long u = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
  REQUIRE(u >= 0);
  auto ue = h.next(SAKER_EVT_USERFAULTFD_X, res_is(u));
  REQUIRE(ue);
  check_header(ue->view(), SAKER_EVT_USERFAULTFD_X, this_tid());
  CHECK(puint(ue->view(), "flags") == (kPpmRdonly | kPpmNonblock | kPpmCloexec));
  close(static_cast<int>(u));
  CHECK(syscall(SYS_userfaultfd, 0x7fff) == -1);
  auto uf = h.next(SAKER_EVT_USERFAULTFD_X, res_is(-EINVAL));
  REQUIRE(uf);
}

TEST_CASE("live io_uring_setup, io_uring_enter and io_uring_register") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"io_uring_setup", "io_uring_enter", "io_uring_register"});
  io_uring_params p{};
  p.flags = IORING_SETUP_CLAMP;
  long fd = syscall(SYS_io_uring_setup, 8, &p);
  if (fd < 0) {
    // io_uring disabled by policy: the failure path is what can be checked
    const long err = -errno;
    auto f = h.next(SAKER_EVT_IO_URING_SETUP_X, res_is(err));
    REQUIRE(f);
    CHECK(puint(f->view(), "entries") == 8u);
    return;
  }
  auto se = h.next(SAKER_EVT_IO_URING_SETUP_X, res_is(fd));
  REQUIRE_MESSAGE(se, "seen: " << h.seen());
  check_header(se->view(), SAKER_EVT_IO_URING_SETUP_X, this_tid());
  CHECK(puint(se->view(), "entries") == 8u);
  CHECK(puint(se->view(), "sq_entries") == p.sq_entries);
  CHECK(puint(se->view(), "cq_entries") == p.cq_entries);
  CHECK(puint(se->view(), "flags") == (1u << 5));  // PPM IORING_SETUP_CLAMP
  CHECK(puint(se->view(), "sq_thread_cpu") == p.sq_thread_cpu);
  CHECK(puint(se->view(), "sq_thread_idle") == p.sq_thread_idle);
  CHECK(puint(se->view(), "features") == p.features);
  CHECK(syscall(SYS_io_uring_enter, fd, 0, 0, IORING_ENTER_GETEVENTS, nullptr, 0) == 0);
  auto en = h.next(SAKER_EVT_IO_URING_ENTER_X);
  REQUIRE(en);
  check_header(en->view(), SAKER_EVT_IO_URING_ENTER_X, this_tid());
  CHECK(pint(en->view(), "res") == 0);
  CHECK(pint(en->view(), "fd") == fd);
  CHECK(puint(en->view(), "to_submit") == 0u);
  CHECK(puint(en->view(), "min_complete") == 0u);
  CHECK(puint(en->view(), "flags") == 1u);
  CHECK(puint(en->view(), "sig") == 0u);  // no sigset pointer
  CHECK(syscall(SYS_io_uring_enter, dirty32(-1), 1, 0, 0, nullptr, 0) == -1);
  auto enf = h.next(SAKER_EVT_IO_URING_ENTER_X, res_is(-EBADF));
  REQUIRE(enf);
  CHECK(pint(enf->view(), "fd") == -1);
  CHECK(puint(enf->view(), "to_submit") == 1u);
  // unregistering buffers that were never registered: ENXIO
  CHECK(syscall(SYS_io_uring_register, fd, IORING_UNREGISTER_BUFFERS, nullptr, 0) == -1);
  auto re = h.next(SAKER_EVT_IO_URING_REGISTER_X);
  REQUIRE(re);
  check_header(re->view(), SAKER_EVT_IO_URING_REGISTER_X, this_tid());
  CHECK(pint(re->view(), "res") == -ENXIO);
  CHECK(pint(re->view(), "fd") == fd);
  CHECK(puint(re->view(), "opcode") == static_cast<std::uint64_t>(IORING_UNREGISTER_BUFFERS));
  CHECK(puint(re->view(), "arg") == 0u);
  CHECK(puint(re->view(), "nr_args") == 0u);
  close(static_cast<int>(fd));
}

TEST_CASE("live generic events: ID is the scap code, nativeID the x86_64 number") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"getppid", "madvise"});
  getppid();
  auto g = h.next(SAKER_EVT_GENERIC_X,
                  [](const scap::EventView& v) { return puint(v, "nativeID") == SYS_getppid; });
  REQUIRE_MESSAGE(g, "seen: " << h.seen());
  check_header(g->view(), SAKER_EVT_GENERIC_X, this_tid());
  CHECK(scap_code("getppid") != 0);
  CHECK(puint(g->view(), "ID") == scap_code("getppid"));
  CHECK(puint(g->view(), "nativeID") == 110u);
  void* p = mmap(nullptr, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(p != MAP_FAILED);
  REQUIRE(madvise(p, 4096, MADV_DONTNEED) == 0);
  auto m = h.next(SAKER_EVT_GENERIC_X,
                  [](const scap::EventView& v) { return puint(v, "nativeID") == SYS_madvise; });
  REQUIRE(m);
  CHECK(puint(m->view(), "ID") == scap_code("madvise"));
  CHECK(puint(m->view(), "nativeID") == 28u);
  munmap(p, 4096);
}
