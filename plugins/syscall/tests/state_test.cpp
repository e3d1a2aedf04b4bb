// Unit tests of the state parsers: each feeds hand-built scap events to a State and checks
// the thread, descriptor and user tables.
#include "state/state.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <chrono>
#include <set>

#include "capture_writer.h"
#include "event_builder.h"
#include "state/interrupt.h"

using saker::syscall::FdRole;
using saker::syscall::FdType;
using saker::syscall::State;
using saker::syscall::StateLimits;
using saker::syscall::ThreadInfo;
using B = saker::syscall::testing::EventBuilder;
using saker::syscall::testing::folded;

namespace {

constexpr std::int64_t kAtFdcwd = -100;
constexpr std::uint32_t kORdonly = 1, kOCloexec = 1u << 12;

// A State knowing one process (tid = pid = 100, cwd /home/u/) with one child thread 101.
void seed(State& st) {
  auto t = std::make_unique<ThreadInfo>();
  t->tid = t->pid = 100;
  t->ptid = 1;
  t->comm = "bash";
  t->exe = "bash";
  t->cwd = "/home/u/";
  st.threads().add(std::move(t));
  auto th = std::make_unique<ThreadInfo>();
  th->tid = 101;
  th->pid = 100;
  th->ptid = 1;
  th->comm = "bash";
  th->fds = st.threads().find(100)->fds;
  st.threads().add(std::move(th));
}

void feed(State& st, const std::vector<std::uint8_t>& ev) { REQUIRE(st.parse(ev)); }

std::vector<std::uint8_t> openat_x(std::uint64_t tid, std::int64_t fd, std::int64_t dirfd,
                                   std::string_view name, std::uint32_t flags = kORdonly) {
  return B("openat", false, tid)
      .i64(fd)
      .i64(dirfd)
      .str(name)
      .u32(flags)
      .u32(0)
      .u32(0)
      .u64(7)
      .build();
}

}  // namespace

TEST_CASE("openat resolves relative paths against the cwd and the dirfd; close removes") {
  State st;
  seed(st);
  feed(st, openat_x(100, 3, kAtFdcwd, "../x/./f.txt"));
  auto* fd = st.threads().find(100)->fds->find(3);
  REQUIRE(fd);
  CHECK(fd->name == "/home/x/f.txt");
  CHECK(fd->type == FdType::kFile);
  CHECK(fd->ino == 7);
  feed(st, openat_x(100, 4, kAtFdcwd, "/etc", 1u << 10));
  CHECK(st.threads().find(100)->fds->find(4)->type == FdType::kDirectory);
  feed(st, openat_x(101, 5, 4, "passwd"));  // a thread shares its process's fds
  CHECK(st.threads().find(100)->fds->find(5)->name == "/etc/passwd");
  // close: the enter event names the fd; the fd stays visible to the close event itself.
  feed(st, folded(B("close", false, 100).i64(0), B("close", true, 100).i64(5)));
  CHECK(st.threads().find(100)->fds->find(5) == nullptr);
  const auto* ctx =
      st.context_for(folded(B("close", false, 100).i64(0), B("close", true, 100).i64(5)));
  REQUIRE(ctx);
  CHECK(ctx->fd_num == 5);
}

TEST_CASE("a failed open is visible to its own event but not stored") {
  State st;
  seed(st);
  auto ev = openat_x(100, -2, kAtFdcwd, "missing");
  feed(st, ev);
  const auto* ctx = st.context_for(ev);
  REQUIRE(ctx->fd);
  CHECK(ctx->fd->name == "/home/u/missing");
  CHECK(ctx->fd_num == -1);  // no descriptor, as Falco shows it (the error is evt.rawres)
  CHECK(ctx->fd->type == FdType::kUnknown);
  CHECK(st.threads().find(100)->fds->size() == 0);
}

