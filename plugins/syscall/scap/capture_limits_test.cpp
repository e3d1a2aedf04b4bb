// Hostile list blocks: the bound on the table entries a capture's lists may add
// (ReaderOptions::max_table_entries) and the reader's stop check (ReaderOptions::stop),
// polled while reading list blocks and while a pipe stalls.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "capture_reader.h"
#include "capture_writer.h"
#include "event_header.h"
#include "test_support.h"

namespace scap = saker::syscall::scap;
using scap::testing::capture_path;
using scap::testing::for_each_event;
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kProcListV9 = 0x215;

std::vector<std::uint8_t> plain_bytes(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  REQUIRE(f);
  std::vector<std::uint8_t> out;
  std::uint8_t buf[1 << 16];
  for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

bool is_event_block(std::uint32_t t) {
  return t == 0x204 || t == 0x208 || t == 0x216 || t == 0x217 || t == 0x221 || t == 0x222;
}

// Offset of the first event block of a plain capture.
std::size_t first_event_block(const std::vector<std::uint8_t>& b) {
  std::size_t pos = 0;
  while (pos + 8 <= b.size()) {
    if (is_event_block(scap::load_le<std::uint32_t>(b.data() + pos))) return pos;
    pos += scap::load_le<std::uint32_t>(b.data() + pos + 4);
  }
  return b.size();
}

// A process list block (v9) of `threads` threads, tids from `first_tid`.
std::vector<std::uint8_t> thread_block(std::size_t threads, std::uint64_t first_tid) {
  scap::CaptureTables t;
  for (std::size_t i = 0; i < threads; ++i) {
    scap::ProcessEntry p;
    p.tid = p.pid = first_tid + i;
    p.comm = "w";
    t.processes.push_back(p);
  }
  const auto path = (fs::temp_directory_path() / "saker_limits_block.scap").string();
  {
    scap::CaptureWriter w(path);
    w.write_header(t);
    w.close();
  }
  const auto all = plain_bytes(path);
  fs::remove(path);
  for (std::size_t pos = 0; pos + 8 <= all.size();) {
    const auto type = scap::load_le<std::uint32_t>(all.data() + pos);
    const auto total = scap::load_le<std::uint32_t>(all.data() + pos + 4);
    if (type == kProcListV9) return {all.begin() + pos, all.begin() + pos + total};
    pos += total;
  }
  FAIL("no process list block written");
  return {};
}

// cat_write.scap with `blocks` process lists of `threads` threads before its events.
std::vector<std::uint8_t> with_thread_blocks(std::size_t blocks, std::size_t threads) {
  auto cap = plain_bytes(capture_path("cat_write.scap"));
  const std::size_t at = first_event_block(cap);
  std::vector<std::uint8_t> out(cap.begin(), cap.begin() + at);
  for (std::size_t k = 0; k < blocks; ++k) {
    const auto b = thread_block(threads, 50000000 + k * threads);
    out.insert(out.end(), b.begin(), b.end());
  }
  out.insert(out.end(), cap.begin() + at, cap.end());
  return out;
}

}  // namespace

TEST_CASE("list blocks beyond max_table_entries are cut and skipped; events are kept") {
  const auto plain = scap::CaptureReader::open(capture_path("cat_write.scap"));
  const std::size_t own = plain.processes().size();
  std::size_t own_entries = own + plain.users().size() + plain.groups().size() +
                            plain.interfaces().size();
  for (const auto& p : plain.processes()) own_entries += p.fds.size();
  const auto bytes = with_thread_blocks(3, 600);

  scap::ReaderOptions o;
  o.max_table_entries = own_entries + 1000;
  auto r = scap::CaptureReader::from_bytes(bytes, o);
  CHECK(r.processes().size() == own + 1000);
  CHECK(r.table_entries() == own_entries + 1000);
  CHECK(r.list_blocks_over_limit() == 2);  // the second cut, the third stepped over
  CHECK(r.warnings() == 1);
  CHECK(r.limit_warning().find("max_table_entries (" + std::to_string(own_entries + 1000) +
                               ")") != std::string::npos);
  CHECK(r.limit_warning().find("process list block at offset") != std::string::npos);
  CHECK(r.find_process(50000000 + 999) != nullptr);
  CHECK(r.find_process(50000000 + 1000) == nullptr);
  CHECK(for_each_event(r) == 345);  // every event of cat_write.scap
  CHECK_FALSE(r.truncated());

  // Within the limit: everything kept, no warning.
  auto all = scap::CaptureReader::from_bytes(bytes);
  CHECK(all.processes().size() == own + 1800);
  CHECK(all.warnings() == 0);
  CHECK(all.limit_warning().empty());
  CHECK(for_each_event(all) == 345);

  // A limit of 0: no table at all, events still read.
  o.max_table_entries = 0;
  auto none = scap::CaptureReader::from_bytes(bytes, o);
  CHECK(none.processes().empty());
  CHECK(none.users().empty());
  CHECK(none.warnings() == 1);
  CHECK(for_each_event(none) == 345);
}

