// Live driver, file syscalls (root): each test performs the syscall from this process and
// checks the exit event the driver wrote — header, every parameter, success and failure,
// 32-bit-clean arguments, long and over-long paths, data cut at snaplen, and the TOCTOU
// guarantee of the open family (the name is the file really opened).
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

constexpr std::uint32_t kPpmRdonly = 1u << 0;
constexpr std::uint32_t kPpmWronly = 1u << 1;
constexpr std::uint32_t kPpmCreat = 1u << 2;
constexpr std::uint32_t kPpmExcl = 1u << 5;
constexpr std::uint32_t kPpmTrunc = 1u << 8;
constexpr std::uint32_t kPpmDirectory = 1u << 10;
constexpr std::uint32_t kPpmCloexec = 1u << 12;
constexpr std::uint32_t kPpmCreated = 1u << 14;

// The openat exit event that returned `fd`.
std::optional<CapturedLive> openat_event(LiveHarness& h, int fd) {
  return h.next(SAKER_EVT_OPENAT_2_X, [fd](const scap::EventView& v) { return pint(v, "fd") == fd; });
}

std::uint64_t dev_of(int fd) {
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  return st.st_dev;
}
std::uint64_t ino_of(int fd) {
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  return st.st_ino;
}

// Descends from `dirfd` through new directories named `comp` until the absolute path would
// exceed `target` bytes; returns the deepest directory's fd and updates `path`.
int nest_dirs(int dirfd, std::string& path, const std::string& comp, std::size_t target) {
  int fd = dup(dirfd);
  while (path.size() + 2 <= target) {
    const std::string name = comp.substr(0, std::min(comp.size(), target - path.size() - 1));
    REQUIRE(mkdirat(fd, name.c_str(), 0755) == 0);
    int sub = openat(fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(sub >= 0);
    close(fd);
    fd = sub;
    path += "/" + name;
  }
  return fd;
}

}  // namespace

