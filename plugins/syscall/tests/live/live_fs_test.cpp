// Live driver, descriptor and filesystem syscalls (root): dup, pipe and fcntl families, data
// movers (copy_file_range, splice, sendfile), open_by_handle_at, the directory-entry family
// (mkdir, rmdir, unlink, rename, link, symlink), chmod/chown families and mount/umount2.
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
std::uint64_t ino_of(int fd) {
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  return st.st_ino;
}

constexpr std::uint32_t kPpmRdonly = 1u << 0, kPpmNonblock = 1u << 6, kPpmCloexec = 1u << 12;

}  // namespace

TEST_CASE("live dup family, pipe family and fcntl") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"dup", "dup2", "dup3", "pipe", "pipe2", "fcntl"});
  int fds[2];
  REQUIRE(syscall(SYS_pipe, fds) == 0);
  auto pe = h.next(SAKER_EVT_PIPE_X);
  REQUIRE_MESSAGE(pe, "seen: " << h.seen());
  check_header(pe->view(), SAKER_EVT_PIPE_X, this_tid());
  CHECK(pint(pe->view(), "res") == 0);
  CHECK(pint(pe->view(), "fd1") == fds[0]);
  CHECK(pint(pe->view(), "fd2") == fds[1]);
  CHECK(puint(pe->view(), "ino") == ino_of(fds[0]));
  int fds2[2];
  REQUIRE(pipe2(fds2, O_CLOEXEC | O_NONBLOCK) == 0);
  auto p2 = h.next(SAKER_EVT_PIPE2_X, res_is(0));
  REQUIRE(p2);
  check_header(p2->view(), SAKER_EVT_PIPE2_X, this_tid());
  CHECK(pint(p2->view(), "fd1") == fds2[0]);
  CHECK(pint(p2->view(), "fd2") == fds2[1]);
  CHECK(puint(p2->view(), "ino") == ino_of(fds2[0]));
  CHECK(puint(p2->view(), "flags") == (kPpmRdonly | kPpmNonblock | kPpmCloexec));
  int junk[2];
  CHECK(pipe2(junk, 0x7fff) == -1);
  auto p2f = h.next(SAKER_EVT_PIPE2_X, res_is(-EINVAL));
  REQUIRE(p2f);
  CHECK(pint(p2f->view(), "fd1") == -1);
  CHECK(puint(p2f->view(), "ino") == 0u);

  int d = dup(fds[0]);
  REQUIRE(d >= 0);
  auto de = h.next(SAKER_EVT_DUP_1_X, res_is(d));
  REQUIRE(de);
  check_header(de->view(), SAKER_EVT_DUP_1_X, this_tid());
  CHECK(pint(de->view(), "oldfd") == fds[0]);
  CHECK(syscall(SYS_dup, dirty32(-1)) == -1);
  auto def = h.next(SAKER_EVT_DUP_1_X, res_is(-EBADF));
  REQUIRE(def);
  CHECK(pint(def->view(), "oldfd") == -1);
  REQUIRE(dup2(fds[0], 200) == 200);
  auto d2 = h.next(SAKER_EVT_DUP2_X, res_is(200));
  REQUIRE(d2);
  check_header(d2->view(), SAKER_EVT_DUP2_X, this_tid());
  CHECK(pint(d2->view(), "oldfd") == fds[0]);
  CHECK(pint(d2->view(), "newfd") == 200);
  REQUIRE(dup3(fds[0], 201, O_CLOEXEC) == 201);
  auto d3 = h.next(SAKER_EVT_DUP3_X, res_is(201));
  REQUIRE(d3);
  check_header(d3->view(), SAKER_EVT_DUP3_X, this_tid());
  CHECK(pint(d3->view(), "oldfd") == fds[0]);
  CHECK(pint(d3->view(), "newfd") == 201);
  CHECK(puint(d3->view(), "flags") == (kPpmRdonly | kPpmCloexec));
  CHECK(dup3(fds[0], fds[0], 0) == -1);
  auto d3f = h.next(SAKER_EVT_DUP3_X, res_is(-EINVAL));
  REQUIRE(d3f);

  int fc = fcntl(fds[0], F_DUPFD_CLOEXEC, 300);
  REQUIRE(fc >= 300);
  auto fe = h.next(SAKER_EVT_FCNTL_X, res_is(fc));
  REQUIRE_MESSAGE(fe, "seen: " << h.seen());
  check_header(fe->view(), SAKER_EVT_FCNTL_X, this_tid());
  CHECK(pint(fe->view(), "fd") == fds[0]);
  CHECK(puint(fe->view(), "cmd") == 26u);  // PPM_FCNTL_F_DUPFD_CLOEXEC
  REQUIRE(fcntl(fds[0], F_GETFL) >= 0);
  auto fg =
      h.next(SAKER_EVT_FCNTL_X, [&](const scap::EventView& v) { return puint(v, "cmd") == 4u; });
  REQUIRE(fg);  // PPM_FCNTL_F_GETFL
  CHECK(syscall(SYS_fcntl, dirty32(-1), F_SETFD, 0) == -1);
  auto ff = h.next(SAKER_EVT_FCNTL_X, res_is(-EBADF));
  REQUIRE(ff);
  CHECK(pint(ff->view(), "fd") == -1);
  CHECK(puint(ff->view(), "cmd") == 3u);  // PPM_FCNTL_F_SETFD
  for (int x : {fds[0], fds[1], fds2[0], fds2[1], d, 200, 201, fc}) close(x);
}

