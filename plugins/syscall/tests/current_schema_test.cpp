// Events in the current driver schema: exit events that carry their enter event's parameters
// appended (close exit: res, fd) and arrive without any enter event. Each case feeds such
// exits to a State and reads the fields a rule would (fd.*, evt.args, evt.arg[NAME]) through
// the plugin's own extractors, so the table, the parsers and the fields are checked together.
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <string>

#include "event_builder.h"
#include "event_table.h"
#include "fields/field_table.h"
#include "state/state.h"

namespace scap = saker::syscall::scap;
namespace fields = saker::syscall::fields;
using saker::syscall::EventContext;
using saker::syscall::State;
using saker::syscall::ThreadInfo;
using B = saker::syscall::testing::EventBuilder;

namespace {

constexpr std::int64_t kAtFdcwd = -100;

void seed(State& st) {
  auto t = std::make_unique<ThreadInfo>();
  t->tid = t->pid = 100;
  t->ptid = 1;
  t->comm = "curl";
  t->exe = "curl";
  t->cwd = "/home/u/";
  st.threads().add(std::move(t));
}

// Parses one event (no enter event anywhere: current drivers do not send them) and extracts
// fields of it afterwards, as the plugin does for rules.
class Probe {
 public:
  Probe(State& st, std::vector<std::uint8_t> ev) : st_(st), ev_(std::move(ev)) {
    REQUIRE(st_.parse(ev_));
    ctx_ = st_.context_for(ev_);
    REQUIRE(ctx_);
    CHECK_FALSE(ctx_->enter);
  }
  const EventContext& ctx() const { return *ctx_; }

  // The field's value as text (numbers in decimal, addresses as dotted quads), or "<NA>".
  std::string get(std::string_view name, std::string_view key = {}) const {
    static const auto table = fields::all_fields();
    for (const auto& f : table) {
      if (f.info.name != name || !f.key.empty()) continue;
      saker_extract_request r{};
      r.has_arg = key.empty() ? 0 : 1;
      std::string k(key);
      r.arg_key = k.c_str();
      saker::sdk::ExtractArena arena;
      saker::sdk::ExtractRequest req(&r, &arena);
      fields::FieldCtx c{st_, *ctx_, req, key, !key.empty()};
      f.fn(c);
      arena.seal();
      req.publish();
      if (r.num_values == 0) return "<NA>";
      switch (f.info.type) {
        case saker::sdk::FieldType::kString:
          return std::string(r.values.str[0]);
        case saker::sdk::FieldType::kS64:
          return std::to_string(r.values.s64[0]);
        case saker::sdk::FieldType::kIpAddr: {
          if (r.values.bytes[0].len != 4) return "ipv6";
          char buf[INET_ADDRSTRLEN];
          inet_ntop(AF_INET, r.values.bytes[0].ptr, buf, sizeof buf);
          return std::string(buf);
        }
        default:
          return std::to_string(r.values.u64[0]);
      }
    }
    FAIL("no field ", name);
    return {};
  }

 private:
  State& st_;
  std::vector<std::uint8_t> ev_;
  const EventContext* ctx_ = nullptr;
};

std::vector<std::uint8_t> openat_x(std::int64_t fd, std::string_view name) {
  return B("openat", false, 100)
      .i64(fd)
      .i64(kAtFdcwd)
      .str(name)
      .u32(1)  // O_RDONLY
      .u32(0)
      .u32(0)
      .u64(42)
      .build();
}

void check_file_fd(const Probe& p, const char* num, const char* name) {
  CHECK(p.get("fd.num") == num);
  CHECK(p.get("fd.name") == name);
  CHECK(p.get("fd.type") == "file");
}

std::vector<std::string> param_names(std::uint16_t type) {
  const auto& e = scap::event_info(type);
  std::vector<std::string> v;
  for (std::uint32_t i = 0; i < e.nparams; ++i) v.emplace_back(e.params[i].name);
  return v;
}

}  // namespace