TEST_CASE("live openat: success, failure, flags, kernel path, dev and ino") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat", "close"});
  TempDir dir;
  const std::string path = dir / "file.txt";

  h.drain();
  int fd = openat(AT_FDCWD, path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE_MESSAGE(ev, "no openat event; seen: " << h.seen());
  auto v = ev->view();
  check_header(v, SAKER_EVT_OPENAT_2_X, this_tid());
  CHECK(pint(v, "dirfd") == AT_FDCWD);
  CHECK(pstr(v, "name") == path);
  CHECK(praw(v, "name") == path);  // the argument, kept behind the kernel's path
  CHECK(puint(v, "flags") == (kPpmWronly | kPpmCreat | kPpmCloexec | kPpmCreated));
  CHECK(puint(v, "mode") == 0640u);
  CHECK(puint(v, "ino") == ino_of(fd));
  CHECK(puint(v, "dev") == dev_of(fd));
  CHECK(ev->cpu.has_value());

  close(fd);
  auto cl =
      h.next(SAKER_EVT_CLOSE_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE_MESSAGE(cl, "no close event; seen: " << h.seen());
  check_header(cl->view(), SAKER_EVT_CLOSE_X, this_tid());
  CHECK(pint(cl->view(), "res") == 0);

  // an existing file opened again without O_CREAT: not "created", mode 0
  h.drain();
  fd = openat(AT_FDCWD, path.c_str(), O_RDONLY | O_TRUNC);
  REQUIRE(fd >= 0);
  auto again = openat_event(h, fd);
  REQUIRE(again);
  CHECK(puint(again->view(), "flags") == (kPpmRdonly | kPpmTrunc));
  CHECK(puint(again->view(), "mode") == 0u);
  close(fd);

  // failure: the name is the argument, the result the negative errno, dev and ino 0
  const std::string missing = dir / "nope/x";
  CHECK(openat(AT_FDCWD, missing.c_str(), O_RDONLY) == -1);
  auto fail = h.next(SAKER_EVT_OPENAT_2_X,
                     [&](const scap::EventView& v) { return pint(v, "fd") == -ENOENT; });
  REQUIRE_MESSAGE(fail, "no failed openat; seen: " << h.seen());
  check_header(fail->view(), SAKER_EVT_OPENAT_2_X, this_tid());
  CHECK(pstr(fail->view(), "name") == missing);
  CHECK(praw(fail->view(), "name").empty());  // one string: the argument itself
  CHECK(puint(fail->view(), "flags") == kPpmRdonly);
  CHECK(puint(fail->view(), "ino") == 0u);
  CHECK(puint(fail->view(), "dev") == 0u);

  // O_CREAT|O_EXCL on an existing file: EEXIST, flags still converted
  CHECK(openat(AT_FDCWD, path.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0600) == -1);
  auto excl = h.next(SAKER_EVT_OPENAT_2_X,
                     [&](const scap::EventView& v) { return pint(v, "fd") == -EEXIST; });
  REQUIRE(excl);
  CHECK(puint(excl->view(), "flags") == (kPpmWronly | kPpmCreat | kPpmExcl));
  CHECK(puint(excl->view(), "mode") == 0600u);

  // a relative path with a dirfd: the kernel path is absolute
  int dfd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(dfd >= 0);
  h.drain();
  int fd2 = openat(dfd, "file.txt", O_RDONLY);
  REQUIRE(fd2 >= 0);
  auto rel = openat_event(h, fd2);
  REQUIRE(rel);
  CHECK(pint(rel->view(), "dirfd") == dfd);
  CHECK(pstr(rel->view(), "name") == path);
  CHECK(praw(rel->view(), "name") == "file.txt");

  // a traversal: the kernel's path is the file opened, the argument keeps the "../"
  const std::string sub = dir / "sub";
  REQUIRE(mkdir(sub.c_str(), 0755) == 0);
  REQUIRE(chdir(sub.c_str()) == 0);
  h.drain();
  int fd3 = open("../sub/../file.txt", O_RDONLY);
  REQUIRE(chdir("/") == 0);
  REQUIRE(fd3 >= 0);
  auto trav = openat_event(h, fd3);
  REQUIRE(trav);
  CHECK(pstr(trav->view(), "name") == path);
  CHECK(praw(trav->view(), "name") == "../sub/../file.txt");
  close(fd3);
  close(fd2);
  close(dfd);
}

TEST_CASE("live openat: raw_open_path off sends the kernel's path alone") {
  SKIP_UNLESS_ROOT();
  LiveDriverOptions opts;
  opts.raw_open_path = false;
  LiveHarness h({"openat"}, opts);
  TempDir dir;
  const std::string path = dir / "f";
  int dfd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dfd >= 0);
  h.drain();
  int fd = openat(dfd, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  CHECK(pstr(ev->view(), "name") == path);
  CHECK(praw(ev->view(), "name").empty());
  CHECK(pbytes(ev->view(), "name").size() == path.size() + 1);  // the path and its NUL
  close(fd);
  close(dfd);
}

TEST_CASE("live openat: events of another thread carry its tid; paths on other mounts") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat"});
  long tid = 0;
  int fd = -1;
  std::thread t([&] {
    tid = this_tid();
    fd = openat(AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC);
  });
  t.join();
  REQUIRE(fd >= 0);
  REQUIRE(tid != this_tid());
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  check_header(ev->view(), SAKER_EVT_OPENAT_2_X, tid);
  // /proc/self is a symlink the kernel resolved: to this process's directory and the thread
  // group leader's status file
  CHECK(pstr(ev->view(), "name") == "/proc/" + std::to_string(getpid()) + "/status");
  CHECK(puint(ev->view(), "ino") == ino_of(fd));
  close(fd);
}

TEST_CASE("live driver filters: drop_failed and saker's own process") {
  SKIP_UNLESS_ROOT();
  {
    LiveDriverOptions opts;
    opts.drop_failed = true;
    LiveHarness h({"openat"}, opts);
    CHECK(openat(AT_FDCWD, "/nonexistent/saker", O_RDONLY) == -1);
    int fd = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    auto ok = openat_event(h, fd);
    REQUIRE(ok);
    CHECK(pstr(ok->view(), "name") == "/");
    CHECK(!h.next(
        SAKER_EVT_OPENAT_2_X, [](const scap::EventView& v) { return pint(v, "fd") < 0; }, 200));
    close(fd);
  }
  {
    LiveDriverOptions opts;
    opts.trace_self = false;  // the default: saker never traces itself
    LiveHarness h({"openat"}, opts, /*keep_self_filter=*/true);
    int fd = openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    CHECK(!h.next(SAKER_EVT_OPENAT_2_X, {}, 200));
    CHECK(h.driver().counters().events == 0u);
    close(fd);
  }
}