TEST_CASE("clone creates the child from the parent's event; execve replaces the program") {
  State st;
  seed(st);
  feed(st, openat_x(100, 3, kAtFdcwd, "/tmp/a", kORdonly));
  feed(st, openat_x(100, 4, kAtFdcwd, "/tmp/b", kORdonly | kOCloexec));
  // clone exit in the parent: res = child tid 200, no CLONE_THREAD, no CLONE_FILES.
  feed(st, B("clone", false, 100, 2000)
               .i64(200)
               .str("bash")
               .bytes("")
               .i64(100)
               .i64(100)
               .i64(1)
               .str("/home/u/")
               .i64(1024)
               .u64(0)
               .u64(0)
               .u32(0)
               .u32(0)
               .u32(0)
               .str("bash")
               .bytes("")
               .u32(0)
               .u32(1000)
               .u32(1000)
               .build());
  ThreadInfo* child = st.threads().find(200);
  REQUIRE(child);
  CHECK(child->pid == 200);
  CHECK(child->ptid == 100);
  CHECK(child->fds != st.threads().find(100)->fds);
  CHECK(child->fds->find(3));
  // execve in the child: new program, args, cloexec fds closed.
  feed(st, folded(B("execve", false, 200, 3000)
                      .i64(0)
                      .str("cat")
                      .bytes(std::string_view("/dev/null\0", 10))
                      .i64(200)
                      .i64(200)
                      .i64(100)
                      .str("/home/u/")
                      .u64(1024)
                      .u64(0)
                      .u64(0)
                      .u32(0)
                      .u32(0)
                      .u32(0)
                      .str("cat")
                      .bytes("")
                      .bytes(std::string_view("A=1\0", 4)),
                  B("execve", true, 200).str("/bin/cat")));
  CHECK(child->comm == "cat");
  CHECK(child->exepath == "/bin/cat");
  REQUIRE(child->args.size() == 1);
  CHECK(child->args[0] == "/dev/null");
  CHECK(child->fds->find(3));
  CHECK_FALSE(child->fds->find(4));
  CHECK(child->env == std::vector<std::string>{"A=1"});
  // procexit: removed at the next event, so rules still see the exiting thread.
  feed(st, B("procexit", true, 200).i64(0).i64(0).u8(0).u8(0).build());
  CHECK(st.threads().find(200));
  feed(st, openat_x(100, 6, kAtFdcwd, "/tmp/c"));
  CHECK_FALSE(st.threads().find(200));
  CHECK(st.counters().threads_removed == 1);
}

namespace {

std::unique_ptr<ThreadInfo> thread(std::int64_t tid, std::int64_t pid, std::int64_t ptid) {
  auto t = std::make_unique<ThreadInfo>();
  t->tid = tid;
  t->pid = pid;
  t->ptid = ptid;
  return t;
}

std::vector<std::uint8_t> procexit(std::uint64_t tid, std::int64_t reaper = -1) {
  B b("procexit", true, tid);
  b.i64(0).i64(0).u8(0).u8(0);
  if (reaper >= 0) b.i64(reaper);
  return b.build();
}

}  // namespace

TEST_CASE("procexit re-parents the children it has, whatever way they got their parent") {
  State st;
  seed(st);  // 100 (ptid 1) and its thread 101
  auto& tt = st.threads();
  // A child from the parent's clone event (ptid 100), one added with its ptid set (ptid 200),
  // one that got its parent later through set_ptid (ptid 200), and one seeded before its
  // parent is known (ptid 300: the parent comes after it).
  feed(st, B("clone", false, 100, 2000).i64(200).str("bash").bytes("").i64(100).i64(100).i64(1)
               .str("/home/u/").i64(1024).u64(0).u64(0).u32(0).u32(0).u32(0).str("bash")
               .bytes("").u32(0).u32(1000).u32(1000).build());
  REQUIRE(tt.find(200));
  CHECK(tt.find(200)->ptid == 100);
  tt.add(thread(201, 201, 200));
  ThreadInfo* late = tt.add(thread(202, 202, 1));
  tt.set_ptid(late, 200);
  tt.add(thread(301, 301, 300));
  tt.add(thread(300, 300, 1));
  // A thread without children exits: nobody moves.
  CHECK(tt.reparent_children(101, 1) == 0);
  feed(st, procexit(101));
  CHECK(tt.find(200)->ptid == 100);
  // 200 exits, its reaper named: its two children go to the reaper, the others stay.
  feed(st, procexit(200, 100));
  CHECK(tt.find(201)->ptid == 100);
  CHECK(tt.find(202)->ptid == 100);
  CHECK(tt.find(301)->ptid == 300);
  // 100 exits without a reaper: its children (including the re-parented ones) go to init.
  feed(st, openat_x(300, 3, kAtFdcwd, "/tmp/a"));  // flushes 200
  feed(st, procexit(100));
  CHECK(tt.find(201)->ptid == 1);
  CHECK(tt.find(202)->ptid == 1);
  // 300, added after its child, still re-parents it.
  feed(st, procexit(300, 1));
  CHECK(tt.find(301)->ptid == 1);
  // A re-parented tid that gets a new child later is scanned again.
  tt.add(thread(400, 400, 201));
  CHECK(tt.reparent_children(201, 1) == 1);
  CHECK(tt.find(400)->ptid == 1);
  CHECK(tt.reparent_children(201, 1) == 0);
}

