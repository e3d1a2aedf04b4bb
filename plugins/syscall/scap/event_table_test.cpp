// The event table: coverage of the syscalls a live driver produces, pairing, lookups.
#include "event_table.h"

#include <doctest/doctest.h>

#include <string>

namespace scap = saker::syscall::scap;

TEST_CASE("every common syscall has a current enter/exit pair") {
  const char* names[] = {
      "open",         "openat",         "openat2",    "creat",        "close",    "read",
      "write",        "pread",          "pwrite",     "readv",        "writev",   "socket",
      "bind",         "connect",        "listen",     "accept",       "accept4",  "sendto",
      "recvfrom",     "sendmsg",        "recvmsg",    "pipe",         "pipe2",    "dup",
      "dup2",         "dup3",           "fcntl",      "clone",        "clone3",   "fork",
      "vfork",        "execve",         "execveat",   "chmod",        "fchmod",   "fchmodat",
      "mkdir",        "mkdirat",        "rmdir",      "unlink",       "unlinkat", "rename",
      "renameat",     "renameat2",      "link",       "linkat",       "symlink",  "symlinkat",
      "setuid",       "setgid",         "setns",      "unshare",      "mount",    "umount2",
      "ptrace",       "mmap",           "mprotect",   "memfd_create", "bpf",      "init_module",
      "finit_module", "kill",           "chroot",     "prctl",        "capset",   "setresuid",
      "newfstatat",   "io_uring_setup", "userfaultfd"};
  for (const char* n : names) {
    CAPTURE(n);
    auto e = scap::find_event(n, true);
    auto x = scap::find_event(n, false);
    REQUIRE(e);
    REQUIRE(x);
    CHECK(scap::paired_event(*e) == *x);
    CHECK(scap::is_enter(*e));
    CHECK(scap::is_exit(*x));
    CHECK(std::string(scap::event_info(*x).name) == n);
  }
}

TEST_CASE("current versions are picked, old ones are kept") {
  CHECK(scap::find_event("execve", false) == scap::kExecveV19X);
  CHECK(scap::find_event("clone", false) == scap::kCloneV20X);
  CHECK(scap::find_event("openat", true) == scap::kOpenatV2E);
  CHECK((scap::event_info(scap::kExecveV16X).flags & scap::kEfOldVersion) != 0);
  CHECK(scap::event_info(scap::kExecveV16X).nparams == 16);
  CHECK(scap::event_info(scap::kCloneV20X).nparams == 21);
  CHECK(scap::event_info(scap::kExecveV19X).nparams == 30);
}

TEST_CASE("meta and tracepoint events") {
  CHECK(std::string(scap::event_info(scap::kSchedswitchV6E).name) == "switch");
  CHECK(scap::event_info(scap::kSchedswitchV6E).source == scap::EventSource::kTracepoint);
  CHECK(std::string(scap::event_info(scap::kProcexitV1E).name) == "procexit");
  CHECK(std::string(scap::event_info(scap::kProcinfoE).name) == "procinfo");
  CHECK(scap::event_info(scap::kProcinfoE).source == scap::EventSource::kMeta);
  CHECK(std::string(scap::event_info(scap::kUserAddedE).name) == "useradded");
  CHECK((scap::event_info(scap::kPlugineventE).flags & scap::kEfLargePayload) != 0);
}

TEST_CASE("parameter lookup and out-of-range types") {
  CHECK(scap::find_param(scap::kOpenatV2X, "name") == 2u);
  CHECK(scap::event_info(scap::kOpenatV2X).params[2].dirfd_index == 1);
  CHECK_FALSE(scap::find_param(scap::kOpenatV2X, "nope"));
  // Whole names only: no prefix, no extension, no embedded NUL.
  CHECK_FALSE(scap::find_param(scap::kOpenatV2X, "nam"));
  CHECK_FALSE(scap::find_param(scap::kOpenatV2X, "names"));
  CHECK_FALSE(scap::find_param(scap::kOpenatV2X, std::string_view("name\0x", 6)));
  CHECK_FALSE(scap::find_param(scap::kOpenatV2X, ""));
  CHECK_FALSE(scap::find_event("openat2x", false));
  CHECK(std::string(scap::event_info(60000).name) == "unknown");
  CHECK_FALSE(scap::is_known_event(60000));
  CHECK(scap::event_table().size() == scap::kEventTypeCount);
}

TEST_CASE("every described parameter has a name and flag types have tables") {
  for (std::size_t t = 0; t < scap::event_table().size(); ++t) {
    const auto& e = scap::event_table()[t];
    REQUIRE(e.name != nullptr);
    for (std::uint32_t i = 0; i < e.nparams; ++i) {
      CAPTURE(t);
      CHECK(e.params[i].name != nullptr);
      if (e.params[i].type == scap::ParamType::kFsRelPath) CHECK(e.params[i].dirfd_index < i + 1);
    }
  }
}
