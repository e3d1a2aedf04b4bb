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

namespace {
// An async event (large-payload layout: 4-byte lengths): plugin id, name, data.
std::vector<std::uint8_t> async_event(std::string_view name) {
  const std::string n = std::string(name) + '\0', data = "{\"container\":{}}";
  const std::size_t len = scap::kEventHeaderSize + 12 + 4 + n.size() + data.size();
  std::vector<std::uint8_t> out(len);
  scap::encode_header(out.data(), {1000, static_cast<std::uint64_t>(-1),
                                   static_cast<std::uint32_t>(len), scap::kAsynceventE, 3});
  std::size_t pos = scap::kEventHeaderSize;
  for (std::uint32_t l : {4u, static_cast<std::uint32_t>(n.size()),
                          static_cast<std::uint32_t>(data.size())}) {
    scap::store_le(out.data() + pos, l);
    pos += 4;
  }
  pos += 4;  // plugin id 0
  std::memcpy(out.data() + pos, n.data(), n.size());
  std::memcpy(out.data() + pos + n.size(), data.data(), data.size());
  return out;
}
}  // namespace

TEST_CASE("Falco 0.41's async container events are container events to the host") {
  CHECK(host_event_type(async_event("container")) == scap::kContainerJsonV2E);
  CHECK(std::string_view(scap::event_info(scap::kContainerJsonV2E).name) == "container");
  // Other async events keep their type.
  CHECK(host_event_type(async_event("container_removed")) == scap::kAsynceventE);
  auto bad = async_event("container");
  bad.resize(scap::kEventHeaderSize + 4);  // truncated
  CHECK(host_event_type(bad) == scap::kAsynceventE);
}
