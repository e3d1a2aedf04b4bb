// Live driver, file syscalls (root): each test performs the syscall from this process and
// checks the exit event the driver wrote — header, every parameter, success and failure.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

std::string temp_dir() {
  char tmpl[] = "/tmp/saker-live-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  return tmpl;
}

bool is_type(const scap::EventView& v, std::uint16_t t) { return v.type() == t; }

}  // namespace

TEST_CASE("live openat: success, failure, flags, kernel path, dev and ino") {
  if (!running_as_root()) {
    MESSAGE("skipped: the live driver needs root");
    return;
  }
  LiveHarness h({"openat", "close"});
  const std::string dir = temp_dir();
  const std::string path = dir + "/file.txt";

  int fd = openat(AT_FDCWD, path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
  REQUIRE(fd >= 0);
  auto ev = h.wait_for([&](const scap::EventView& v) {
    return is_type(v, SAKER_EVT_OPENAT_2_X) && pint(v, "fd") == fd;
  });
  REQUIRE_MESSAGE(ev, "no openat event; seen: " << h.seen());
  auto v = ev->view();
  CHECK(v.tid() == static_cast<std::uint64_t>(gettid()));
  CHECK(pint(v, "dirfd") == AT_FDCWD);
  CHECK(pstr(v, "name") == path);
  const std::uint64_t flags = *puint(v, "flags");
  CHECK((flags & (1u << 1)) != 0);   // O_WRONLY
  CHECK((flags & (1u << 2)) != 0);   // O_CREAT
  CHECK((flags & (1u << 12)) != 0);  // O_CLOEXEC
  CHECK((flags & (1u << 14)) != 0);  // O_F_CREATED
  CHECK(puint(v, "mode") == 0640u);
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  CHECK(puint(v, "ino") == st.st_ino);
  CHECK(puint(v, "dev") == static_cast<std::uint64_t>(st.st_dev));
  CHECK(ev->cpu.has_value());

  close(fd);
  auto cl = h.wait_for([&](const scap::EventView& v) {
    return is_type(v, SAKER_EVT_CLOSE_X) && pint(v, "fd") == fd;
  });
  REQUIRE_MESSAGE(cl, "no close event; seen: " << h.seen());
  CHECK(pint(cl->view(), "res") == 0);

  // failure: the name is the argument, the result the negative errno
  const std::string missing = dir + "/nope/x";
  CHECK(openat(AT_FDCWD, missing.c_str(), O_RDONLY) == -1);
  auto fail = h.wait_for([&](const scap::EventView& v) {
    return is_type(v, SAKER_EVT_OPENAT_2_X) && pint(v, "fd") == -ENOENT;
  });
  REQUIRE_MESSAGE(fail, "no failed openat; seen: " << h.seen());
  CHECK(pstr(fail->view(), "name") == missing);
  CHECK((*puint(fail->view(), "flags") & 1u) != 0);  // O_RDONLY

  // a relative path with a dirfd: the kernel path is absolute
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  REQUIRE(dfd >= 0);
  int fd2 = openat(dfd, "file.txt", O_RDONLY);
  REQUIRE(fd2 >= 0);
  auto rel = h.wait_for([&](const scap::EventView& v) {
    return is_type(v, SAKER_EVT_OPENAT_2_X) && pint(v, "fd") == fd2;
  });
  REQUIRE(rel);
  CHECK(pint(rel->view(), "dirfd") == dfd);
  CHECK(pstr(rel->view(), "name") == path);
  close(fd2);
  close(dfd);
  std::filesystem::remove_all(dir);
}