TEST_CASE("live openat: a pipe reopened through /proc is named as the kernel names it") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat"});
  int p[2];
  REQUIRE(pipe2(p, O_CLOEXEC) == 0);
  h.drain();
  const std::string via = "/proc/self/fd/" + std::to_string(p[0]);
  int fd = openat(AT_FDCWD, via.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  CHECK(pstr(ev->view(), "name") == "pipe:[" + std::to_string(ino_of(p[0])) + "]");
  CHECK(puint(ev->view(), "ino") == ino_of(p[0]));
  close(fd);
  close(p[0]);
  close(p[1]);
}

TEST_CASE("live openat/close: 32-bit-clean descriptor arguments") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat", "close"});
  TempDir dir;
  const std::string path = dir / "f";
  // AT_FDCWD with garbage in the register's upper half: the kernel and the event use -100
  h.drain();
  long fd = syscall(SYS_openat, dirty32(AT_FDCWD), path.c_str(), O_CREAT | O_RDWR, 0600);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  CHECK(pint(ev->view(), "dirfd") == AT_FDCWD);
  CHECK(pstr(ev->view(), "name") == path);
  // close(-1) with a dirty upper half: EBADF, and the event's fd reads -1
  CHECK(syscall(SYS_close, dirty32(-1)) == -1);
  auto cl =
      h.next(SAKER_EVT_CLOSE_X, [&](const scap::EventView& v) { return pint(v, "res") == -EBADF; });
  REQUIRE(cl);
  check_header(cl->view(), SAKER_EVT_CLOSE_X, this_tid());
  CHECK(pint(cl->view(), "fd") == -1);
  CHECK(syscall(SYS_close, dirty32(static_cast<std::int32_t>(fd))) == 0);
  auto ok =
      h.next(SAKER_EVT_CLOSE_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE(ok);
  CHECK(pint(ok->view(), "res") == 0);
}

TEST_CASE("live openat: a ~4000-byte path is complete, a longer one is cut and counted") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat"});
  TempDir dir;
  const std::string comp(200, 'd');
  int top = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(top >= 0);
  std::string path = dir.path();
  int deep = nest_dirs(top, path, comp, 3990);
  const std::string file = path + "/f";
  REQUIRE(file.size() > 3900);
  REQUIRE(file.size() < 4095);
  const auto before = h.driver().counters().truncated;
  h.drain();
  int fd = openat(AT_FDCWD, file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  CHECK(pstr(ev->view(), "name").size() == file.size());
  CHECK(pstr(ev->view(), "name") == file);
  CHECK(praw(ev->view(), "name") == file);  // both near 4096 bytes: the argument still fits
  CHECK(h.driver().counters().truncated == before);
  close(fd);

  // deeper than the 4096-byte limit: opened relative to a dirfd, so the kernel accepts it;
  // the resolved name keeps the end of the path (cut at the top) and the counter moves
  int deeper = nest_dirs(deep, path, comp, 4600);
  const std::string far = path + "/g";
  REQUIRE(far.size() > 4096);
  h.drain();
  fd = openat(deeper, "g", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  auto cut = openat_event(h, fd);
  REQUIRE(cut);
  const std::string name = pstr(cut->view(), "name");
  CHECK(name.size() < 4096);
  CHECK(name.size() > 3000);
  CHECK(name.front() == '/');
  CHECK(far.ends_with(name));
  CHECK(praw(cut->view(), "name") == "g");
  CHECK(h.driver().counters().truncated > before);
  close(fd);

  // failure with an over-long user path: ENAMETOOLONG, the argument cut at 4095 bytes + NUL
  const std::string longname = dir.path() + "/" + std::string(5000, 'x');
  const auto before2 = h.driver().counters().truncated;
  CHECK(openat(AT_FDCWD, longname.c_str(), O_RDONLY) == -1);
  auto fail = h.next(SAKER_EVT_OPENAT_2_X,
                     [&](const scap::EventView& v) { return pint(v, "fd") == -ENAMETOOLONG; });
  REQUIRE(fail);
  CHECK(pstr(fail->view(), "name") == longname.substr(0, 4095));
  CHECK(h.driver().counters().truncated > before2);
  close(deeper);
  close(deep);
  close(top);
}

TEST_CASE("live openat: a ~4000-byte path of 100 short components is complete") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"openat"});
  TempDir dir;
  int top = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(top >= 0);
  std::string path = dir.path();
  int deep = nest_dirs(top, path, std::string(38, 'c'), 3990);
  const std::string file = path + "/f";
  REQUIRE(std::count(file.begin(), file.end(), '/') > 100);
  const auto before = h.driver().counters().truncated;
  h.drain();
  int fd = openat(deep, "f", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  auto ev = openat_event(h, fd);
  REQUIRE(ev);
  CHECK(pstr(ev->view(), "name") == file);
  CHECK(praw(ev->view(), "name") == "f");
  CHECK(h.driver().counters().truncated == before);
  close(fd);
  close(deep);
  close(top);
}