TEST_CASE("child tracking stays exact through eviction and a thread reusing an exited parent's tid") {
  StateLimits limits;
  limits.max_threads = 64;
  State st(limits);
  auto& tt = st.threads();
  // Many parents with one child each, most evicted: children left behind keep their ptid
  // until a thread with that tid exits.
  for (std::int64_t i = 0; i < 1000; ++i) {
    tt.add(thread(10000 + i, 10000 + i, 1));
    tt.add(thread(20000 + i, 20000 + i, 10000 + i));
  }
  CHECK(tt.size() <= 64);
  std::size_t moved = 0, expected = 0;
  for (const auto& [tid, t] : tt.entries()) {
    if (t->ptid >= 10000 && t->ptid < 20000) ++expected;
  }
  for (std::int64_t i = 0; i < 1000; ++i) moved += tt.reparent_children(10000 + i, 1);
  CHECK(moved == expected);
  for (const auto& [tid, t] : tt.entries()) CHECK(t->ptid == 1);
}

TEST_CASE("a clone shares its parent's arguments and environment; execve keeps what it did not change") {
  State st;
  seed(st);
  ThreadInfo* parent = st.threads().find(100);
  parent->args = saker::syscall::StringList::from_nul_list(std::string_view("-c\0x\0", 5));
  parent->env = saker::syscall::StringList::from_nul_list(std::string_view("A=1\0B=2\0", 8));
  parent->update_cmdline();
  const std::string_view args("-c\0x\0", 5);
  auto clone_x = [&](std::uint64_t tid, std::int64_t res) {
    return B("clone", false, tid, 2000).i64(res).str("bash").bytes(args).i64(tid).i64(tid)
        .i64(100).str("/home/u/").i64(1024).u64(0).u64(0).u32(0).u32(0).u32(0).str("bash")
        .bytes("").u32(0).u32(1000).u32(1000).build();
  };
  feed(st, clone_x(100, 200));  // the parent's event
  ThreadInfo* child = st.threads().find(200);
  REQUIRE(child);
  CHECK(child->args.shares_with(parent->args));
  CHECK(child->env.shares_with(parent->env));
  feed(st, clone_x(200, 0));  // the child's own event, the same arguments
  CHECK(child->args.shares_with(parent->args));
  CHECK(child->env.shares_with(parent->env));
  CHECK(child->cmdline == "bash -c x");
  CHECK(child->args == std::vector<std::string>{"-c", "x"});
  feed(st, folded(B("execve", false, 200, 3000).i64(0).str("cat").bytes(std::string_view("y\0", 2))
                      .i64(200).i64(200).i64(100).str("/home/u/").u64(1024).u64(0).u64(0)
                      .u32(0).u32(0).u32(0).str("cat").bytes("")
                      .bytes(std::string_view("A=1\0B=2\0", 8)),
                  B("execve", true, 200).str("/bin/cat")));
  CHECK(child->args == std::vector<std::string>{"y"});
  CHECK(child->cmdline == "cat y");
  CHECK(child->env.shares_with(parent->env));
  CHECK(parent->cmdline == "bash -c x");
  CHECK(parent->args == std::vector<std::string>{"-c", "x"});
}

