// Streaming: a capture much larger than the reader's buffer (96 MB of events, plain and
// gzip) is read with a bounded increase of the process's resident set, and every event comes
// back in order. The multi-GB check is bench/replay_whole_process.sh (SAKER_BENCH_BIG).
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <filesystem>
#include <vector>

#include "capture_reader.h"
#include "capture_writer.h"
#include "test_support.h"

namespace scap = saker::syscall::scap;
using scap::testing::capture_path;

namespace {

// Resident set now (the peak would keep the writer's phase): from /proc/self/statm.
long rss_kb() {
  long pages_total = 0, pages_resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
    std::fclose(f);
  }
  return pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// Writes the events of test_ipv6_client.scap over and over (fresh timestamps) until the
// uncompressed stream holds `bytes`; returns the number of events written.
std::uint64_t write_big(const std::string& path, bool gzip, std::uint64_t bytes) {
  auto in = scap::CaptureReader::open(capture_path("test_ipv6_client.scap"));
  scap::CaptureTables t;
  t.machine = *in.machine_info();
  t.users = in.users();
  t.groups = in.groups();
  t.interfaces = in.interfaces();
  t.processes = in.processes();
  std::vector<std::vector<std::uint8_t>> events;
  while (auto ev = in.next()) {
    auto raw = ev->view.raw();
    events.emplace_back(raw.begin(), raw.end());
  }
  REQUIRE(!events.empty());
  scap::CaptureWriter w(path, {.gzip = gzip});
  w.write_header(t);
  std::uint64_t n = 0, ts = 1;
  while (w.bytes_written() < bytes) {
    for (auto& e : events) {
      scap::store_le(e.data(), ts++);
      w.write_event(*scap::EventView::make(e), 0);
      ++n;
    }
  }
  w.close();
  return n;
}

void check_streamed(bool gzip) {
  const auto path = (std::filesystem::temp_directory_path() /
                     (gzip ? "saker_stream_test.scap.gz" : "saker_stream_test.scap"))
                        .string();
  constexpr std::uint64_t kBytes = std::uint64_t{96} << 20;
  const std::uint64_t written = write_big(path, gzip, kBytes);
  const long before = rss_kb();
  long highest = before;
  std::uint64_t n = 0, last_ts = 0;
  bool ordered = true;
  {
    auto r = scap::CaptureReader::open(path);
    while (const auto* ev = r.next_ref()) {
      ordered = ordered && ev->view.ts() > last_ts;
      last_ts = ev->view.ts();
      if (++n % 65536 == 0) highest = std::max(highest, rss_kb());
    }
    CHECK_FALSE(r.truncated());
    CHECK(r.was_gzip() == gzip);
  }
  const long grown_kb = highest - before;
  std::filesystem::remove(path);
  CHECK(n == written);
  CHECK(ordered);
  // The whole capture held in memory would add at least 96 MB; streaming needs the
  // reader's buffer (a few hundred KB).
  MESSAGE(std::string(gzip ? "gzip" : "plain") << ": " << n << " events, peak RSS grew by " << grown_kb
                                    << " KB while reading " << (kBytes >> 20) << " MB");
  CHECK(grown_kb < 8 * 1024);
}

}  // namespace

TEST_CASE("a large plain capture streams in bounded memory") { check_streamed(false); }
TEST_CASE("a large gzip capture streams in bounded memory") { check_streamed(true); }