TEST_CASE("live copy_file_range, splice, sendfile and open_by_handle_at") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"copy_file_range", "splice", "sendfile", "open_by_handle_at"});
  TempDir dir;
  const std::string src = dir / "src", dst = dir / "dst";
  int in = open(src.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  int out = open(dst.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  REQUIRE(in >= 0);
  REQUIRE(out >= 0);
  std::string data(1000, 'c');
  REQUIRE(pwrite(in, data.data(), data.size(), 0) == 1000);

  REQUIRE(copy_file_range(in, nullptr, out, nullptr, 100, 0) == 100);
  auto cf = h.next(SAKER_EVT_COPY_FILE_RANGE_X);
  REQUIRE_MESSAGE(cf, "seen: " << h.seen());
  check_header(cf->view(), SAKER_EVT_COPY_FILE_RANGE_X, this_tid());
  CHECK(pint(cf->view(), "res") == 100);
  CHECK(pint(cf->view(), "fdin") == in);
  CHECK(pint(cf->view(), "fdout") == out);
  CHECK(puint(cf->view(), "offin") == 0u);  // the (NULL) pointer arguments
  CHECK(puint(cf->view(), "offout") == 0u);
  loff_t oi = 0, oo = 500;
  REQUIRE(copy_file_range(in, &oi, out, &oo, 10, 0) == 10);
  auto cf2 = h.next(SAKER_EVT_COPY_FILE_RANGE_X, res_is(10));
  REQUIRE(cf2);
  CHECK(puint(cf2->view(), "offin") == reinterpret_cast<std::uint64_t>(&oi));
  CHECK(puint(cf2->view(), "offout") == reinterpret_cast<std::uint64_t>(&oo));
  CHECK(puint(cf->view(), "len") == 100u);
  CHECK(syscall(SYS_copy_file_range, dirty32(-1), nullptr, out, nullptr, 10, 0) == -1);
  auto cff = h.next(SAKER_EVT_COPY_FILE_RANGE_X, res_is(-EBADF));
  REQUIRE(cff);
  CHECK(pint(cff->view(), "fdin") == -1);

  int p[2];
  REQUIRE(pipe(p) == 0);
  loff_t off = 0;
  REQUIRE(splice(in, &off, p[1], nullptr, 50, SPLICE_F_MOVE) == 50);
  auto sp = h.next(SAKER_EVT_SPLICE_X);
  REQUIRE(sp);
  check_header(sp->view(), SAKER_EVT_SPLICE_X, this_tid());
  CHECK(pint(sp->view(), "res") == 50);
  CHECK(pint(sp->view(), "fd_in") == in);
  CHECK(pint(sp->view(), "fd_out") == p[1]);
  CHECK(puint(sp->view(), "size") == 50u);
  CHECK(puint(sp->view(), "flags") == 1u);                // PPM SPLICE_F_MOVE
  CHECK(splice(in, nullptr, out, nullptr, 10, 0) == -1);  // neither end is a pipe
  auto spf = h.next(SAKER_EVT_SPLICE_X, res_is(-EINVAL));
  REQUIRE(spf);
  close(p[0]);
  close(p[1]);

  off_t soff = 10;
  REQUIRE(sendfile(out, in, &soff, 30) == 30);
  auto sf = h.next(SAKER_EVT_SENDFILE_X);
  REQUIRE(sf);
  check_header(sf->view(), SAKER_EVT_SENDFILE_X, this_tid());
  CHECK(pint(sf->view(), "res") == 30);
  CHECK(pint(sf->view(), "out_fd") == out);
  CHECK(pint(sf->view(), "in_fd") == in);
  CHECK(puint(sf->view(), "size") == 30u);
  CHECK(puint(sf->view(), "offset") == 40u);  // the offset after the call
  CHECK(sendfile(out, -1, nullptr, 5) == -1);
  auto sff = h.next(SAKER_EVT_SENDFILE_X, res_is(-EBADF));
  REQUIRE(sff);
  CHECK(pint(sff->view(), "in_fd") == -1);
  CHECK(puint(sff->view(), "offset") == 0u);

  struct {
    file_handle fh;
    unsigned char bytes[MAX_HANDLE_SZ];
  } handle{};
  handle.fh.handle_bytes = MAX_HANDLE_SZ;
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, src.c_str(), &handle.fh, &mount_id, 0) != 0) {
    MESSAGE("skipped open_by_handle_at: the filesystem of /tmp has no handles");
  } else {
    int mfd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int hf = open_by_handle_at(mfd, &handle.fh, O_RDONLY | O_CLOEXEC);
    REQUIRE(hf >= 0);
    auto oh = h.next(SAKER_EVT_OPEN_BY_HANDLE_AT_X, fd_is(hf));
    REQUIRE_MESSAGE(oh, "seen: " << h.seen());
    check_header(oh->view(), SAKER_EVT_OPEN_BY_HANDLE_AT_X, this_tid());
    CHECK(pint(oh->view(), "mountfd") == mfd);
    CHECK(puint(oh->view(), "flags") == (kPpmRdonly | kPpmCloexec));
    CHECK(pstr(oh->view(), "path") == src);  // from the opened file, not from user memory
    struct stat st {};
    REQUIRE(fstat(hf, &st) == 0);
    CHECK(puint(oh->view(), "ino") == st.st_ino);
    CHECK(puint(oh->view(), "dev") == static_cast<std::uint64_t>(st.st_dev));
    close(hf);
    handle.fh.handle_type = 0x7fff;  // not a type the filesystem knows
    CHECK(open_by_handle_at(mfd, &handle.fh, O_RDONLY) == -1);
    const long err = -errno;
    auto ohf = h.next(SAKER_EVT_OPEN_BY_HANDLE_AT_X, fd_is(err));
    REQUIRE(ohf);
    CHECK(psize(ohf->view(), "path") == 0u);
    CHECK(puint(ohf->view(), "ino") == 0u);
    close(mfd);
  }
  close(in);
  close(out);
}