TEST_CASE("dup2 and fcntl(F_DUPFD) copy the descriptor; pipes make two fifo fds") {
  State st;
  seed(st);
  feed(st, openat_x(100, 3, kAtFdcwd, "/var/log/x"));
  feed(st, B("dup2", false, 100).i64(9).i64(3).i64(9).build());
  CHECK(st.threads().find(100)->fds->find(9)->name == "/var/log/x");
  feed(st, B("fcntl", false, 100).i64(12).i64(3).u8(1).build());
  CHECK(st.threads().find(100)->fds->find(12)->name == "/var/log/x");
  feed(st, B("pipe", false, 100).i64(0).i64(20).i64(21).u64(555).build());
  CHECK(st.threads().find(100)->fds->find(20)->type == FdType::kFifo);
  CHECK(st.threads().find(100)->fds->find(21)->name.empty());  // unnamed, as in Falco
  CHECK(st.threads().find(100)->fds->find(21)->ino == 555);
}

TEST_CASE("socket + connect fill both endpoints; accept makes a server-side fd") {
  State st;
  seed(st);
  feed(st, folded(B("socket", false, 100).i64(3), B("socket", true, 100).u32(2).u32(1).u32(0)));
  auto* fd = st.threads().find(100)->fds->find(3);
  REQUIRE(fd);
  CHECK(fd->type == FdType::kIpv4Sock);
  CHECK(fd->l4proto == 2);
  std::uint32_t local = inet_addr("10.0.0.1"), remote = inet_addr("10.0.0.2");
  feed(st, B("connect", false, 100).i64(0).tuple4(local, 40000, remote, 443).i64(3).build());
  CHECK(fd->name == "10.0.0.1:40000->10.0.0.2:443");
  CHECK(fd->role == FdRole::kClient);
  feed(st,
       B("accept4", false, 100).i64(7).tuple4(remote, 5555, local, 80).u8(0).u32(0).u32(0).build());
  auto* acc = st.threads().find(100)->fds->find(7);
  REQUIRE(acc);
  CHECK(acc->role == FdRole::kServer);
  CHECK(acc->name == "10.0.0.2:5555->10.0.0.1:80");
}

TEST_CASE("a stream of new threads past the table's limit: the longest idle go, in linear time") {
  // hostile input: 300k distinct tids through a table of the default 131,072 threads. An
  // eviction by scan per new thread took ~1.2 ms each at the limit (minutes in all); the
  // batch eviction keeps it linear (a bound ~50x above what this machine takes).
  State st;
  const std::uint64_t n = 300000;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t tid = 1; tid <= n; ++tid) feed(st, B("getsockname", false, tid, tid).build());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  CHECK(s < 30.0);
  CHECK(st.threads().size() <= 131072);
  CHECK(st.counters().threads_evicted == n - st.threads().size());
  for (std::uint64_t tid = n - 1000; tid <= n; ++tid) CHECK(st.threads().find(tid) != nullptr);
  CHECK(st.threads().find(1) == nullptr);
}

TEST_CASE("chdir, setuid, setsid update the thread") {
  State st;
  seed(st);
  feed(st, B("chdir", false, 100).i64(0).str("../v").build());
  CHECK(st.threads().find(100)->cwd == "/home/v/");
  feed(st, folded(B("setuid", false, 100).i64(0), B("setuid", true, 100).u32(33)));
  CHECK(st.threads().find(100)->uid == 33);
  feed(st, B("setsid", false, 100).i64(100).build());
  CHECK(st.threads().find(100)->sid == 100);
}

