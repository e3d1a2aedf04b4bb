// List-valued fields through the real core, with {"fields":{"any_match_lists":true}}:
// fd.ip/fd.port/fd.net hold both endpoints of a socket (Falco matches either),
// proc.aname/proc.apid without index hold every ancestor. Without the option they are
// single-valued (the server end, the parent).
#include <doctest/doctest.h>

#include "replay_harness.h"

using saker::syscall::testing::capture;
using saker::syscall::testing::replay;

namespace {
const std::string kLists = R"(,"fields":{"any_match_lists":true})";
}

TEST_CASE("fd.ip, fd.port and fd.net list both endpoints of a connected socket") {
  auto rows = replay(capture("curl_google.scap"),
                     {"thread.tid", "evt.type", "fd.ip", "fd.port", "fd.net", "fd.sip"}, kLists);
  bool seen = false;
  for (const auto& r : rows) {
    if (r.values[0] != "17498" || r.values[1] != "connect" || r.values[5] == "<NA>") continue;
    seen = true;
    CHECK(r.values[2].find("2001:4860:4860::8888") != std::string::npos);
    CHECK(r.values[2].find("2600:1f18:262c:6542:9aa6:df7a:9a47:d29e") != std::string::npos);
    CHECK(r.values[3].find("53") != std::string::npos);
    CHECK(r.values[3].find("40251") != std::string::npos);
    CHECK(r.values[4].find("2600:1f18:262c:6542:9aa6:df7a:9a47:d29e/128") != std::string::npos);
    MESSAGE("connect: fd.ip=" << r.values[2] << " fd.port=" << r.values[3]
                              << " fd.net=" << r.values[4]);
    break;
  }
  CHECK(seen);
}

TEST_CASE("proc.aname and proc.apid without index list every ancestor") {
  auto rows = replay(capture("curl_google.scap"),
                     {"thread.tid", "proc.aname", "proc.apid", "proc.aname[1]", "proc.aname[2]",
                      "proc.ppid", "proc.apid[2]"},
                     kLists);
  bool seen = false;
  auto unwrap = [](std::string s) { return s.size() > 2 ? s.substr(1, s.size() - 2) : s; };
  for (const auto& r : rows) {
    if (r.values[0] != "17497" || r.values[4] == "<NA>") continue;
    seen = true;
    // An indexed ancestor is a one-value list of the same (list) field.
    CHECK(r.values[1].find(unwrap(r.values[3])) != std::string::npos);  // the parent
    CHECK(r.values[1].find(unwrap(r.values[4])) != std::string::npos);  // the grandparent
    CHECK(r.values[2].find(r.values[5]) != std::string::npos);
    CHECK(r.values[2].find(unwrap(r.values[6])) != std::string::npos);
    MESSAGE("proc.aname=" << r.values[1] << " proc.apid=" << r.values[2]
                          << " aname[1]=" << r.values[3] << " aname[2]=" << r.values[4]
                          << " apid[2]=" << r.values[6]);
    break;
  }
  CHECK(seen);
}

TEST_CASE("without any_match_lists the any-match fields are single-valued") {
  auto rows =
      replay(capture("curl_google.scap"), {"thread.tid", "evt.type", "fd.ip", "fd.sip",
                                           "proc.aname", "proc.pname", "proc.apid", "proc.ppid"});
  bool seen = false;
  for (const auto& r : rows) {
    if (r.values[0] != "17498" || r.values[1] != "connect" || r.values[3] == "<NA>") continue;
    seen = true;
    CHECK(r.values[2] == r.values[3]);  // the server end
    CHECK(r.values[4] == r.values[5]);  // the parent
    CHECK(r.values[6] == r.values[7]);
    break;
  }
  CHECK(seen);
}
