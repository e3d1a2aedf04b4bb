// The assertions falcosecurity/libs' own tests make on the upstream captures
// (../shared/testdata/scap/LIBS-EXPECTATIONS.md), checked through the real core.
#include <doctest/doctest.h>

#include <set>

#include "replay_harness.h"

using saker::syscall::testing::capture;
using saker::syscall::testing::replay;
using saker::syscall::testing::Row;

namespace {

const std::vector<std::string> kNetFields = {"thread.tid", "proc.pid",   "proc.name",   "evt.type",
                                             "fd.name",    "fd.cip",     "fd.cport",    "fd.sip",
                                             "fd.sport",   "fd.l4proto", "fd.is_server"};
enum { kTid, kPid, kName, kType, kFdName, kCip, kCport, kSip, kSport, kProto, kIsServer };

std::vector<Row> rows_where(const std::vector<Row>& rows, int col, const std::string& v) {
  std::vector<Row> out;
  for (const auto& r : rows) {
    if (r.values[col] == v && r.values[kFdName] != "<NA>" && r.values[kSip] != "<NA>") {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("curl_google.scap: the DNS request of thread 17498") {
  auto rows = rows_where(replay(capture("curl_google.scap"), kNetFields), kTid, "17498");
  REQUIRE_FALSE(rows.empty());
  bool seen = false;
  for (const auto& r : rows) {
    if (r.values[kProto] != "udp") continue;
    seen = true;
    CHECK(r.values[kCip] == "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e");
    CHECK(r.values[kCport] == "40251");
    CHECK(r.values[kSip] == "2001:4860:4860::8888");
    CHECK(r.values[kSport] == "53");
    CHECK(r.values[kFdName] ==
          "2600:1f18:262c:6542:9aa6:df7a:9a47:d29e:40251->2001:4860:4860::8888:53");
    CHECK(r.values[kIsServer] == "false");
  }
  CHECK(seen);
}

TEST_CASE("curl_google.scap: the HTTP request of thread 17497") {
  auto rows = rows_where(replay(capture("curl_google.scap"), kNetFields), kTid, "17497");
  bool seen = false;
  for (const auto& r : rows) {
    if (r.values[kProto] != "tcp" || r.values[kSport] != "80") continue;
    seen = true;
    CHECK(r.values[kSip] == "2607:f8b0:4004:802::2004");
    CHECK(r.values[kCport] == "37140");
    CHECK(r.values[kFdName].ends_with(":37140->2607:f8b0:4004:802::2004:80"));
  }
  CHECK(seen);
}

TEST_CASE("single_ipv6_conn.scap: client 25888 and server 25886") {
  auto all = replay(capture("single_ipv6_conn.scap"), kNetFields);
  // Threads first met in the middle of the capture: no process known (proc.pid -1).
  auto client = rows_where(all, kTid, "25888");
  auto server = rows_where(all, kTid, "25886");
  REQUIRE_FALSE(client.empty());
  REQUIRE_FALSE(server.empty());
  for (const auto* side : {&client, &server}) {
    for (const auto& r : *side) {
      if (r.values[kSport] != "1234" || r.values[kFdName].find("->") == std::string::npos) {
        continue;
      }
      CHECK(r.values[kFdName] == "2001:db8::4:54405->2001:db8::3:1234");
      CHECK(r.values[kProto] == "tcp");
    }
  }
  bool server_side = false;
  for (const auto& r : server) server_side |= r.values[kIsServer] == "true";
  CHECK(server_side);
}

TEST_CASE("test_ipv6_client.scap: the send/sendto events of test_ipv6_clien, in order") {
  auto all = replay(capture("test_ipv6_client.scap"), kNetFields);
  std::vector<std::string> names;
  for (const auto& r : all) {
    if (r.values[kName] == "test_ipv6_clien" &&
        (r.values[kType] == "send" || r.values[kType] == "sendto")) {
      names.push_back(r.values[kFdName]);
    }
  }
  CHECK(names == std::vector<std::string>{"::1:0->::1:2345", "::1:38255->::1:2345",
                                          "::1:38255->2001:4860:4860::8888:53",
                                          "::1:38255->::1:2345"});
}

TEST_CASE("sample.scap: proc.name=ifplugd is one thread") {
  auto all = replay(capture("sample.scap"), {"proc.name", "thread.tid"});
  std::set<std::string> tids;
  for (const auto& r : all) {
    if (r.values[0] == "ifplugd") tids.insert(r.values[1]);
  }
  CHECK(tids.size() == 1);
}