TEST_CASE("the tables are bounded and count what they drop") {
  StateLimits lim;
  lim.max_threads = 4;
  lim.max_fds_per_process = 2;
  State st(lim);
  for (std::uint64_t tid = 1; tid <= 6; ++tid) feed(st, B("getsockname", false, tid).build());
  CHECK(st.threads().size() == 4);
  CHECK(st.counters().threads_evicted == 2);
  for (int fd = 3; fd < 6; ++fd) feed(st, openat_x(6, fd, kAtFdcwd, "/x"));
  CHECK(st.threads().find(6)->fds->size() == 2);
  CHECK(st.counters().fds_dropped == 1);
}

TEST_CASE("an exit event finds its enter parameters, folded or remembered per thread") {
  State st;
  seed(st);
  // Separate enter then exit (a driver that does not fold).
  feed(st, B("open", true, 100).str("rel").u32(kORdonly).u32(0).build());
  auto exit = B("open", false, 100).i64(3).build();  // old-style exit without the name
  feed(st, exit);
  CHECK(st.threads().find(100)->fds->find(3)->name == "/home/u/rel");
  CHECK_FALSE(st.parse(std::vector<std::uint8_t>{1, 2, 3}));
  CHECK(st.counters().bad_events == 1);
}

TEST_CASE("the thread table's last-found cache follows additions, replacements and removals") {
  State st;
  seed(st);
  ThreadInfo* t = st.threads().find(100);
  REQUIRE(t);
  CHECK(st.threads().find(100) == t);  // served by the cache
  auto repl = std::make_unique<ThreadInfo>();
  repl->tid = repl->pid = 100;
  repl->comm = "zsh";
  ThreadInfo* r = st.threads().add(std::move(repl));
  CHECK(st.threads().find(100) == r);
  CHECK(st.threads().find(100)->comm == "zsh");
  st.threads().remove(100);
  CHECK(st.threads().find(100) == nullptr);
  CHECK(st.threads().find(101) != nullptr);
  // Absent tids are remembered as absent until added; 100 + 256 shares 100's slot.
  CHECK(st.threads().find(999) == nullptr);
  CHECK(st.threads().find(999 + 256) == nullptr);
  auto late = std::make_unique<ThreadInfo>();
  late->tid = late->pid = 999;
  ThreadInfo* l = st.threads().add(std::move(late));
  CHECK(st.threads().find(999) == l);
  CHECK(st.threads().find(999 + 256) == nullptr);
  CHECK(st.threads().find(999) == l);
  auto again = std::make_unique<ThreadInfo>();
  again->tid = again->pid = 100;
  ThreadInfo* a = st.threads().add(std::move(again));
  CHECK(st.threads().find(100 + 256) == nullptr);
  CHECK(st.threads().find(100) == a);
  // Eviction of the cached thread (the oldest) when the table is full.
  StateLimits lim;
  lim.max_threads = 2;
  State small(lim);
  feed(small, B("getsockname", false, 1, 1000).build());
  feed(small, B("getsockname", false, 2, 2000).build());
  REQUIRE(small.threads().find(1));
  feed(small, B("getsockname", false, 3, 3000).build());
  CHECK(small.threads().find(1) == nullptr);
  CHECK(small.threads().find(3) != nullptr);
}

TEST_CASE("seeding polls the thread's stop check and stops early when asked") {
  saker::syscall::scap::CaptureTables tables;
  for (std::uint64_t tid = 1; tid <= 20000; ++tid) {
    saker::syscall::scap::ProcessEntry p;
    p.tid = p.pid = tid;
    p.comm = "w";
    tables.processes.push_back(p);
  }
  {
    State st;
    CHECK(st.seed(tables));  // no check installed: never interrupted
    CHECK(st.threads().size() == 20000);
  }
  int calls = 0;
  saker::syscall::InterruptScope scope([&] { return ++calls >= 2; });
  State st;
  CHECK_FALSE(st.seed(tables));
  CHECK(calls == 2);  // polled every few thousand entries, not per entry
  CHECK(st.threads().size() < 20000);
  CHECK(st.threads().size() >= 2 * saker::syscall::kInterruptEvery);
}