TEST_CASE("live mkdir, rmdir, unlink, rename, link and symlink families") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat",
                 "renameat2", "link", "linkat", "symlink", "symlinkat"});
  TempDir dir;
  int dfd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(dfd >= 0);
  const std::string d1 = dir / "d1";
  h.drain();  // the temporary directory's own mkdir
  REQUIRE(mkdir(d1.c_str(), 0750) == 0);
  auto mk = h.next(SAKER_EVT_MKDIR_2_X);
  REQUIRE_MESSAGE(mk, "seen: " << h.seen());
  check_header(mk->view(), SAKER_EVT_MKDIR_2_X, this_tid());
  CHECK(pint(mk->view(), "res") == 0);
  CHECK(pstr(mk->view(), "path") == d1);
  CHECK(puint(mk->view(), "mode") == 0750u);
  CHECK(mkdir(d1.c_str(), 0700) == -1);
  auto mkf = h.next(SAKER_EVT_MKDIR_2_X);
  REQUIRE(mkf);
  CHECK(pint(mkf->view(), "res") == -EEXIST);
  REQUIRE(mkdirat(dfd, "d2", 0700) == 0);
  auto ma = h.next(SAKER_EVT_MKDIRAT_X);
  REQUIRE(ma);
  check_header(ma->view(), SAKER_EVT_MKDIRAT_X, this_tid());
  CHECK(pint(ma->view(), "dirfd") == dfd);
  CHECK(pstr(ma->view(), "path") == "d2");
  CHECK(puint(ma->view(), "mode") == 0700u);
  REQUIRE(rmdir(d1.c_str()) == 0);
  auto rd = h.next(SAKER_EVT_RMDIR_2_X);
  REQUIRE(rd);
  check_header(rd->view(), SAKER_EVT_RMDIR_2_X, this_tid());
  CHECK(pint(rd->view(), "res") == 0);
  CHECK(pstr(rd->view(), "path") == d1);
  CHECK(rmdir(d1.c_str()) == -1);
  auto rdf = h.next(SAKER_EVT_RMDIR_2_X);
  REQUIRE(rdf);
  CHECK(pint(rdf->view(), "res") == -ENOENT);
  REQUIRE(unlinkat(dfd, "d2", AT_REMOVEDIR) == 0);
  auto ua = h.next(SAKER_EVT_UNLINKAT_2_X);
  REQUIRE(ua);
  check_header(ua->view(), SAKER_EVT_UNLINKAT_2_X, this_tid());
  CHECK(pint(ua->view(), "dirfd") == dfd);
  CHECK(pstr(ua->view(), "name") == "d2");
  CHECK(puint(ua->view(), "flags") == 0x200u);  // PPM_AT_REMOVEDIR

  const std::string a = dir / "a", b = dir / "b";
  close(open(a.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  REQUIRE(rename(a.c_str(), b.c_str()) == 0);
  auto rn = h.next(SAKER_EVT_RENAME_X);
  REQUIRE(rn);
  check_header(rn->view(), SAKER_EVT_RENAME_X, this_tid());
  CHECK(pint(rn->view(), "res") == 0);
  CHECK(pstr(rn->view(), "oldpath") == a);
  CHECK(pstr(rn->view(), "newpath") == b);
  REQUIRE(renameat(dfd, "b", dfd, "c") == 0);
  auto ra = h.next(SAKER_EVT_RENAMEAT_X);
  REQUIRE(ra);
  check_header(ra->view(), SAKER_EVT_RENAMEAT_X, this_tid());
  CHECK(pint(ra->view(), "olddirfd") == dfd);
  CHECK(pstr(ra->view(), "oldpath") == "b");
  CHECK(pint(ra->view(), "newdirfd") == dfd);
  CHECK(pstr(ra->view(), "newpath") == "c");
  REQUIRE(syscall(SYS_renameat2, dfd, "c", AT_FDCWD, (dir / "d").c_str(), RENAME_NOREPLACE) == 0);
  auto r2 = h.next(SAKER_EVT_RENAMEAT2_X);
  REQUIRE(r2);
  check_header(r2->view(), SAKER_EVT_RENAMEAT2_X, this_tid());
  CHECK(pint(r2->view(), "newdirfd") == AT_FDCWD);
  CHECK(pstr(r2->view(), "newpath") == dir / "d");
  CHECK(puint(r2->view(), "flags") == 1u);  // PPM RENAME_NOREPLACE
  close(open((dir / "e").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
  CHECK(syscall(SYS_renameat2, dfd, "d", dfd, "e", RENAME_NOREPLACE) == -1);
  auto r2f = h.next(SAKER_EVT_RENAMEAT2_X, res_is(-EEXIST));
  REQUIRE(r2f);

  REQUIRE(link((dir / "d").c_str(), (dir / "l1").c_str()) == 0);
  auto ln = h.next(SAKER_EVT_LINK_2_X);
  REQUIRE(ln);
  check_header(ln->view(), SAKER_EVT_LINK_2_X, this_tid());
  CHECK(pstr(ln->view(), "oldpath") == dir / "d");
  CHECK(pstr(ln->view(), "newpath") == dir / "l1");
  REQUIRE(linkat(dfd, "d", dfd, "l2", AT_SYMLINK_FOLLOW) == 0);
  auto la = h.next(SAKER_EVT_LINKAT_2_X);
  REQUIRE(la);
  check_header(la->view(), SAKER_EVT_LINKAT_2_X, this_tid());
  CHECK(pint(la->view(), "olddir") == dfd);
  CHECK(pstr(la->view(), "oldpath") == "d");
  CHECK(pint(la->view(), "newdir") == dfd);
  CHECK(pstr(la->view(), "newpath") == "l2");
  CHECK(puint(la->view(), "flags") == 0x400u);  // PPM AT_SYMLINK_FOLLOW
  CHECK(link((dir / "missing").c_str(), (dir / "l3").c_str()) == -1);
  auto lnf = h.next(SAKER_EVT_LINK_2_X, res_is(-ENOENT));
  REQUIRE(lnf);

  REQUIRE(symlink("/etc/hostname", (dir / "s1").c_str()) == 0);
  auto sl = h.next(SAKER_EVT_SYMLINK_X);
  REQUIRE(sl);
  check_header(sl->view(), SAKER_EVT_SYMLINK_X, this_tid());
  CHECK(pstr(sl->view(), "target") == "/etc/hostname");
  CHECK(pstr(sl->view(), "linkpath") == dir / "s1");
  REQUIRE(symlinkat("d", dfd, "s2") == 0);
  auto sa = h.next(SAKER_EVT_SYMLINKAT_X);
  REQUIRE(sa);
  check_header(sa->view(), SAKER_EVT_SYMLINKAT_X, this_tid());
  CHECK(pstr(sa->view(), "target") == "d");
  CHECK(pint(sa->view(), "linkdirfd") == dfd);
  CHECK(pstr(sa->view(), "linkpath") == "s2");
  CHECK(symlinkat("d", dfd, "s2") == -1);
  auto saf = h.next(SAKER_EVT_SYMLINKAT_X, res_is(-EEXIST));
  REQUIRE(saf);

  REQUIRE(unlink((dir / "s1").c_str()) == 0);
  auto ul = h.next(SAKER_EVT_UNLINK_2_X);
  REQUIRE(ul);
  check_header(ul->view(), SAKER_EVT_UNLINK_2_X, this_tid());
  CHECK(pstr(ul->view(), "path") == dir / "s1");
  CHECK(syscall(SYS_unlinkat, dirty32(-1), "rel", 0) == -1);
  auto uaf = h.next(SAKER_EVT_UNLINKAT_2_X, res_is(-EBADF));
  REQUIRE(uaf);
  CHECK(pint(uaf->view(), "dirfd") == -1);
  close(dfd);
}

TEST_CASE("live chmod and chown families: modes, 32-bit ids and flags") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"chmod", "fchmod", "fchmodat", "chown", "lchown", "fchown", "fchownat"});
  TempDir dir;
  const std::string f = dir / "f";
  int fd = open(f.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  int dfd = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(chmod(f.c_str(), 04755) == 0);
  auto cm = h.next(SAKER_EVT_CHMOD_X);
  REQUIRE_MESSAGE(cm, "seen: " << h.seen());
  check_header(cm->view(), SAKER_EVT_CHMOD_X, this_tid());
  CHECK(pint(cm->view(), "res") == 0);
  CHECK(pstr(cm->view(), "filename") == f);
  CHECK(puint(cm->view(), "mode") == 04755u);
  CHECK(chmod((dir / "none").c_str(), 0600) == -1);
  auto cmf = h.next(SAKER_EVT_CHMOD_X, res_is(-ENOENT));
  REQUIRE(cmf);
  REQUIRE(fchmod(fd, 0640) == 0);
  auto fm = h.next(SAKER_EVT_FCHMOD_X);
  REQUIRE(fm);
  check_header(fm->view(), SAKER_EVT_FCHMOD_X, this_tid());
  CHECK(pint(fm->view(), "fd") == fd);
  CHECK(puint(fm->view(), "mode") == 0640u);
  CHECK(syscall(SYS_fchmod, dirty32(-1), 0600) == -1);
  auto fmf = h.next(SAKER_EVT_FCHMOD_X, res_is(-EBADF));
  REQUIRE(fmf);
  CHECK(pint(fmf->view(), "fd") == -1);
  REQUIRE(fchmodat(dfd, "f", 01777, 0) == 0);
  auto fa = h.next(SAKER_EVT_FCHMODAT_X);
  REQUIRE(fa);
  check_header(fa->view(), SAKER_EVT_FCHMODAT_X, this_tid());
  CHECK(pint(fa->view(), "dirfd") == dfd);
  CHECK(pstr(fa->view(), "filename") == "f");
  CHECK(puint(fa->view(), "mode") == 01777u);

  REQUIRE(chown(f.c_str(), 1000, 1001) == 0);
  auto co = h.next(SAKER_EVT_CHOWN_X);
  REQUIRE(co);
  check_header(co->view(), SAKER_EVT_CHOWN_X, this_tid());
  CHECK(pstr(co->view(), "path") == f);
  CHECK(puint(co->view(), "uid") == 1000u);
  CHECK(puint(co->view(), "gid") == 1001u);
  REQUIRE(symlink("f", (dir / "s").c_str()) == 0);
  REQUIRE(lchown((dir / "s").c_str(), static_cast<uid_t>(-1), 5) == 0);  // -1: unchanged
  auto lc = h.next(SAKER_EVT_LCHOWN_X);
  REQUIRE(lc);
  check_header(lc->view(), SAKER_EVT_LCHOWN_X, this_tid());
  CHECK(pstr(lc->view(), "path") == dir / "s");
  CHECK(puint(lc->view(), "uid") == 0xFFFFFFFFu);
  CHECK(puint(lc->view(), "gid") == 5u);
  REQUIRE(syscall(SYS_fchown, dirty32(fd), dirty32(-1), dirty32(7)) == 0);
  auto fc = h.next(SAKER_EVT_FCHOWN_X);
  REQUIRE(fc);
  check_header(fc->view(), SAKER_EVT_FCHOWN_X, this_tid());
  CHECK(pint(fc->view(), "fd") == fd);
  CHECK(puint(fc->view(), "uid") == 0xFFFFFFFFu);
  CHECK(puint(fc->view(), "gid") == 7u);
  REQUIRE(fchownat(dfd, "s", 0, 0, AT_SYMLINK_NOFOLLOW) == 0);
  auto fo = h.next(SAKER_EVT_FCHOWNAT_X);
  REQUIRE(fo);
  check_header(fo->view(), SAKER_EVT_FCHOWNAT_X, this_tid());
  CHECK(pint(fo->view(), "dirfd") == dfd);
  CHECK(pstr(fo->view(), "pathname") == "s");
  CHECK(puint(fo->view(), "uid") == 0u);
  CHECK(puint(fo->view(), "gid") == 0u);
  CHECK(puint(fo->view(), "flags") == 1u);  // PPM AT_SYMLINK_NOFOLLOW
  REQUIRE(fchownat(fd, "", 0, 0, AT_EMPTY_PATH) == 0);
  auto fe = h.next(SAKER_EVT_FCHOWNAT_X);
  REQUIRE(fe);
  CHECK(puint(fe->view(), "flags") == 2u);  // PPM AT_EMPTY_PATH
  CHECK(fchownat(dfd, "none", 0, 0, 0) == -1);
  auto fof = h.next(SAKER_EVT_FCHOWNAT_X, res_is(-ENOENT));
  REQUIRE(fof);
  CHECK(puint(fof->view(), "flags") == 0u);
  close(dfd);
  close(fd);
}

TEST_CASE("live mount and umount2 of a tmpfs") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"mount", "umount2", "openat"});
  TempDir dir;
  const std::string mnt = dir / "mnt";
  REQUIRE(mkdir(mnt.c_str(), 0700) == 0);
  struct Unmount {
    std::string path;
    bool mounted = false;
    ~Unmount() {
      while (mounted && umount2(path.c_str(), MNT_DETACH) == 0) {
      }
    }
  } guard{mnt};
  REQUIRE(mount("saker-tmpfs", mnt.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") == 0);
  guard.mounted = true;
  auto mo = h.next(SAKER_EVT_MOUNT_X);
  REQUIRE_MESSAGE(mo, "seen: " << h.seen());
  check_header(mo->view(), SAKER_EVT_MOUNT_X, this_tid());
  CHECK(pint(mo->view(), "res") == 0);
  CHECK(pstr(mo->view(), "dev") == "saker-tmpfs");
  CHECK(pstr(mo->view(), "dir") == mnt);
  CHECK(pstr(mo->view(), "type") == "tmpfs");
  CHECK(puint(mo->view(), "flags") == (2u | 4u));  // NOSUID | NODEV
  // a file on the new mount: the kernel path walk crosses into the parent mount
  const std::string inside = mnt + "/f";
  int fd = open(inside.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  auto op = h.next(SAKER_EVT_OPENAT_2_X, fd_is(fd));
  REQUIRE(op);
  CHECK(pstr(op->view(), "name") == inside);
  struct stat st {};
  REQUIRE(fstat(fd, &st) == 0);
  CHECK(puint(op->view(), "dev") == static_cast<std::uint64_t>(st.st_dev));
  close(fd);
  // the historical magic number in the upper half is not a flag
  REQUIRE(mount("saker-tmpfs2", mnt.c_str(), "tmpfs", 0xC0ED0000ul | MS_NOEXEC, nullptr) == 0);
  auto mg = h.next(SAKER_EVT_MOUNT_X);
  REQUIRE(mg);
  CHECK(puint(mg->view(), "flags") == 8u);  // NOEXEC only
  CHECK(mount("x", mnt.c_str(), "saker-nosuchfs", 0, nullptr) == -1);
  auto mf = h.next(SAKER_EVT_MOUNT_X, res_is(-ENODEV));
  REQUIRE(mf);
  CHECK(pstr(mf->view(), "type") == "saker-nosuchfs");

  REQUIRE(umount2(mnt.c_str(), MNT_DETACH) == 0);
  auto um = h.next(SAKER_EVT_UMOUNT2_X);
  REQUIRE(um);
  check_header(um->view(), SAKER_EVT_UMOUNT2_X, this_tid());
  CHECK(pint(um->view(), "res") == 0);
  CHECK(pstr(um->view(), "name") == mnt);
  CHECK(puint(um->view(), "flags") == 2u);  // DETACH
  REQUIRE(umount2(mnt.c_str(), 0) == 0);
  guard.mounted = false;
  h.next(SAKER_EVT_UMOUNT2_X);
  CHECK(umount2(mnt.c_str(), UMOUNT_NOFOLLOW) == -1);  // nothing mounted any more
  auto uf = h.next(SAKER_EVT_UMOUNT2_X, res_is(-EINVAL));
  REQUIRE(uf);
  CHECK(puint(uf->view(), "flags") == 8u);  // NOFOLLOW
}