TEST_CASE("current exit layouts carry their enter parameters after their own") {
  using V = std::vector<std::string>;
  auto x = [](const char* n) { return param_names(*scap::find_event(n, false)); };
  CHECK(x("close") == V{"res", "fd"});
  CHECK(x("read") == V{"res", "data", "fd", "size"});
  CHECK(x("pread") == V{"res", "data", "fd", "size", "pos"});
  CHECK(x("mmap") == V{"res", "vm_size", "vm_rss", "vm_swap", "addr", "length", "prot", "flags",
                       "fd", "offset"});
  CHECK(x("sendto") == V{"res", "data", "fd", "size", "tuple"});
  CHECK(x("recvfrom") == V{"res", "data", "tuple", "fd", "size"});
  CHECK(x("connect") == V{"res", "tuple", "fd", "addr"});
  CHECK(x("socket") == V{"fd", "domain", "type", "proto"});
  CHECK(x("accept4") == V{"fd", "tuple", "queuepct", "queuelen", "queuemax", "flags"});
  CHECK(x("lseek") == V{"res", "fd", "offset", "whence"});
  CHECK(x("ioctl") == V{"res", "fd", "request", "argument"});
  CHECK(x("newfstatat") == V{"res", "dirfd", "path", "flags"});
  CHECK(x("syscall") == V{"ID", "nativeID"});
  CHECK(x("quotactl").size() == 18);
  CHECK(x("execve").size() == 30);
  CHECK(x("setreuid") == V{"res", "ruid", "euid"});
  CHECK(scap::find_event("setregid", false) == scap::kSetregidX);
  CHECK(scap::kEventTypeCount == 430);

  // The rule itself, for every current exit event: each enter parameter is also in the exit
  // (by name). execve/execveat keep their own layouts (the enter filename is not repeated),
  // fstat64 is not extended by the driver, and dup* already carry the enter fd as "oldfd".
  for (std::uint16_t t = 1; t < scap::kEventTypeCount; t += 2) {
    const auto& xi = scap::event_info(t);
    if (xi.flags & (scap::kEfOldVersion | scap::kEfUnused)) continue;
    const std::string_view name = xi.name;
    if (name == "execve" || name == "execveat" || name == "fstat64") continue;
    CAPTURE(name);
    const auto& ei = scap::event_info(scap::paired_event(t));
    for (std::uint32_t i = 0; i < ei.nparams; ++i) {
      const std::string_view pn = ei.params[i].name;
      CAPTURE(pn);
      const bool dup_fd = name.starts_with("dup") && pn == "fd";
      CHECK(scap::find_param(t, dup_fd ? "oldfd" : pn));
    }
  }
}