TEST_CASE("fd table: a descriptor past the dense range is found whatever order numbers came in") {
  saker::syscall::StateCounters counters;
  saker::syscall::FdTable t(4096, &counters);
  // A first dense number far from 0 then its neighbour: the dense slots must not grow past
  // kDenseFds, or the sparse number below would be looked for there.
  for (std::int64_t fd : {700, 701, 1100, 5000}) {
    saker::syscall::FdInfo f;
    f.fd = fd;
    REQUIRE(t.add(f) != nullptr);
  }
  for (std::int64_t fd : {700, 701, 1100, 5000}) {
    REQUIRE(t.find(fd) != nullptr);
    CHECK(t.find(fd)->fd == fd);
  }
  CHECK(t.find(1101) == nullptr);
  CHECK(t.remove(1100));
  CHECK(t.find(1100) == nullptr);
  CHECK(t.size() == 3);
}

TEST_CASE("fd table: a clone shares its entries until either table writes one") {
  saker::syscall::StateCounters counters;
  auto a = std::make_shared<saker::syscall::FdTable>(4096, &counters);
  for (std::int64_t fd : {3, 4, 100, 2000}) {
    saker::syscall::FdInfo f;
    f.fd = fd;
    f.name = "/a/" + std::to_string(fd);
    f.open_flags = fd == 4 || fd == 100 ? kOCloexec : kORdonly;
    REQUIRE(a->add(f) != nullptr);
  }
  auto b = a->clone();
  CHECK(b->size() == 4);
  CHECK(b->find(3) == a->find(3));  // shared, not copied
  // A write through find_mut gives the writer its own entry; the other keeps the old one.
  b->find_mut(3)->name = "/b/3";
  CHECK(a->find(3)->name == "/a/3");
  CHECK(b->find(3)->name == "/b/3");
  CHECK(b->find_mut(3) == b->find(3));  // now private: no second copy
  // A new descriptor over a shared entry (closed or replaced) leaves the other's alone.
  a->remove(100);
  saker::syscall::FdInfo* n = a->slot(100);
  REQUIRE(n);
  n->name = "/a/new";
  CHECK(b->find(100)->name == "/a/100");
  a->slot(4, kOCloexec)->name = "/a/4b";
  CHECK(b->find(4)->name == "/a/4");
  // execve in one table: its O_CLOEXEC descriptors only, as the slots recorded them.
  b->remove_cloexec();
  CHECK_FALSE(b->find(4));
  CHECK_FALSE(b->find(100));
  CHECK(b->find(3));
  CHECK(b->find(2000));
  CHECK(a->find(4));
  CHECK(a->find(100));  // reopened without O_CLOEXEC: stays in a
  a->remove_cloexec();
  CHECK_FALSE(a->find(4));
  CHECK(a->find(100));
  // One table gone: the other's entries (shared or not) are intact.
  a.reset();
  CHECK(b->find(3)->name == "/b/3");
  CHECK(b->find(2000)->name == "/a/2000");
  CHECK(b->size() == 2);
}

TEST_CASE("fd table: entries given up go through the pool without two tables sharing one") {
  saker::syscall::StateCounters counters;
  auto pool = std::make_shared<saker::syscall::FdEntryPool>();
  auto a = std::make_shared<saker::syscall::FdTable>(4096, &counters, pool);
  for (std::int64_t fd = 0; fd < 100; ++fd) a->slot(fd)->name = "/seed/" + std::to_string(fd);
  auto b = a->clone();
  std::vector<std::shared_ptr<saker::syscall::FdTable>> children;
  for (int round = 0; round < 3000; ++round) {
    const std::int64_t fd = round % 100;
    a->remove(fd);
    a->slot(fd)->name = "/a/" + std::to_string(round);
    b->slot(fd, round % 3 ? 0 : kOCloexec)->name = "/b/" + std::to_string(round);
    if (round % 7 == 0) b->find_mut((fd + 1) % 100)->name = "/b/mut/" + std::to_string(round);
    // Forks that exit: their entries (shared or made private) go back to the pool.
    if (round % 50 == 0) children.push_back(a->clone());
    if (round % 50 == 0) children.back()->slot(fd)->name = "/child";
    if (children.size() > 3) children.erase(children.begin());
    REQUIRE(a->find(fd)->name == "/a/" + std::to_string(round));
    REQUIRE(b->find(fd)->name == "/b/" + std::to_string(round));
  }
  for (std::int64_t fd = 0; fd < 100; ++fd) {
    CHECK(a->find(fd)->name.rfind("/a/", 0) == 0);
    CHECK(b->find(fd)->name.rfind("/b/", 0) == 0);
    CHECK(a->find(fd) != b->find(fd));
  }
  children.clear();
  b.reset();
  for (std::int64_t fd = 0; fd < 100; ++fd) CHECK(a->find(fd)->name.rfind("/a/", 0) == 0);
}

