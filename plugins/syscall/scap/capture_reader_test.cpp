// Reading the upstream test captures: event counts, list tables, and decoded parameters
// checked against what `sysdig -r FILE -p '%evt.rawtime %evt.type %evt.args'` prints.
#include "capture_reader.h"

#include <doctest/doctest.h>

#include <map>

#include "event_table.h"
#include "param_format.h"
#include "test_support.h"

namespace scap = saker::syscall::scap;
using scap::testing::capture_path;
using scap::testing::for_each_event;

namespace {

// Finds the event with this timestamp and type name; returns its formatted arguments.
std::string args_at(const std::string& file, std::uint64_t ts, std::string_view name, bool enter) {
  auto r = scap::CaptureReader::open(capture_path(file));
  while (auto ev = r.next()) {
    const auto& v = ev->view;
    if (v.ts() == ts && v.name() == name && scap::is_enter(v.type()) == enter)
      return scap::format_args(v);
  }
  return "<not found>";
}

}  // namespace

TEST_CASE("every test capture reads to the end with the expected event count") {
  const std::map<std::string, std::size_t> expected = {{"sample.scap", 572},
                                                       {"cat_write.scap", 345},
                                                       {"curl_google.scap", 1536},
                                                       {"single_ipv6_conn.scap", 1728},
                                                       {"test_ipv6_client.scap", 326}};
  for (const auto& entry : expected) {
    const std::string& file = entry.first;
    const std::size_t count = entry.second;
    CAPTURE(file);
    auto r = scap::CaptureReader::open(capture_path(file));
    CHECK(for_each_event(r) == count);
    CHECK(r.events_skipped() == 0);
    CHECK(r.major_version() == 1);
  }
}

TEST_CASE("gzip is detected by magic") {
  CHECK_FALSE(scap::CaptureReader::open(capture_path("sample.scap")).was_gzip());
  CHECK(scap::CaptureReader::open(capture_path("cat_write.scap")).was_gzip());
}

TEST_CASE("sample.scap tables (PL v9, FDL v2, IL v2, UL v2)") {
  auto r = scap::CaptureReader::open(capture_path("sample.scap"));
  REQUIRE(r.machine_info());
  CHECK(r.machine_info()->hostname == "ubuntu2204.localdomain");
  CHECK(r.machine_info()->num_cpus == 4);
  REQUIRE(!r.users().empty());
  CHECK(r.users()[0].name == "root");
  CHECK(r.users()[0].home == "/root");
  CHECK(r.users()[0].shell == "/bin/bash");
  CHECK(!r.groups().empty());
  REQUIRE(!r.interfaces().empty());
  CHECK(r.interfaces()[0].name == "lo");
  CHECK(r.interfaces()[0].addr[0] == 127);
  const auto* init = r.find_process(1);
  REQUIRE(init);
  CHECK(init->pid == 1);
  CHECK(init->comm == "systemd");
  CHECK(!init->fds.empty());
  std::size_t ifplugd = 0;
  for (const auto& p : r.processes()) ifplugd += p.comm == "ifplugd";
  CHECK(ifplugd == 1);  // libs' scap_file.filter test keeps exactly one ifplugd thread
}

TEST_CASE("cat_write.scap tables (PL v6, FDL v1, IL v1, UL v1)") {
  auto r = scap::CaptureReader::open(capture_path("cat_write.scap"));
  CHECK(r.users().size() > 1);
  CHECK(r.users()[0].name == "root");
  CHECK(r.interfaces().size() >= 2);
  CHECK(r.interfaces()[0].name == "lo");
  const auto* p1 = r.find_process(1);
  REQUIRE(p1);
  REQUIRE(!p1->fds.empty());
  CHECK(p1->fds[0].fd == 0);
  CHECK(p1->fds[0].type == scap::FdType::kFile);
  CHECK(p1->fds[0].name == "/dev/null");
}