TEST_CASE("file I/O exits resolve their descriptor from their own fd parameter") {
  State st;
  seed(st);
  REQUIRE(st.parse(openat_x(3, "/etc/passwd")));

  {
    Probe p(st, B("read", false, 100).i64(5).bytes("root:").i64(3).u32(4096).build());
    check_file_fd(p, "3", "/etc/passwd");
    CHECK(p.get("evt.args") == "res=5 data=root: fd=3(<f>/etc/passwd) size=4096");
    CHECK(p.get("evt.arg", "size") == "4096");
  }
  {
    Probe p(st, B("write", false, 100).i64(2).bytes("hi").i64(3).u32(2).build());
    check_file_fd(p, "3", "/etc/passwd");
  }
  {
    Probe p(st, B("pread", false, 100).i64(0).empty().i64(3).u32(16).u64(512).build());
    check_file_fd(p, "3", "/etc/passwd");
    CHECK(p.get("evt.arg", "pos") == "512");
  }
  {
    Probe p(st, B("lseek", false, 100).i64(10).i64(3).u64(10).u8(0).build());
    check_file_fd(p, "3", "/etc/passwd");
    CHECK(p.get("evt.args") == "res=10 fd=3(<f>/etc/passwd) offset=10 whence=0(SEEK_SET)");
  }
  {
    Probe p(st, B("ioctl", false, 100).i64(0).i64(3).u64(0x5401).u64(0).build());
    check_file_fd(p, "3", "/etc/passwd");
    CHECK(p.get("evt.arg", "request") == "5401");
  }
  {
    Probe p(st, B("fstat", false, 100).i64(0).i64(3).build());
    check_file_fd(p, "3", "/etc/passwd");
  }
  {
    // mmap names its fd; saker does not make it the event's descriptor (see event_table.cpp)
    // but the parameters render and stay reachable by name.
    Probe p(st, B("mmap", false, 100)
                    .i64(0x7f0000000000)
                    .u32(100)
                    .u32(50)
                    .u32(0)
                    .u64(0)
                    .u64(4096)
                    .u32(1)  // PROT_READ
                    .u32(2)  // MAP_PRIVATE
                    .i64(3)
                    .u64(0)
                    .build());
    CHECK(p.ctx().arg_int("fd") == 3);
    CHECK(p.get("evt.arg", "length") == "4096");
    const auto args = p.get("evt.args");
    CAPTURE(args);
    CHECK(args.find("prot=1(PROT_READ) flags=2(MAP_PRIVATE) fd=3(<f>/etc/passwd) offset=0") !=
          std::string::npos);
    CHECK(args.find("arg") == std::string::npos);
  }
  {
    Probe p(st, B("newfstatat", false, 100).i64(0).i64(kAtFdcwd).str("f.txt").u32(0).build());
    CHECK(p.get("evt.arg", "path") == "/home/u/f.txt");  // the resolved text, as Falco
    CHECK(p.get("evt.rawarg", "dirfd") == "-100");
    CHECK(p.get("evt.args").find("dirfd=-100(AT_FDCWD)") != std::string::npos);
    // A relative path shows what it resolves to (here against the cwd: dirfd AT_FDCWD).
    CHECK(p.get("evt.args").find("path=f.txt(/home/u/f.txt)") != std::string::npos);
    CHECK(p.get("evt.arg", "dirfd") == "AT_FDCWD");
    CHECK(p.get("fs.path.name") == "/home/u/f.txt");
  }
  {
    // close: the descriptor is visible to its own event, then gone.
    Probe p(st, B("close", false, 100).i64(0).i64(3).build());
    check_file_fd(p, "3", "/etc/passwd");
    CHECK(p.get("evt.args") == "res=0 fd=3(<f>/etc/passwd)");
  }
  CHECK(st.threads().find(100)->fds->find(3) == nullptr);
}

TEST_CASE("fd.nameraw: the path as the opening call gave it, from Falco's and saker's drivers") {
  using namespace std::string_literals;
  State st;
  seed(st);
  {
    // a recorder that sends the argument (Falco's drivers): fd.name is made absolute from
    // the cwd, fd.nameraw keeps the argument with its "../"
    Probe p(st, openat_x(3, "../../etc/passwd"));
    CHECK(p.get("fd.name") == "/etc/passwd");
    CHECK(p.get("fd.nameraw") == "../../etc/passwd");
    CHECK(p.get("fs.path.nameraw") == "../../etc/passwd");
  }
  {
    // saker's live driver: the kernel's path of the file opened, then the argument
    Probe p(st, openat_x(4, "/etc/shadow\0../../../etc/shadow\0"s));
    CHECK(p.get("fd.name") == "/etc/shadow");
    CHECK(p.get("fd.nameraw") == "../../../etc/shadow");
    CHECK(p.get("fs.path.nameraw") == "../../../etc/shadow");
    CHECK(p.get("evt.arg", "name") == "/etc/shadow");
  }
  {
    // the same path both ways: nothing extra kept, fd.nameraw is the name
    Probe p(st, openat_x(5, "/etc/hosts\0/etc/hosts\0"s));
    CHECK(p.get("fd.nameraw") == "/etc/hosts");
    CHECK(p.ctx().fd->name_raw.empty());
  }
  // the descriptor keeps its raw name for later events (a read of it)
  Probe r(st, B("read", false, 100).i64(5).bytes("root:").i64(4).u32(4096).build());
  CHECK(r.get("fd.nameraw") == "../../../etc/shadow");
}