TEST_CASE("fd table: entries come back from the pool after a large table exits, names given back") {
  saker::syscall::StateCounters counters;
  auto pool = std::make_shared<saker::syscall::FdEntryPool>();
  const std::string long_name(200, 'x');
  for (int round = 0; round < 3; ++round) {
    // More entries than the pool keeps with their names: the oldest give their buffers back.
    auto big = std::make_shared<saker::syscall::FdTable>(8192, &counters, pool);
    for (std::int64_t fd = 0; fd < 3000; ++fd) big->slot(fd)->name = long_name + std::to_string(fd);
    auto other = std::make_shared<saker::syscall::FdTable>(8192, &counters, pool);
    for (std::int64_t fd = 0; fd < 100; ++fd) other->slot(fd)->name = "/o/" + std::to_string(fd);
    big.reset();
    // The next table takes kept entries and bare ones: each comes reset, with its own name.
    auto next = std::make_shared<saker::syscall::FdTable>(8192, &counters, pool);
    for (std::int64_t fd = 0; fd < 2500; ++fd) {
      saker::syscall::FdInfo* f = next->slot(fd);
      REQUIRE(f);
      CHECK(f->name.empty());
      CHECK(f->fd == fd);
      f->name = "/n/" + std::to_string(fd);
    }
    for (std::int64_t fd = 0; fd < 2500; ++fd) REQUIRE(next->find(fd)->name == "/n/" + std::to_string(fd));
    for (std::int64_t fd = 0; fd < 100; ++fd) REQUIRE(other->find(fd)->name == "/o/" + std::to_string(fd));
  }
}

