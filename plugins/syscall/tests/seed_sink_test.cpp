// Seeding through the reader's sink (State::seeder, the replay's way) gives the same state
// as seeding from the reader's own copy of the tables (State::seed), on the shared real
// captures, with and without max_table_entries cutting the lists.
#include <doctest/doctest.h>

#include <string>

#include "capture_reader.h"
#include "state/state.h"

namespace {

namespace scap = saker::syscall::scap;
using saker::syscall::FdInfo;
using saker::syscall::State;
using saker::syscall::ThreadInfo;

std::string testdata(const std::string& name) {
  return std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
}

void check_same_fd(const FdInfo* a, const FdInfo* b) {
  REQUIRE((a == nullptr) == (b == nullptr));
  if (!a) return;
  CHECK(a->fd == b->fd);
  CHECK(a->type == b->type);
  CHECK(a->name == b->name);
  CHECK(a->open_flags == b->open_flags);
  CHECK(a->ino == b->ino);
  CHECK(a->sip == b->sip);
  CHECK(a->cip == b->cip);
  CHECK(a->sport == b->sport);
  CHECK(a->cport == b->cport);
  CHECK(a->role == b->role);
}

void check_same_thread(const ThreadInfo& a, const ThreadInfo& b) {
  CHECK(a.pid == b.pid);
  CHECK(a.ptid == b.ptid);
  CHECK(a.comm == b.comm);
  CHECK(a.exe == b.exe);
  CHECK(a.exepath == b.exepath);
  CHECK(a.cwd == b.cwd);
  CHECK(a.args == b.args);
  CHECK(a.env == b.env);
  CHECK(a.cmdline == b.cmdline);
  CHECK(a.cgroups == b.cgroups);
  CHECK(a.uid == b.uid);
  CHECK(a.loginuid == b.loginuid);
  REQUIRE(a.fds);
  REQUIRE(b.fds);
  CHECK(a.fds->size() == b.fds->size());
}

// Seeds one State each way from `file` and compares them through the tables a third reader
// (no sink, nothing taken) lists. Returns the threads compared.
std::size_t compare(const std::string& file, std::uint64_t max_entries) {
  scap::ReaderOptions plain_opts;
  plain_opts.max_table_entries = max_entries;
  const auto lists = scap::CaptureReader::open(file, plain_opts);

  State copied;
  auto reader = scap::CaptureReader::open(file, plain_opts);
  REQUIRE(copied.seed(reader));

  State streamed;
  scap::ReaderOptions sink_opts = plain_opts;
  sink_opts.sink = &streamed.seeder();
  auto sunk = scap::CaptureReader::open(file, sink_opts);
  streamed.seed_tables(sunk);
  // The reader kept no copy of the table, and counted its entries against the same budget.
  CHECK(sunk.processes().empty());
  CHECK(sunk.table_entries() == lists.table_entries());
  CHECK(sunk.list_blocks_over_limit() == lists.list_blocks_over_limit());

  CHECK(streamed.threads().size() == copied.threads().size());
  CHECK(streamed.users().num_users() == copied.users().num_users());
  CHECK(streamed.boot_ts() == copied.boot_ts());
  std::size_t n = 0;
  for (const auto& p : lists.processes()) {
    const ThreadInfo* a = copied.threads().find(static_cast<std::int64_t>(p.tid));
    const ThreadInfo* b = streamed.threads().find(static_cast<std::int64_t>(p.tid));
    REQUIRE((a == nullptr) == (b == nullptr));
    if (!a) continue;
    ++n;
    check_same_thread(*a, *b);
    // A thread shares its main thread's table in both, or in neither.
    const ThreadInfo* am = copied.threads().find(a->pid);
    const ThreadInfo* bm = streamed.threads().find(b->pid);
    CHECK((am && am->fds == a->fds) == (bm && bm->fds == b->fds));
    for (const auto& f : p.fds) check_same_fd(a->fds->find(f.fd), b->fds->find(f.fd));
  }
  return n;
}

}  // namespace

TEST_CASE("seeding through the reader's sink gives the state seeding from its copy gives") {
  for (const char* name : {"sample.scap", "curl_google.scap", "cat_write.scap",
                           "test_ipv6_client.scap"}) {
    const std::string file = testdata(name);
    CAPTURE(file);
    CHECK(compare(file, scap::kDefaultMaxTableEntries) > 0);
    // Lists cut by the entry budget (which users, groups and fds count in too).
    for (std::uint64_t budget : {1, 40, 200, 1000}) {
      CAPTURE(budget);
      CHECK(compare(file, budget) <= budget);
    }
  }
}

TEST_CASE("the sink is used during open only") {
  State st;
  scap::ReaderOptions o;
  o.sink = &st.seeder();
  auto r = scap::CaptureReader::open(testdata("sample.scap"), o);
  const std::size_t seeded = st.threads().size();
  CHECK(seeded > 0);
  while (r.next_raw()) {
  }
  // List blocks met later (none in usual captures) would fill processes(); the state is
  // not changed behind the reader's back.
  CHECK(st.threads().size() == seeded);
}