TEST_CASE("socket, connect, sendto and accept4 exits fill and find the socket endpoints") {
  State st;
  seed(st);
  {
    // socket exit: fd, then domain/type/proto (AF_INET, SOCK_STREAM).
    Probe p(st, B("socket", false, 100).i64(4).u32(2).u32(1).u32(0).build());
    CHECK(p.get("evt.args") == "fd=4(<4>) domain=2(AF_INET) type=1 proto=0");
  }
  auto* fd = st.threads().find(100)->fds->find(4);
  REQUIRE(fd);
  CHECK(fd->l4proto == 2);

  const std::uint32_t local = inet_addr("10.0.0.1"), remote = inet_addr("93.184.216.34");
  std::vector<std::uint8_t> addr(7);  // the connect address: family, ip, port
  addr[0] = 2;
  std::memcpy(&addr[1], &remote, 4);
  const std::uint16_t port = 443;
  std::memcpy(&addr[5], &port, 2);
  {
    Probe p(st, B("connect", false, 100)
                    .i64(0)
                    .tuple4(local, 40000, remote, 443)
                    .i64(4)
                    .bytes(std::string_view(reinterpret_cast<const char*>(addr.data()), 7))
                    .build());
    CHECK(p.get("fd.num") == "4");
    CHECK(p.get("fd.type") == "ipv4");
    CHECK(p.get("fd.name") == "10.0.0.1:40000->93.184.216.34:443");
    CHECK(p.get("fd.cip") == "10.0.0.1");
    CHECK(p.get("fd.cport") == "40000");
    CHECK(p.get("fd.sip") == "93.184.216.34");
    CHECK(p.get("fd.sport") == "443");
  }
  {
    Probe p(st, B("sendto", false, 100)
                    .i64(3)
                    .bytes("GET")
                    .i64(4)
                    .u32(3)
                    .tuple4(local, 40000, remote, 443)
                    .build());
    CHECK(p.get("fd.name") == "10.0.0.1:40000->93.184.216.34:443");
    CHECK(p.get("fd.sport") == "443");
    CHECK(p.get("evt.arg", "size") == "3");
  }
  {
    Probe p(st, B("accept4", false, 100)
                    .i64(7)
                    .tuple4(remote, 5555, local, 80)
                    .u8(0)
                    .u32(1)
                    .u32(128)
                    .u32(0x800)  // the accept4 flags (SOCK_NONBLOCK), now in the exit
                    .build());
    CHECK(p.get("fd.num") == "7");
    CHECK(p.get("fd.sip") == "10.0.0.1");
    CHECK(p.get("fd.sport") == "80");
    CHECK(p.get("fd.cip") == "93.184.216.34");
    CHECK(p.get("fd.cport") == "5555");
    CHECK(p.get("evt.arg", "flags") == "800");
  }
  REQUIRE(st.threads().find(100)->fds->find(7));
}

TEST_CASE("an old capture's short exit still validates and borrows its enter parameters") {
  State st;
  seed(st);
  REQUIRE(st.parse(openat_x(3, "/etc/hosts")));
  const auto payload = saker::syscall::testing::folded(
      B("read", false, 100).i64(1).bytes("x"),  // the pre-schema read exit: res, data
      B("read", true, 100).i64(3).u32(1));
  REQUIRE(st.parse(payload));
  const auto* ctx = st.context_for(payload);
  REQUIRE(ctx);
  REQUIRE(ctx->fd);
  CHECK(ctx->fd->name == "/etc/hosts");
  CHECK(ctx->evt.nparams() == 2);
}

TEST_CASE("generic events are named for every current syscall code") {
  State st;
  seed(st);
  struct Case {
    std::uint16_t code;
    const char* name;
  };
  for (auto c : {Case{139, "madvise"}, Case{330, "io_uring_setup"}, Case{347, "pidfd_open"},
                 Case{367, "statx"}, Case{392, "close_range"}, Case{450, "file_setattr"}}) {
    CAPTURE(c.name);
    Probe p(st, B("syscall", false, 100).u16(c.code).u16(0).build());
    CHECK(p.get("evt.type") == c.name);
  }
}

