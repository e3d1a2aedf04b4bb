// Generic syscall events get a host type of their own per syscall, so rules can name any
// syscall (evt.type = madvise) and the index and the kernel filter treat it like a type.
#include <doctest/doctest.h>

#include <algorithm>

#include "engine/generic_types.h"
#include "engine/syscall_selection.h"
#include "event_builder.h"
#include "syscall_names.h"

using namespace saker::syscall;

TEST_CASE("a generic event's host type is the base plus its syscall code") {
  const std::uint16_t madvise = scap::syscall_code_of("madvise");
  REQUIRE(madvise != 0);
  auto ev = testing::EventBuilder("syscall", false, 42).u16(madvise).u16(28).build();
  CHECK(host_event_type(ev) == kGenericTypeBase + madvise);
  // Events with their own type keep it.
  auto close = testing::EventBuilder("close", false, 42).i64(0).i64(3).build();
  CHECK(host_event_type(close) == scap::kCloseX);
  // A malformed generic event (no ID) stays generic, never out of the table.
  auto bare = testing::EventBuilder("syscall", false, 42).build();
  CHECK(host_event_type(bare) == scap::kGenericX);
}

TEST_CASE("rules naming generic syscalls reach the kernel filter by name") {
  CHECK(syscalls_of_event("madvise") == std::vector<std::string>{"madvise"});
  CHECK(syscalls_of_event("pread") == std::vector<std::string>{"pread64"});
  CHECK(syscalls_of_event("procexit").empty());
  SyscallSelection sel;
  sel.rules_known = true;
  sel.rule_syscalls = {"madvise"};
  auto nrs = select_syscalls(sel);
  CHECK(std::find(nrs.begin(), nrs.end(), 28u) != nrs.end());  // x86_64 madvise
  CHECK(std::find(nrs.begin(), nrs.end(), 0u) == nrs.end());   // read: not asked for
  CHECK(std::find(nrs.begin(), nrs.end(), 59u) != nrs.end());  // execve: the state needs it
}