TEST_CASE("a stepped-over list block is checked and not buffered; a cut one ends the stream") {
  // ~50 MB of process lists past the limit: stepped over a buffer at a time.
  const auto bytes = with_thread_blocks(8, 40000);
  scap::ReaderOptions o;
  o.max_table_entries = 10;
  auto r = scap::CaptureReader::from_bytes(bytes, o);
  CHECK(r.list_blocks_over_limit() >= 8);
  CHECK(for_each_event(r) == 345);
  // A corrupted trailer in a block stepped over is still an error.
  auto bad = bytes;
  const std::size_t first = first_event_block(plain_bytes(capture_path("cat_write.scap")));
  const auto total = scap::load_le<std::uint32_t>(bad.data() + first + 4);
  bad[first + total - 1] ^= 0xFF;
  CHECK_THROWS_AS(scap::CaptureReader::from_bytes(bad, o), scap::CaptureError);
  // Cut in the middle of a block stepped over: a truncation, as elsewhere.
  std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + first + total / 2);
  auto t = scap::CaptureReader::from_bytes(cut, o);
  CHECK(for_each_event(t) == 0);
  CHECK(t.truncated());
}

TEST_CASE("the stop check interrupts reading list blocks") {
  const auto bytes = with_thread_blocks(4, 20000);
  scap::ReaderOptions o;
  int calls = 0;
  o.stop = [&] { return ++calls > 3; };
  CHECK_THROWS_AS(scap::CaptureReader::from_bytes(bytes, o), scap::CaptureInterrupted);
  CHECK(calls == 4);
  // Also while stepping over blocks past the limit.
  calls = 0;
  o.max_table_entries = 0;
  o.stop = [&] { return ++calls > 20; };
  CHECK_THROWS_AS(scap::CaptureReader::from_bytes(bytes, o), scap::CaptureInterrupted);
  // Never asked to stop: reads to the end.
  o.stop = [] { return false; };
  auto r = scap::CaptureReader::from_bytes(bytes, o);
  CHECK(for_each_event(r) == 345);
}

TEST_CASE("a pipe that stalls after the header is interrupted by the stop check") {
  const auto dir = fs::temp_directory_path() / ("saker_stall_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string fifo = (dir / "stall.scap").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto cap = plain_bytes(capture_path("cat_write.scap"));
  const std::vector<std::uint8_t> header(cap.begin(), cap.begin() + first_event_block(cap));
  std::atomic<bool> done{false}, stop{false};
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    (void)!::write(fd, header.data(), header.size());
    while (!done) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::close(fd);
  });
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  scap::ReaderOptions o;
  o.stop = [&] { return stop.load(); };
  const auto t0 = std::chrono::steady_clock::now();
  bool interrupted = false;
  try {
    scap::CaptureReader::open(fifo, o);
  } catch (const scap::CaptureInterrupted& e) {
    interrupted = std::string(e.what()).find("interrupted") != std::string::npos;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  done = true;
  writer.join();
  stopper.join();
  fs::remove_all(dir);
  CHECK(interrupted);
  CHECK(s >= 0.25);
  CHECK(s < 1.5);
  MESSAGE("stalled pipe interrupted after " << s << " s");
}

namespace {

// Peak resident set since the last reset_peak_rss() (VmHWM).
long peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }

}  // namespace

TEST_CASE("large list blocks are parsed a window at a time: memory follows what is kept") {
  const auto bytes = with_thread_blocks(2, 100000);  // two blocks of ~15 MB
  const auto path = (fs::temp_directory_path() / "saker_limits_big.scap").string();
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  {  // Everything kept: every thread there, in order.
    auto r = scap::CaptureReader::open(path);
    REQUIRE(r.find_process(50000000 + 199999));
    CHECK(r.find_process(50000000 + 199999)->comm == "w");
    CHECK(r.find_process(50000000 + 123456)->pid == 50000000 + 123456);
    CHECK(for_each_event(r) == 345);
  }
  // Ten entries of the first block kept: neither block is buffered whole.
  scap::ReaderOptions o;
  o.max_table_entries =
      scap::CaptureReader::open(capture_path("cat_write.scap")).table_entries() + 10;
  reset_peak_rss();
  const long before = peak_rss_kb();
  auto r = scap::CaptureReader::open(path, o);
  CHECK(for_each_event(r) == 345);
  const long grown = peak_rss_kb() - before;
  fs::remove(path);
  MESSAGE("peak RSS grew by " << grown << " KB reading 30 MB of lists with 10 entries kept");
  CHECK(r.list_blocks_over_limit() == 2);
  CHECK(r.find_process(50000000 + 9) != nullptr);
  CHECK(r.find_process(50000000 + 10) == nullptr);
  CHECK(grown < 8 * 1024);
}

TEST_CASE("an oversized machine info block is read from its first bytes, the rest skipped") {
  auto cap = plain_bytes(capture_path("cat_write.scap"));
  const auto plain = scap::CaptureReader::from_bytes(cap);
  REQUIRE(plain.machine_info());
  // A copy of the machine info block padded to 8 MiB, right after the section header.
  const std::size_t shb = scap::load_le<std::uint32_t>(cap.data() + 4);
  std::size_t pos = shb;
  while (scap::load_le<std::uint32_t>(cap.data() + pos) != 0x201) {
    pos += scap::load_le<std::uint32_t>(cap.data() + pos + 4);
  }
  const std::uint32_t len = scap::load_le<std::uint32_t>(cap.data() + pos + 4);
  const std::uint32_t big = 8u << 20;
  std::vector<std::uint8_t> block(big, 0);
  std::copy(cap.begin() + pos, cap.begin() + pos + len - 4, block.begin());
  scap::store_le(block.data() + 4, big);
  scap::store_le(block.data() + big - 4, big);
  cap.insert(cap.begin() + shb, block.begin(), block.end());
  auto r = scap::CaptureReader::from_bytes(cap);
  REQUIRE(r.machine_info());
  CHECK(r.machine_info()->hostname == plain.machine_info()->hostname);
  CHECK(r.machine_info()->num_cpus == plain.machine_info()->num_cpus);
  CHECK(for_each_event(r) == 345);
}
