// Live driver tables vs the userspace event table (no root needed): every table-driven layout
// of engine/live_syscalls.cpp must write, parameter by parameter, a value of the width and
// kind the scap event table declares for that position — the agreement CONVENTIONS.md asks
// for between the kernel side and userspace. A layout may be shorter than the event (the
// missing parameters are sent empty), never longer.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "engine/ia32_syscalls.h"
#include "engine/live_syscalls.h"
#include "engine/x86_64_syscalls.h"
#include "event_table.h"

using namespace saker::syscall;
using scap::ParamType;

namespace {

// What a parameter kind writes: a fixed width (1, 2, 4, 8), or a class of variable value.
enum class Shape { kEmpty, kW1, kW2, kW4, kW8, kString, kBytes, kSockaddr, kTuple, kDyn, kUnknown };

Shape kind_shape(std::uint8_t kind) {
  switch (kind) {
    case SAKER_P_EMPTY:
      return Shape::kEmpty;
    case SAKER_P_ARG_U8:
    case SAKER_P_ARG_FCNTL_CMD:
      return Shape::kW1;
    case SAKER_P_ARG_U16:
    case SAKER_P_ARG_PTRACE_REQ:
      return Shape::kW2;
    case SAKER_P_ARG_U32:
    case SAKER_P_ARG_S32:
    case SAKER_P_ARG_U32_FROM_U64:
    case SAKER_P_ARG_OPEN_FLAGS:
    case SAKER_P_ARG_CLONE_FLAGS:
    case SAKER_P_ARG_PROT:
    case SAKER_P_ARG_MMAP_FLAGS:
    case SAKER_P_VM_SIZE:
    case SAKER_P_VM_RSS:
    case SAKER_P_VM_SWAP:
    case SAKER_P_ARG_FCHOWNAT_FLAGS:
    case SAKER_P_ARG_DELETE_MODULE_FLAGS:
    case SAKER_P_ARG_MOUNT_FLAGS:
    case SAKER_P_RES_FD_DEV:
    case SAKER_P_ARG_USER_U32:
    case SAKER_P_IO_URING_SETUP_FLAGS:
      return Shape::kW4;
    case SAKER_P_ARG_STR:
    case SAKER_P_PRCTL_ARG2_STR:
    case SAKER_P_ARG_FD_PATH:
    case SAKER_P_RES_FD_PATH:
      return Shape::kString;
    case SAKER_P_ARG_DATA:
    case SAKER_P_ARG_DATA_LEN:
    case SAKER_P_ARG_DATA_OUT:
      return Shape::kBytes;
    case SAKER_P_ARG_SOCKADDR:
      return Shape::kSockaddr;
    case SAKER_P_ARG_FD_TUPLE_OUT:
    case SAKER_P_ARG_FD_TUPLE_IN:
      return Shape::kTuple;
    case SAKER_P_PTRACE_ADDR:
    case SAKER_P_PTRACE_DATA:
      return Shape::kDyn;
    case SAKER_P_RES:
    case SAKER_P_ARG_S64:
    case SAKER_P_ARG_U64:
    case SAKER_P_CAP_INHERITABLE:
    case SAKER_P_CAP_PERMITTED:
    case SAKER_P_CAP_EFFECTIVE:
    case SAKER_P_ARG_FD_PAIR0:
    case SAKER_P_ARG_FD_PAIR1:
    case SAKER_P_ARG_FD_PAIR_INO:
    case SAKER_P_RES_FD_INO:
    case SAKER_P_ARG_USER_U64:
    case SAKER_P_PRCTL_ARG2_INT:
    case SAKER_P_ARG_FD_PAIR_SK:
    case SAKER_P_ARG_FD_PAIR_PEER:
      return Shape::kW8;
    default:
      return Shape::kUnknown;  // a new kind: say here what it writes
  }
}

Shape type_shape(ParamType t) {
  switch (scap::fixed_width(t)) {
    case 1: return Shape::kW1;
    case 2: return Shape::kW2;
    case 4: return Shape::kW4;
    case 8: return t == ParamType::kDouble ? Shape::kUnknown : Shape::kW8;
    default: break;
  }
  switch (t) {
    case ParamType::kCharBuf:
    case ParamType::kFsPath:
    case ParamType::kFsRelPath:
      return Shape::kString;
    case ParamType::kByteBuf:
      return Shape::kBytes;
    case ParamType::kSockAddr:
      return Shape::kSockaddr;
    case ParamType::kSockTuple:
      return Shape::kTuple;
    case ParamType::kDyn:
      return Shape::kDyn;
    default:
      return Shape::kUnknown;
  }
}

}  // namespace