TEST_CASE("live open, creat and openat2") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"open", "creat", "openat2"});
  TempDir dir;
  const std::string a = dir / "a";
  h.drain();
  int fd = static_cast<int>(syscall(SYS_open, a.c_str(), O_CREAT | O_WRONLY, 0604));
  REQUIRE(fd >= 0);
  auto op = h.next(SAKER_EVT_OPEN_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE_MESSAGE(op, "seen: " << h.seen());
  check_header(op->view(), SAKER_EVT_OPEN_X, this_tid());
  CHECK(pstr(op->view(), "name") == a);
  CHECK(praw(op->view(), "name") == a);
  CHECK(puint(op->view(), "flags") == (kPpmWronly | kPpmCreat | kPpmCreated));
  CHECK(puint(op->view(), "mode") == 0604u);
  CHECK(puint(op->view(), "dev") == dev_of(fd));
  CHECK(puint(op->view(), "ino") == ino_of(fd));
  close(fd);
  CHECK(syscall(SYS_open, (dir / "missing/x").c_str(), O_RDONLY) == -1);
  auto opf =
      h.next(SAKER_EVT_OPEN_X, [&](const scap::EventView& v) { return pint(v, "fd") == -ENOENT; });
  REQUIRE(opf);
  CHECK(pstr(opf->view(), "name") == dir / "missing/x");

  const std::string b = dir / "b";
  fd = creat(b.c_str(), 0640);
  REQUIRE(fd >= 0);
  auto cr =
      h.next(SAKER_EVT_CREAT_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE_MESSAGE(cr, "seen: " << h.seen());
  check_header(cr->view(), SAKER_EVT_CREAT_X, this_tid());
  CHECK(pstr(cr->view(), "name") == b);
  CHECK(praw(cr->view(), "name") == b);
  CHECK(puint(cr->view(), "mode") == 0640u);
  CHECK(puint(cr->view(), "dev") == dev_of(fd));
  CHECK(puint(cr->view(), "ino") == ino_of(fd));
  CHECK(puint(cr->view(), "creat_flags") == 0u);
  close(fd);
  CHECK(creat((dir / "missing/y").c_str(), 0600) == -1);
  auto crf =
      h.next(SAKER_EVT_CREAT_X, [&](const scap::EventView& v) { return pint(v, "fd") == -ENOENT; });
  REQUIRE(crf);
  CHECK(pstr(crf->view(), "name") == dir / "missing/y");
  CHECK(puint(crf->view(), "ino") == 0u);

  open_how how{};
  how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH;
  int dfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dfd >= 0);
  const std::string rel = dir.path().substr(1);  // "tmp/saker-live-..."
  h.drain();
  fd = static_cast<int>(syscall(SYS_openat2, dfd, rel.c_str(), &how, sizeof(how)));
  REQUIRE(fd >= 0);
  auto o2 =
      h.next(SAKER_EVT_OPENAT2_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE_MESSAGE(o2, "seen: " << h.seen());
  check_header(o2->view(), SAKER_EVT_OPENAT2_X, this_tid());
  CHECK(pint(o2->view(), "dirfd") == dfd);
  CHECK(pstr(o2->view(), "name") == dir.path());
  CHECK(praw(o2->view(), "name") == rel);
  CHECK(puint(o2->view(), "flags") == (kPpmRdonly | kPpmDirectory | kPpmCloexec));
  CHECK(puint(o2->view(), "mode") == 0u);
  CHECK(puint(o2->view(), "resolve") == ((1u << 0) | (1u << 3)));  // PPM BENEATH | NO_SYMLINKS
  close(fd);
  // failure: a ".." escape refused by RESOLVE_BENEATH
  how.flags = O_RDONLY;
  how.resolve = RESOLVE_BENEATH;
  how.mode = 0;
  CHECK(syscall(SYS_openat2, dfd, "../etc", &how, sizeof(how)) == -1);
  auto o2f = h.next(SAKER_EVT_OPENAT2_X,
                    [&](const scap::EventView& v) { return pint(v, "fd") == -EXDEV; });
  REQUIRE(o2f);
  CHECK(pstr(o2f->view(), "name") == "../etc");
  CHECK(puint(o2f->view(), "resolve") == (1u << 0));
  close(dfd);
}

TEST_CASE("live read/write: data cut at snaplen, size and failure") {
  SKIP_UNLESS_ROOT();
  LiveDriverOptions opts;
  opts.snaplen = 80;
  LiveHarness h({"read", "write"}, opts);
  TempDir dir;
  int fd = open((dir / "data").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  std::string payload(200, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<char>('A' + i % 26);
  h.drain();
  REQUIRE(write(fd, payload.data(), payload.size()) == 200);
  auto w = h.next(SAKER_EVT_WRITE_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE(w);
  check_header(w->view(), SAKER_EVT_WRITE_X, this_tid());
  CHECK(pint(w->view(), "res") == 200);
  CHECK(pbytes(w->view(), "data") == payload.substr(0, 80));
  CHECK(puint(w->view(), "size") == 200u);

  std::string back(300, '\0');
  REQUIRE(pread(fd, back.data(), 1, 0) == 1);  // pread: not traced, only moves nothing
  lseek(fd, 0, SEEK_SET);
  REQUIRE(read(fd, back.data(), back.size()) == 200);
  auto r = h.next(SAKER_EVT_READ_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE(r);
  CHECK(pint(r->view(), "res") == 200);
  CHECK(pbytes(r->view(), "data") == payload.substr(0, 80));
  CHECK(puint(r->view(), "size") == 300u);
  // a short read: only what was read (40 bytes, under snaplen) is sent
  lseek(fd, 160, SEEK_SET);
  REQUIRE(read(fd, back.data(), back.size()) == 40);
  auto r2 =
      h.next(SAKER_EVT_READ_X, [&](const scap::EventView& v) { return pint(v, "res") == 40; });
  REQUIRE(r2);
  CHECK(pbytes(r2->view(), "data") == payload.substr(160, 40));
  // failure: EBADF, the data it was asked to write
  CHECK(syscall(SYS_write, dirty32(-1), payload.data(), 10) == -1);
  auto wf =
      h.next(SAKER_EVT_WRITE_X, [&](const scap::EventView& v) { return pint(v, "res") == -EBADF; });
  REQUIRE(wf);
  CHECK(pint(wf->view(), "fd") == -1);
  CHECK(pbytes(wf->view(), "data") == payload.substr(0, 10));  // what it was asked to write
  CHECK(puint(wf->view(), "size") == 10u);
  close(fd);
}

TEST_CASE("live write: snaplen above the 4096-byte parameter limit is capped") {
  SKIP_UNLESS_ROOT();
  LiveDriverOptions opts;
  opts.snaplen = 65536;
  LiveHarness h({"write"}, opts);
  TempDir dir;
  int fd = open((dir / "big").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  std::string payload(6000, 'z');
  payload[4095] = '!';
  h.drain();
  REQUIRE(write(fd, payload.data(), payload.size()) == 6000);
  auto w = h.next(SAKER_EVT_WRITE_X, [&](const scap::EventView& v) { return pint(v, "fd") == fd; });
  REQUIRE(w);
  CHECK(pint(w->view(), "res") == 6000);
  CHECK(pbytes(w->view(), "data") == payload.substr(0, 4096));
  close(fd);
}

// TOCTOU: a second thread flips the path buffer between two files while this thread opens
// it in a loop. Whatever the buffer holds when the driver looks, each successful openat
// event must name the file the kernel really opened (the inode behind the returned fd).
TEST_CASE("live openat: a racing thread rewriting the path cannot change the event's name") {
  SKIP_UNLESS_ROOT();
  LiveDriverOptions opts;
  opts.buffer_bytes = 16u << 20;
  LiveHarness h({"openat"}, opts);
  TempDir dir;
  const std::string pa = dir / "x", pb = dir / "y";  // differ in one byte: no torn names
  for (const auto& p : {pa, pb}) {
    int fd = open(p.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    close(fd);
  }
  struct stat sa {
  }, sb{};
  REQUIRE(stat(pa.c_str(), &sa) == 0);
  REQUIRE(stat(pb.c_str(), &sb) == 0);

  alignas(64) static char buf[4096];
  std::strcpy(buf, pa.c_str());
  const std::size_t flip = pa.size() - 1;
  std::atomic<bool> stop{false};
  std::atomic<unsigned> flips{0};
  std::thread racer([&] {
    volatile char* c = &buf[flip];
    // each value held for a while (a store immediately overwritten is rarely seen)
    for (unsigned i = 0; !stop.load(std::memory_order_relaxed); ++i) {
      *c = (i & 1) ? 'x' : 'y';
      flips.store(i + 1, std::memory_order_relaxed);
      for (int k = 0; k < 200; ++k) __builtin_ia32_pause();
    }
  });
  struct Opened {
    int fd;
    std::uint64_t ino;
    char after;  // the buffer's varying byte right after the call returned
  };
  std::vector<Opened> opened;
  // at least kRounds opens, more (up to a bound) until both files were opened: on a busy
  // machine the racing thread may not get a CPU for a while
  // the racer must be running before the opens start: on a loaded machine a new thread can
  // wait longer for a CPU than the whole loop takes
  const auto start = std::chrono::steady_clock::now();
  while (flips.load() < 2 && std::chrono::steady_clock::now() - start < std::chrono::seconds(5))
    std::this_thread::yield();
  REQUIRE(flips.load() >= 2);
  constexpr int kRounds = 3000, kMaxRounds = 60000;
  bool saw_a = false, saw_b = false;
  h.drain();
  // more rounds (bounded) until both files were opened and the buffer was rewritten during
  // a call at least once, the window a driver reading user memory at exit falls into
  std::size_t rewritten = 0;
  for (int i = 0; i < kMaxRounds && (i < kRounds || !saw_a || !saw_b || rewritten == 0); ++i) {
    int fd = openat(AT_FDCWD, buf, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    const char after = buf[flip];
    opened.push_back({fd, ino_of(fd), after});
    (opened.back().ino == sa.st_ino ? saw_a : saw_b) = true;
    rewritten += after != (opened.back().ino == sa.st_ino ? 'x' : 'y');
    close(fd);
  }
  stop = true;
  racer.join();

  // the events of this thread, in call order
  std::size_t matched = 0, on_a = 0, on_b = 0, mismatches = 0, raced = 0;
  const long tid = this_tid();
  for (const auto& o : opened) {
    auto ev = h.next(SAKER_EVT_OPENAT_2_X, [&](const scap::EventView& v) {
      return static_cast<long>(v.tid()) == tid && pint(v, "fd") >= 0;
    });
    if (!ev) break;
    auto v = ev->view();
    REQUIRE(pint(v, "fd") == o.fd);
    const std::uint64_t ino = *puint(v, "ino");
    const std::string name = pstr(v, "name");
    CHECK(ino == o.ino);
    const std::string want = o.ino == sa.st_ino ? pa : pb;
    if (name != want) ++mismatches;
    // the argument as the driver read it at exit: one of the two names, never torn
    const std::string raw = praw(v, "name");
    CHECK((raw == pa || raw == pb));
    (o.ino == sa.st_ino ? on_a : on_b)++;
    // the buffer named the other file by the time the call returned: a driver reading the
    // user argument at exit would have reported the wrong file
    raced += o.after != want.back();
    ++matched;
  }
  CHECK(matched == opened.size());
  CHECK(mismatches == 0);
  CHECK(matched >= static_cast<std::size_t>(kRounds) / 2);
  if (rewritten == 0) MESSAGE("the racing thread never ran during a call: no second CPU free");
  MESSAGE("TOCTOU: " << matched << " opens checked, " << on_a << " of x, " << on_b << " of y, "
                     << raced << " with the buffer rewritten before the call returned");
  CHECK(on_a > 0);
  CHECK(on_b > 0);
}
