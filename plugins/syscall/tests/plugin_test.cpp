// libsyscall.so through the real core: loading, engine selection, the field list, and
// cat_write.scap's open events as Falco's golden output shows them.
#include <doctest/doctest.h>

#include <atomic>
#include <set>

#include "replay_harness.h"
#include "test_util.h"

using namespace saker;
using syscall::testing::capture;
using syscall::testing::replay;

TEST_CASE("cat_write.scap: the 4 open exit events of cat carry Falco's proc.cmdline") {
  auto rows = replay(capture("cat_write.scap"), {"evt.type", "evt.dir", "proc.name", "proc.cmdline",
                                                 "fd.name", "evt.res", "evt.time.iso8601"});
  std::vector<std::string> cmdlines, names, times;
  std::set<std::string> enter_types;
  for (const auto& r : rows) {
    // Rules see exit events only, and the events that have no exit (scheduler switch,
    // procexit, signal delivery...).
    if (r.values[1] == ">") enter_types.insert(r.values[0]);
    if (r.values[0] == "open" && r.values[2] == "cat") {
      cmdlines.push_back(r.values[3]);
      names.push_back(r.values[4]);
      times.push_back(r.values[6]);
    }
  }
  for (const auto& t : enter_types)
    CHECK_MESSAGE((t == "switch" || t == "procexit" || t == "procinfo"), t);
  CHECK(cmdlines == std::vector<std::string>(4, "cat /dev/null"));
  CHECK(names == std::vector<std::string>{"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6",
                                          "/usr/lib/locale/locale-archive", "/dev/null"});
  // The times of Falco's golden output (single_rule_with_cat_write.txt).
  CHECK(times == std::vector<std::string>{
                     "2016-08-04T16:17:57.881785348+0000", "2016-08-04T16:17:57.881799840+0000",
                     "2016-08-04T16:17:57.882008208+0000", "2016-08-04T16:17:57.882054739+0000"});
}

TEST_CASE("enter parameters are folded into the exit event") {
  auto rows = replay(capture("sample.scap"), {"evt.type", "evt.arg.interval", "evt.rawres",
                                              "evt.arg.op", "evt.arg.val", "thread.tid"});
  bool nanosleep = false, futex = false;
  for (const auto& r : rows) {
    if (r.ts == 1690557263532873130ull) {  // NANOSLEEP_X #559, enter #543 carries interval
      CHECK(r.values[0] == "nanosleep");
      CHECK(r.values[1] == "0s");  // evt.arg gives the resolved text, as Falco's does
      CHECK(r.values[2] == "0");
      nanosleep = true;
    }
    if (r.ts == 1690557262892768316ull) {  // FUTEX_X #177, enter #176
      CHECK(r.values[0] == "futex");
      CHECK(r.values[3].find("FUTEX_WAKE") != std::string::npos);
      CHECK(r.values[3].find("FUTEX_PRIVATE_FLAG") != std::string::npos);
      CHECK(r.values[4] == "1");
      CHECK(r.values[5] == "418");
      futex = true;
    }
  }
  CHECK(nanosleep);
  CHECK(futex);
}

TEST_CASE("engine selection and the field table") {
  auto e = test::make_engine();
  // modern_ebpf initialises without root or a driver: only opening the source loads it.
  CHECK_NOTHROW(
      e->plugins().load({"s", "libsyscall.so", R"({"engine":{"kind":"modern_ebpf"}})", ""}));
  auto e1 = test::make_engine();
  CHECK_THROWS_WITH_AS(
      e1->plugins().load({"s", "libsyscall.so", R"({"engine":{"kind":"kmod"}})", ""}),
      doctest::Contains("init_config.engine.kind: must be one of"), std::exception);
  auto e2 = test::make_engine();
  e2->plugins().load({"s", "libsyscall.so", "", ""});
  e2->register_fields();
  for (const char* f : {"proc.cmdline", "fd.name", "evt.arg.flags", "user.name", "fs.path.name",
                        "thread.cap_effective", "fd.sip", "proc.aname"}) {
    CHECK_MESSAGE(e2->fields().find("syscall", f) != nullptr, f);
  }
  // Every listed field has a description; fields declare the syscall source only.
  for (const auto* d : e2->fields().list("syscall")) CHECK(d != nullptr);
}

TEST_CASE("the state metrics are registered and counted") {
  auto e = test::make_engine();
  e->plugins().load({"sys", "libsyscall.so",
                     R"({"engine":{"kind":"replay","replay":{"capture_file":")" +
                         capture("sample.scap") + R"("}}})",
                     ""});
  e->register_fields();
  std::atomic<bool> stop{false};
  e->run({"syscall"}, stop);
  CHECK(e->metrics().value_of("sys_fds_added") > 0);
}