TEST_CASE("live syscall table: every table-driven layout agrees with the scap event table") {
  for (const auto& sc : live_syscalls()) {
    CAPTURE(sc.name);
    CHECK(x86_64_syscall_nr(sc.name).has_value());
    const auto& info = scap::event_info(sc.event_type);
    // the event is the syscall's own exit event
    CHECK(std::string(info.name) == std::string(sc.name));
    CHECK(sc.event_type % 2 == 1);
    if (!sc.program.empty()) continue;
    CHECK(sc.params.size() <= info.nparams);
    CHECK(sc.params.size() <= SAKER_SPEC_MAX_PARAMS);
    for (std::size_t i = 0; i < sc.params.size() && i < info.nparams; ++i) {
      const Shape want = type_shape(info.params[i].type);
      const Shape got = kind_shape(sc.params[i].kind);
      CAPTURE(i);
      CAPTURE(std::string(info.params[i].name));
      CHECK(got != Shape::kUnknown);
      if (got == Shape::kEmpty) continue;
      CHECK(static_cast<int>(got) == static_cast<int>(want));
    }
    // the first parameter is the return value
    REQUIRE(!sc.params.empty());
    CHECK(sc.params[0].kind == SAKER_P_RES);
  }
}

TEST_CASE("live syscall table: the dispatcher jumps directly to every syscall's own program") {
  // dispatch.bpf.c has a constant-slot tail call for each number of SAKER_DIRECT_PROGRAM_NRS;
  // a program missing there would still run, through the slower indirect tail call
  const std::set<std::uint32_t> direct = {SAKER_DIRECT_PROGRAM_NRS};
  std::size_t with_program = 0;
  for (const auto& sc : live_syscalls()) {
    if (sc.program.empty()) continue;
    CAPTURE(sc.name);
    auto nr = x86_64_syscall_nr(sc.name);
    REQUIRE(nr.has_value());
    CHECK(direct.count(*nr) == 1);
    ++with_program;
  }
  CHECK(with_program == direct.size());
}

TEST_CASE("live syscall table: every table-driven layout fills its whole event") {
  // fewer parameters would be valid (sent empty), but none is left out today: keep it so
  std::string shorter;
  for (const auto& sc : live_syscalls()) {
    if (!sc.program.empty()) continue;
    const auto& info = scap::event_info(sc.event_type);
    std::size_t empty = 0;
    for (const auto& p : sc.params) empty += p.kind == SAKER_P_EMPTY;
    if (sc.params.size() < info.nparams || empty > 0) shorter += std::string(sc.name) + " ";
  }
  CHECK_MESSAGE(shorter.empty(), "layouts with parameters sent empty: " << shorter);
}

TEST_CASE("ia32 syscalls map to the x86_64 syscall with the same arguments, or to none") {
  auto x64 = [](std::string_view name) { return *x86_64_syscall_nr(name); };
  CHECK(ia32_syscall_name(5) == "open");
  CHECK(ia32_to_x86_64(5) == x64("open"));
  CHECK(ia32_to_x86_64(11) == x64("execve"));
  CHECK(ia32_to_x86_64(20) == x64("getpid"));
  CHECK(ia32_to_x86_64(120) == x64("clone"));
  CHECK(ia32_to_x86_64(359) == x64("socket"));
  CHECK(ia32_to_x86_64(362) == x64("connect"));
  CHECK(ia32_to_x86_64(213) == x64("setuid"));    // setuid32
  CHECK(ia32_to_x86_64(221) == x64("fcntl"));     // fcntl64
  CHECK(ia32_to_x86_64(239) == x64("sendfile"));  // sendfile64: a 64-bit offset
  CHECK(ia32_to_x86_64(358) == x64("execveat"));
  CHECK(ia32_to_x86_64(435) == x64("clone3"));  // unified numbering from 424
  CHECK(ia32_to_x86_64(102) == std::nullopt);   // socketcall
  CHECK(ia32_to_x86_64(117) == std::nullopt);   // ipc
  CHECK(ia32_to_x86_64(90) == std::nullopt);    // old mmap: a struct of arguments
  CHECK(ia32_to_x86_64(23) == std::nullopt);    // setuid with a 16-bit uid
  CHECK(ia32_to_x86_64(187) == std::nullopt);   // sendfile with a 32-bit offset
  CHECK(ia32_to_x86_64(7) == std::nullopt);     // waitpid: no x86_64 syscall
  CHECK(ia32_to_x86_64(SAKER_MAX_SYSCALLS + 1) == std::nullopt);
  // every tabled syscall is reachable from ia32, but mmap (ia32 has old_mmap and mmap2, with
  // other arguments) and accept (only through socketcall)
  for (const auto& sc : live_syscalls()) {
    bool found = false;
    for (std::uint32_t nr = 0; nr < SAKER_MAX_SYSCALLS && !found; ++nr)
      found = ia32_to_x86_64(nr) == x86_64_syscall_nr(sc.name);
    if (sc.name != "mmap" && sc.name != "accept") CHECK_MESSAGE(found, sc.name);
  }
}