TEST_CASE("libs expectations on sample.scap events") {
  auto r = scap::CaptureReader::open(capture_path("sample.scap"));
  std::size_t n = 0, nanosleep_e = 0, nanosleep_x = 0;
  while (auto ev = r.next()) {
    ++n;
    const auto& v = ev->view;
    nanosleep_e += v.type() == scap::kNanosleepE;
    nanosleep_x += v.type() == scap::kNanosleepX;
    if (n == 559) {
      CHECK(v.type() == scap::kNanosleepX);
      CHECK(v.ts() == 1690557263532873130ull);
      CHECK(v.tid() == 762);
      CHECK(v.param_int(0) == 0);
    }
    if (n == 176) {
      CHECK(v.type() == scap::kFutexE);
      CHECK(v.param_uint(0) == 0x5600C32351E0ull);
      CHECK(v.param_uint(1) == 129);
      CHECK(v.param_uint(2) == 1);
    }
    if (n == 177) CHECK(v.ts() == 1690557262892768316ull);
  }
  CHECK(nanosleep_e == 38);
  CHECK(nanosleep_x == 38);
}

TEST_CASE("decoded arguments match sysdig") {
  CHECK(args_at("test_ipv6_client.scap", 1534551451397761344ull, "connect", false) ==
        "res=0 tuple=::1:38255->::1:2345");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397771971ull, "connect", false) ==
        "res=0 tuple=::1:38255->2001:4860:4860::8888:53");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397728428ull, "sendto", true) ==
        "fd=3 size=6 tuple=:::0->::1:2345");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397763052ull, "sendto", true) ==
        "fd=3 size=6 tuple=NULL");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397720553ull, "socket", true) ==
        "domain=10(AF_INET6) type=2 proto=0");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397559182ull, "open", false) ==
        "fd=3 name=/etc/ld.so.cache flags=4097(O_RDONLY|O_CLOEXEC) mode=0");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397593234ull, "mmap", true) ==
        "addr=7F915881B000 length=24576 prot=3(PROT_READ|PROT_WRITE) "
        "flags=1030(MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE) fd=3 offset=1835008");
  CHECK(args_at("test_ipv6_client.scap", 1534551451397565627ull, "mmap", false) ==
        "res=140262234140672 vm_size=356 vm_rss=4 vm_swap=0");  // decimal, as current libs
  CHECK(args_at("cat_write.scap", 1470327477881765998ull, "access", false) ==
        "res=-2(ENOENT) name=/etc/ld.so.nohwcap");
  CHECK(args_at("cat_write.scap", 1470327477881773936ull, "access", true) == "mode=4(R_OK)");
  CHECK(args_at("curl_google.scap", 1534527348517133508ull, "futex", true) ==
        "addr=7FA6955AF740 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=2147483647");
  CHECK(args_at("curl_google.scap", 1534527348517090073ull, "getrlimit", true) ==
        "resource=3(RLIMIT_STACK)");
  // sysdig shows the poll flags of an fdlist entry re-encoded ("4:64"); we print them raw.
  CHECK(args_at("curl_google.scap", 1534527348519211082ull, "poll", false) == "res=1 fds=4:4");
  CHECK(args_at("curl_google.scap", 1534527348518937838ull, "connect", false) ==
        "res=-2(ENOENT) tuple=0->ffff88003c420800 /var/run/nscd/socket");
  CHECK(args_at("curl_google.scap", 1534527348531188756ull, "recvfrom", false)
            .ends_with(
                "tuple=2001:4860:4860::8888:53->2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251"));
}

TEST_CASE("clone exit of curl_google carries process fields") {
  auto r = scap::CaptureReader::open(capture_path("curl_google.scap"));
  bool seen = false;
  while (auto ev = r.next()) {
    const auto& v = ev->view;
    if (v.ts() != 1534527348518881735ull || scap::is_enter(v.type())) continue;
    seen = true;
    CHECK(v.name() == "clone");
    CHECK(v.param_int(0) == 17498);
    CHECK(v.param_str(1) == "curl");
    CHECK(scap::format_param(v, *v.param_index("flags")) ==
          "47619(CLONE_FILES|CLONE_FS|CLONE_PARENT_SETTID|CLONE_SIGHAND|CLONE_SYSVSEM|"
          "CLONE_THREAD|CLONE_VM)");
    CHECK(v.param_int(*v.param_index("uid")) == 1000);
  }
  CHECK(seen);
}
