// Writer round trip: read a capture, write it back, read again: same tables, same events
// byte for byte; and sysdig opens the written file and sees the same events.
#include "capture_writer.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "capture_reader.h"
#include "test_support.h"

namespace scap = saker::syscall::scap;
using scap::testing::capture_path;

namespace {

struct Recorded {
  std::vector<std::uint8_t> bytes;
  std::uint16_t cpu;
  std::uint32_t flags;
};

std::vector<Recorded> record(scap::CaptureReader& r) {
  std::vector<Recorded> out;
  while (auto ev = r.next()) {
    auto raw = ev->view.raw();
    out.push_back({{raw.begin(), raw.end()}, ev->cpu, ev->flags});
  }
  return out;
}

scap::CaptureTables tables_of(const scap::CaptureReader& r) {
  scap::CaptureTables t;
  if (r.machine_info()) t.machine = *r.machine_info();
  t.interfaces = r.interfaces();
  t.users = r.users();
  t.groups = r.groups();
  t.processes = r.processes();
  return t;
}

std::string temp_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("saker_scap_" + name)).string();
}

// Number of lines `sysdig -r file` prints, or -1 when sysdig is not available.
long sysdig_lines(const std::string& file) {
  if (std::system("command -v sysdig >/dev/null 2>&1") != 0) return -1;
  const std::string cmd = "sysdig -r '" + file + "' 2>/dev/null | wc -l";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  long n = -1;
  if (p && std::fscanf(p.get(), "%ld", &n) != 1) n = -1;
  return n;
}

void round_trip(const std::string& name, bool gzip) {
  CAPTURE(name);
  CAPTURE(gzip);
  auto in = scap::CaptureReader::open(capture_path(name));
  const auto tables = tables_of(in);
  const auto events = record(in);
  const std::string out = temp_file(name + (gzip ? ".gz" : ""));
  {
    scap::CaptureWriter w(out, {gzip});
    w.write_header(tables);
    for (const auto& e : events) {
      auto v = scap::EventView::make(e.bytes);
      REQUIRE(v);
      w.write_event(*v, e.cpu, e.flags);
    }
    w.close();
  }
  auto back = scap::CaptureReader::open(out);
  CHECK(back.was_gzip() == gzip);
  CHECK(back.processes().size() == tables.processes.size());
  CHECK(back.users().size() == tables.users.size());
  CHECK(back.interfaces().size() == tables.interfaces.size());
  for (std::size_t i = 0; i < tables.processes.size() && i < back.processes().size(); ++i) {
    CHECK(back.processes()[i].comm == tables.processes[i].comm);
    CHECK(back.processes()[i].args == tables.processes[i].args);
    CHECK(back.processes()[i].fds.size() == tables.processes[i].fds.size());
  }
  const auto again = record(back);
  REQUIRE(again.size() == events.size());
  std::size_t same = 0;
  for (std::size_t i = 0; i < events.size(); ++i)
    same += again[i].bytes == events[i].bytes && again[i].cpu == events[i].cpu;
  CHECK(same == events.size());

  const long want = sysdig_lines(capture_path(name));
  if (want < 0) {
    MESSAGE("sysdig not found: skipping the sysdig check");
  } else {
    CHECK(sysdig_lines(out) == want);
  }
  std::filesystem::remove(out);
}

}  // namespace

TEST_CASE("round trip of every test capture") {
  for (const char* name : {"sample.scap", "cat_write.scap", "curl_google.scap",
                           "single_ipv6_conn.scap", "test_ipv6_client.scap"}) {
    round_trip(name, false);
  }
  round_trip("cat_write.scap", true);
}

TEST_CASE("writing to an unwritable path throws") {
  CHECK_THROWS_AS(scap::CaptureWriter("/nonexistent-dir/x.scap"), scap::CaptureError);
}