TEST_CASE("credential exits carry the new ids; setreuid/setregid change the effective ids") {
  State st;
  seed(st);
  ThreadInfo* t = st.threads().find(100);
  {
    Probe p(st, B("setuid", false, 100).i64(0).u32(1000).build());
    CHECK(p.get("evt.arg", "uid") == "1000");
  }
  CHECK(t->uid == 1000);
  REQUIRE(st.parse(B("setreuid", false, 100).i64(0).u32(UINT32_MAX).u32(33).build()));
  CHECK(t->uid == 33);
  REQUIRE(st.parse(B("setreuid", false, 100).i64(0).u32(7).u32(UINT32_MAX).build()));
  CHECK(t->uid == 33);  // -1: the effective uid is unchanged
  REQUIRE(st.parse(B("setregid", false, 100).i64(0).u32(UINT32_MAX).u32(44).build()));
  CHECK(t->gid == 44);
  REQUIRE(st.parse(B("setregid", false, 100).i64(-1).u32(5).u32(5).build()));
  CHECK(t->gid == 44);  // failed
}

TEST_CASE("an execve exit of the current layout: vpgid at 17, the initial-namespace pgid and gid") {
  State st;
  seed(st);
  auto ev = B("execve", false, 100)
                .i64(0)
                .str("/usr/bin/id")
                .bytes(std::string_view("-u\0", 3))
                .i64(100)
                .i64(100)
                .i64(1)
                .str("/home/u/")
                .u64(1024)
                .u64(0)
                .u64(0)
                .u32(0)
                .u32(0)
                .u32(0)
                .str("id")
                .empty()
                .empty()
                .u32(0)
                .i64(50)  // vpgid
                .u32(1000)
                .u32(0)
                .u64(0)
                .u64(0)
                .u64(0)
                .u64(0)
                .u64(0)
                .u64(0)
                .u32(1000)
                .str("/usr/bin/id")
                .i64(5000)  // pgid in the initial pid namespace
                .u32(20)    // gid
                .build();
  Probe p(st, std::move(ev));
  CHECK(p.ctx().evt.nparams() == 30);
  CHECK(p.get("proc.vpgid") == "50");
  CHECK(p.get("evt.arg", "pgid") == "5000");
  CHECK(st.threads().find(100)->gid == 20);
  CHECK(st.threads().find(100)->uid == 1000);
}

TEST_CASE("evt.args of execve ends with the enter's filename, as libs 0.23 shows it") {
  SUBCASE("saker's layout (30 parameters): appended from the enter event, here missing") {
    State st;
    seed(st);
    auto ev = B("execve", false, 100)
                  .i64(0)
                  .str("/usr/bin/id")
                  .bytes(std::string_view("-u\0", 3))
                  .i64(100)
                  .i64(100)
                  .i64(1)
                  .str("/home/u/")
                  .u64(1024)
                  .u64(0)
                  .u64(0)
                  .u32(0)
                  .u32(0)
                  .u32(0)
                  .str("id")
                  .empty()
                  .empty()
                  .u32(0)
                  .i64(50)  // vpgid
                  .u32(1000)
                  .u32(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u32(1000)
                  .str("/usr/bin/id")
                  .i64(5000)  // pgid in the initial pid namespace
                  .u32(20)    // gid
                  .build();
    Probe p(st, std::move(ev));
    const std::string args = p.get("evt.args");
    CHECK(args.ends_with(" gid=20 filename=<NA>"));
    CHECK(args.find("arg30") == std::string::npos);
  }
  SUBCASE("Falco's own capture (31 parameters): the event carries it") {
    State st;
    seed(st);
    auto ev = B("execve", false, 100)
                  .i64(0)
                  .str("/usr/bin/id")
                  .bytes(std::string_view("-u\0", 3))
                  .i64(100)
                  .i64(100)
                  .i64(1)
                  .str("/home/u/")
                  .u64(1024)
                  .u64(0)
                  .u64(0)
                  .u32(0)
                  .u32(0)
                  .u32(0)
                  .str("id")
                  .empty()
                  .empty()
                  .u32(0)
                  .i64(50)  // vpgid
                  .u32(1000)
                  .u32(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u64(0)
                  .u32(1000)
                  .str("/usr/bin/id")
                  .i64(5000)  // pgid in the initial pid namespace
                  .u32(20)    // gid
                  .str("/usr/bin/id")
                  .build();
    Probe p(st, std::move(ev));
    const std::string args = p.get("evt.args");
    CHECK(args.ends_with(" gid=20 filename=/usr/bin/id"));
    CHECK(args.find("arg30") == std::string::npos);
  }
}
