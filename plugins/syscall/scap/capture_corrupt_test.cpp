// Malformed input: every truncation of a small capture and random byte corruption must end
// in a clean end of capture or a CaptureError with an offset inside the input, never a crash
// or an out-of-bounds read (run under ASan/UBSan: cmake -DCMAKE_BUILD_TYPE=Asan).
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

#include "capture_reader.h"
#include "capture_writer.h"
#include "test_support.h"

namespace scap = saker::syscall::scap;
using scap::testing::capture_path;

namespace {

// Reads everything; returns the event count, or -1 if a CaptureError was thrown (checking
// that its offset lies within `limit`).
long read_all(std::span<const std::uint8_t> bytes, std::uint64_t limit) {
  try {
    auto r = scap::CaptureReader::from_bytes(bytes, {std::uint64_t{64} << 20});
    long n = 0;
    while (r.next()) ++n;
    return n;
  } catch (const scap::CaptureError& e) {
    CHECK(e.offset() <= limit);
    return -1;
  }
}

// A small capture: the tables and first 40 events of test_ipv6_client.scap, re-encoded.
std::vector<std::uint8_t> small_capture() {
  auto in = scap::CaptureReader::open(capture_path("test_ipv6_client.scap"));
  scap::CaptureTables t;
  t.machine = *in.machine_info();
  t.users = {in.users().begin(), in.users().begin() + 2};
  t.interfaces = in.interfaces();
  t.processes = {in.processes().begin(), in.processes().begin() + 3};
  const auto path = (std::filesystem::temp_directory_path() / "saker_scap_small.scap").string();
  {
    scap::CaptureWriter w(path);
    w.write_header(t);
    for (int i = 0; i < 40; ++i) {
      auto ev = in.next();
      REQUIRE(ev);
      w.write_event(ev->view, ev->cpu, i % 7 == 0 ? 1u : 0u);
    }
  }
  std::ifstream f(path, std::ios::binary);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
  std::filesystem::remove(path);
  return bytes;
}

std::vector<std::uint8_t> file_bytes(const std::string& name) {
  std::ifstream f(capture_path(name), std::ios::binary);
  return {(std::istreambuf_iterator<char>(f)), {}};
}

}  // namespace

// Stream offsets where each event block of `bytes` ends, in order.
std::vector<std::size_t> event_ends(std::span<const std::uint8_t> bytes) {
  auto r = scap::CaptureReader::from_bytes(bytes);
  std::vector<std::size_t> ends;
  while (r.next()) ends.push_back(r.offset());
  return ends;
}

TEST_CASE("a truncated capture yields its complete events, then a warning") {
  const auto bytes = small_capture();
  REQUIRE(read_all(bytes, bytes.size()) == 40);
  const auto ends = event_ends(bytes);
  REQUIRE(ends.size() == 40);
  long errors = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const std::size_t complete = static_cast<std::size_t>(
        std::upper_bound(ends.begin(), ends.end(), n) - ends.begin());
    try {
      auto r = scap::CaptureReader::from_bytes(std::span(bytes.data(), n));
      std::size_t got = 0;
      while (r.next()) ++got;
      CHECK(got == complete);
      // Cut exactly after a block: a valid (shorter) capture; anywhere else: a warning.
      const bool at_boundary = n == ends[complete == 0 ? 0 : complete - 1] || got == 0;
      if (!at_boundary) {
        CHECK(r.truncated());
        CHECK(r.warnings() == 1);
        CHECK(r.warning().find("truncated") != std::string::npos);
      }
      if (got > 0 && n == ends[got - 1]) CHECK_FALSE(r.truncated());
    } catch (const scap::CaptureError& e) {
      // Only a cut inside the header or the list blocks may still be refused.
      CHECK(complete == 0);
      CHECK(e.offset() <= n);
      ++errors;
    }
  }
  CHECK(errors > 0);
  MESSAGE("truncations tried: " << bytes.size() << ", refused (cut before the events): " << errors);
}

TEST_CASE("a truncated gzip capture yields its complete events, then a warning") {
  const auto plain = small_capture();
  const auto path = (std::filesystem::temp_directory_path() / "saker_scap_small_gz.scap").string();
  {
    auto in = scap::CaptureReader::from_bytes(plain);
    scap::CaptureTables t;
    t.machine = *in.machine_info();
    t.users = in.users();
    t.groups = in.groups();
    t.interfaces = in.interfaces();
    t.processes = in.processes();
    scap::CaptureWriter w(path, {.gzip = true});
    w.write_header(t);
    while (auto ev = in.next()) w.write_event(ev->view, ev->cpu, ev->flags);
  }
  std::ifstream f(path, std::ios::binary);
  const std::vector<std::uint8_t> gz((std::istreambuf_iterator<char>(f)), {});
  std::filesystem::remove(path);
  REQUIRE(read_all(gz, gz.size()) == 40);
  long prev = 0, warned = 0;
  for (std::size_t n = 0; n < gz.size(); n += 7) {
    try {
      auto r = scap::CaptureReader::from_bytes(std::span(gz.data(), n));
      long got = 0;
      while (r.next()) ++got;
      CHECK(got >= prev);  // a longer prefix never gives fewer events
      CHECK(got <= 40);  // 40 when only the gzip trailer is missing
      CHECK(r.truncated());
      warned += r.warnings();
      prev = got;
    } catch (const scap::CaptureError& e) {
      CHECK(prev == 0);  // refused only before the first event
    }
  }
  CHECK(prev > 30);
  CHECK(warned > 0);
}

TEST_CASE("truncated testdata captures (gzip, v1 format) end cleanly") {
  for (const char* name : {"cat_write.scap", "test_ipv6_client.scap"}) {
    const auto gz = file_bytes(name);
    for (std::size_t n = 0; n < gz.size(); n += 211) {
      const long got = read_all(std::span(gz.data(), n), ~std::uint64_t{0});
      CHECK(got >= -1);
    }
  }
}

TEST_CASE("a gzip capture is streamed: a decompression limit stops it, not memory") {
  const auto gz = file_bytes("curl_google.scap");
  CHECK_THROWS_AS(
      [&] {
        auto r = scap::CaptureReader::from_bytes(gz, {.max_decompressed_bytes = 50000});
        while (r.next()) {
        }
      }(),
      scap::CaptureError);
}

TEST_CASE("random corruption never crashes") {
  const auto base = small_capture();
  std::mt19937 rng(1234);
  for (int round = 0; round < 3000; ++round) {
    auto b = base;
    const int flips = 1 + static_cast<int>(rng() % 8);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    read_all(b, b.size());
  }
}

TEST_CASE("not a capture") {
  const std::vector<std::uint8_t> junk = {'h', 'e', 'l', 'l', 'o'};
  CHECK_THROWS_AS(scap::CaptureReader::from_bytes(junk), scap::CaptureError);
  CHECK_THROWS_AS(scap::CaptureReader::open("/nonexistent.scap"), scap::CaptureError);
}