TEST_CASE("thread infos come from blocks of their own: aligned, reused, constructed afresh") {
  std::vector<std::unique_ptr<ThreadInfo>> threads;
  std::set<const void*> first;
  for (int i = 0; i < 100; ++i) {  // more than a slab
    threads.push_back(std::make_unique<ThreadInfo>());
    threads.back()->tid = i;
    threads.back()->comm = std::string(40, 'c');
    CHECK(reinterpret_cast<std::uintptr_t>(threads.back().get()) % alignof(ThreadInfo) == 0);
    first.insert(threads.back().get());
  }
  CHECK(first.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(threads[i]->tid == i);  // no two share a block
  threads.clear();
  std::size_t reused = 0;
  for (int i = 0; i < 100; ++i) {
    threads.push_back(std::make_unique<ThreadInfo>());
    CHECK(threads.back()->tid == -1);
    CHECK(threads.back()->comm.empty());
    reused += first.count(threads.back().get());
  }
  CHECK(reused == 100);  // the freed blocks, not new memory
}

TEST_CASE("socket names: every port and address byte formatted as text") {
  saker::syscall::FdInfo f;
  f.type = FdType::kIpv4Sock;
  for (unsigned port = 0; port < 65536; ++port) {
    const auto b = static_cast<std::uint8_t>(port % 256);
    f.cip = {b, static_cast<std::uint8_t>(255 - b), 0, 10};
    f.cport = static_cast<std::uint16_t>(port);
    f.sip = {127, 0, 0, static_cast<std::uint8_t>(port / 256)};
    f.sport = static_cast<std::uint16_t>(65535 - port);
    saker::syscall::update_socket_name(f);
    char want[64];
    std::snprintf(want, sizeof want, "%u.%u.0.10:%u->127.0.0.%u:%u", b, 255u - b, port,
                  port / 256, 65535 - port);
    if (f.name != want) {
      CHECK(f.name == want);
      break;
    }
  }
  f.type = FdType::kIpv6Sock;
  f.cip = {};
  f.cip[15] = 1;
  f.cport = 80;
  f.sip = {0x20, 0x01, 0x0d, 0xb8};
  f.sport = 443;
  saker::syscall::update_socket_name(f);
  CHECK(f.name == "::1:80->2001:db8:::443");
}

TEST_CASE("a close event describes the descriptor it closed, kept in the table or copied") {
  State st;
  seed(st);
  for (const std::int64_t fd : {std::int64_t{5}, std::int64_t{70}, std::int64_t{5000}}) {
    CAPTURE(fd);
    feed(st, openat_x(100, fd, kAtFdcwd, "/etc/passwd"));
    const auto close = folded(B("close", false, 100).i64(0), B("close", true, 100).i64(fd));
    feed(st, close);
    CHECK(st.threads().find(100)->fds->find(fd) == nullptr);
    const auto* ctx = st.context_for(close);  // the parsed event's own context
    REQUIRE(ctx);
    REQUIRE(ctx->fd);
    CHECK(ctx->fd->name == "/etc/passwd");
    CHECK(ctx->fd->type == FdType::kFile);
    // The number opens again with a new entry, whatever the closed one held.
    feed(st, openat_x(100, fd, kAtFdcwd, "/etc/hosts"));
    REQUIRE(st.threads().find(100)->fds->find(fd));
    CHECK(st.threads().find(100)->fds->find(fd)->name == "/etc/hosts");
    CHECK(st.threads().find(100)->fds->find(fd)->fd == fd);
  }
}

TEST_CASE("ParamKey gives the event table's index for every type, looked up or remembered") {
  const saker::syscall::ParamKey fd{"fd"}, none{"no_such_parameter"};
  for (int pass = 0; pass < 2; ++pass) {  // the second pass reads the remembered entries
    for (std::uint32_t t = 0; t < saker::syscall::scap::kEventTypeCount + 3; ++t) {
      const auto type = static_cast<std::uint16_t>(t);
      const auto want = saker::syscall::scap::find_param(type, "fd");
      CHECK(fd.index(type) == (want ? static_cast<int>(*want) : -1));
      CHECK(none.index(type) == -1);
    }
  }
}

TEST_CASE("StringList splits as the capture lists do and knows the bytes it came from") {
  using saker::syscall::StringList;
  using V = std::vector<std::string>;
  CHECK(StringList::from_nul_list(std::string_view("a\0", 2)) == V{"a"});
  CHECK(StringList::from_nul_list(std::string_view("\0", 1)).empty());
  CHECK(StringList::from_nul_list("").empty());
  CHECK(StringList::from_nul_list(std::string_view("a\0\0b", 4)) == V{"a", "", "b"});
  CHECK(StringList::from_nul_list("x") == V{"x"});
  const auto l = StringList::from_nul_list(std::string_view("-c\0x\0", 5));
  CHECK(l.same_bytes(std::string_view("-c\0x\0", 5)));
  CHECK_FALSE(l.same_bytes(std::string_view("-c\0x", 4)));
  CHECK(StringList().same_bytes(""));
  const StringList copy = l;
  CHECK(copy.shares_with(l));
  CHECK(StringList(V{"p", "q"}) == V{"p", "q"});
  CHECK(StringList(V{"p", "q"}).same_bytes(std::string_view("p\0q\0", 4)));
  // Every string of up to 8 bytes over {'a', NUL}: the same elements as split_nul_list.
  for (unsigned len = 0; len <= 8; ++len) {
    for (unsigned bits = 0; bits < (1u << len); ++bits) {
      std::string b;
      for (unsigned k = 0; k < len; ++k) b += (bits >> k) & 1 ? 'a' : '\0';
      V want;
      for (auto p : saker::syscall::scap::split_nul_list(b)) want.emplace_back(p);
      if (!(StringList::from_nul_list(b) == want)) {
        CHECK(StringList::from_nul_list(b) == want);
        return;
      }
    }
  }
}
