// ReplayEngine on a capture cut short: every complete event is emitted, then one warning
// goes to the engine's warning sink and the stream ends normally (EOF, not an error).
#include "replay_engine.h"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "capture_reader.h"
#include "capture_writer.h"
#include "engine/event_payload.h"
#include "tests/event_builder.h"

namespace {

namespace scap = saker::syscall::scap;

std::string testdata(const std::string& name) {
  return std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
}

// The first `limit` events of test_ipv6_client.scap, re-encoded as a plain capture; returns
// the stream offsets where its event blocks end.
std::vector<std::size_t> write_plain(const std::string& path, std::size_t limit) {
  auto in = scap::CaptureReader::open(testdata("test_ipv6_client.scap"));
  scap::CaptureTables t;
  t.machine = *in.machine_info();
  t.users = in.users();
  t.groups = in.groups();
  t.interfaces = in.interfaces();
  t.processes = in.processes();
  {
    scap::CaptureWriter w(path);
    w.write_header(t);
    for (std::size_t i = 0; i < limit; ++i) {
      const auto* ev = in.next_ref();
      if (!ev) break;
      w.write_event(ev->view, ev->cpu, ev->flags);
    }
  }
  auto r = scap::CaptureReader::open(path);
  std::vector<std::size_t> ends;
  while (r.next_ref()) ends.push_back(r.offset());
  return ends;
}

// Replays `path`; returns the events emitted, collecting warnings.
std::size_t replay(const std::string& path, std::vector<std::string>& warnings,
                   std::uint64_t* engine_warnings) {
  saker::syscall::ReplayEngine eng(path, 1,
                                   [&](const std::string& w) { warnings.push_back(w); });
  saker::sdk::EventWriter out;
  std::size_t events = 0;
  saker::sdk::BatchStatus st;
  do {
    out.reset();
    st = eng.next_batch(out, 0);
    events += out.count();
  } while (st == saker::sdk::BatchStatus::kOk);
  CHECK(st == saker::sdk::BatchStatus::kEof);
  *engine_warnings = eng.warnings();
  return events;
}

struct Replayed {
  int events = 0;
  int batches = 0;
};

// Replays `path` to its end; `check(i, ts, cpu, view)` sees every event once its whole
// batch is made (views handed over in the reader's buffer must still be valid then).
template <class Check>
Replayed replay_each(const std::string& path, Check check) {
  saker::syscall::ReplayEngine eng(path, 1, [](const std::string&) {});
  saker::sdk::EventWriter out;
  Replayed r;
  saker::sdk::BatchStatus st;
  do {
    out.reset();
    st = eng.next_batch(out, 0);
    const saker_event* const* evs = out.finish();
    for (std::size_t k = 0; k < out.count(); ++k, ++r.events) {
      auto parts = saker::syscall::split_payload({evs[k]->data, evs[k]->data_len});
      REQUIRE(parts.cpu);
      auto v = scap::EventView::make(parts.event);
      REQUIRE(v);
      check(r.events, evs[k]->ts, *parts.cpu, *v);
    }
    ++r.batches;
  } while (st == saker::sdk::BatchStatus::kOk);
  return r;
}

}  // namespace

TEST_CASE("a truncated capture replays its complete events, then warns") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string full = (dir / "saker_replay_full.scap").string();
  const std::string first100 = (dir / "saker_replay_100.scap").string();
  const std::string cut = (dir / "saker_replay_cut.scap").string();
  const auto ends = write_plain(full, std::numeric_limits<std::size_t>::max());
  REQUIRE(ends.size() > 101);
  write_plain(first100, 100);
  {  // the full capture cut in the middle of its 101st event block
    std::ifstream f(full, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(f)), {});
    std::ofstream o(cut, std::ios::binary);
    o.write(bytes.data(), static_cast<std::streamsize>((ends[99] + ends[100]) / 2));
  }
  std::vector<std::string> w_cut, w_100, w_full;
  std::uint64_t n_cut = 0, n_100 = 0, n_full = 0;
  const std::size_t events_cut = replay(cut, w_cut, &n_cut);
  const std::size_t events_100 = replay(first100, w_100, &n_100);
  const std::size_t events_full = replay(full, w_full, &n_full);
  CHECK(events_cut == events_100);  // every complete event, folded as usual
  CHECK(events_cut > 0);
  CHECK(events_full > events_cut);
  REQUIRE(w_cut.size() == 1);
  CHECK(w_cut[0].find("truncated") != std::string::npos);
  CHECK(n_cut == 1);
  CHECK(w_100.empty());
  CHECK(w_full.empty());
  CHECK(n_full == 0);
  for (const auto& p : {full, first100, cut}) std::filesystem::remove(p);
}

TEST_CASE("large events fill batches across calls without losing or reordering any") {
  // 30 KB events: a few fit in the reader's buffer (128 KiB), so most batches end early,
  // before the read that has to move the buffer the batch's events are in.
  const std::string path =
      (std::filesystem::temp_directory_path() / "saker_replay_large.scap").string();
  constexpr int kEvents = 25;
  {
    scap::CaptureWriter w(path);
    w.write_header({});
    for (int i = 0; i < kEvents; ++i) {
      const std::string data(30000 + static_cast<std::size_t>(i), static_cast<char>('a' + i));
      auto raw = saker::syscall::testing::EventBuilder("write", false, 100, 1000 + i)
                     .i64(static_cast<std::int64_t>(data.size()))
                     .bytes(data)
                     .i64(3)
                     .u32(static_cast<std::uint32_t>(data.size()))
                     .build();
      w.write_event(*scap::EventView::make(raw), static_cast<std::uint16_t>(i % 4));
    }
  }
  const Replayed r = replay_each(
      path, [](int i, std::uint64_t ts, std::uint16_t cpu, const scap::EventView& v) {
        CHECK(ts == static_cast<std::uint64_t>(1000 + i));
        CHECK(cpu == i % 4);
        CHECK(v.param(1).size() == static_cast<std::size_t>(30000 + i));
        CHECK(v.param(1)[0] == static_cast<std::uint8_t>('a' + i));
      });
  CHECK(r.events == kEvents);
  CHECK(r.batches > kEvents / 8);
  std::filesystem::remove(path);
}

namespace {

std::vector<char> bytes_of(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

// `bytes` with `block` inserted at `at`, written to `path`.
void write_with(const std::string& path, std::vector<char> bytes, std::size_t at,
                const std::vector<char>& block) {
  bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(at), block.begin(), block.end());
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A v2 event block (0x216) whose event header claims more bytes than the block holds.
std::vector<char> overlong_event_block() {
  auto ev = saker::syscall::testing::EventBuilder("close", false, 7).i64(0).i64(3).build();
  scap::store_le(ev.data() + 16, static_cast<std::uint32_t>(ev.size() + 1000));
  const std::uint32_t total = static_cast<std::uint32_t>(12 + (2 + ev.size() + 3) / 4 * 4);
  std::vector<char> b(total, 0);
  auto* p = reinterpret_cast<std::uint8_t*>(b.data());
  scap::store_le(p, std::uint32_t{0x216});
  scap::store_le(p + 4, total);
  std::memcpy(p + 10, ev.data(), ev.size());
  scap::store_le(p + total - 4, total);
  return b;
}

}  // namespace

TEST_CASE("events handed over in the reader's buffer stay valid for their whole batch") {
  // Many events of varying sizes: the reader refills its buffer many times, in the middle
  // of what would be a batch; every event of a batch is checked after the batch is made.
  const std::string path =
      (std::filesystem::temp_directory_path() / "saker_replay_inplace.scap").string();
  constexpr int kEvents = 20000;
  {
    scap::CaptureWriter w(path);
    w.write_header({});
    for (int i = 0; i < kEvents; ++i) {
      const std::string data(static_cast<std::size_t>(i * 37 % 500), static_cast<char>(i));
      auto raw = saker::syscall::testing::EventBuilder("write", false, 100 + i % 7, 1000 + i)
                     .i64(static_cast<std::int64_t>(data.size()))
                     .bytes(data)
                     .i64(i % 100)
                     .u32(static_cast<std::uint32_t>(data.size()))
                     .build();
      w.write_event(*scap::EventView::make(raw), static_cast<std::uint16_t>(i % 3));
    }
  }
  const Replayed r = replay_each(
      path, [](int i, std::uint64_t ts, std::uint16_t cpu, const scap::EventView& v) {
        REQUIRE(ts == static_cast<std::uint64_t>(1000 + i));
        CHECK(cpu == i % 3);
        CHECK(v.tid() == static_cast<std::uint64_t>(100 + i % 7));
        const auto data = v.param(1);
        REQUIRE(data.size() == static_cast<std::size_t>(i * 37 % 500));
        for (auto b : data) REQUIRE(b == static_cast<std::uint8_t>(i));
        CHECK(v.param_int(2) == i % 100);
      });
  CHECK(r.events == kEvents);
  std::filesystem::remove(path);
}

TEST_CASE("an event block the reader refuses is skipped and reported; the others replay") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string full = (dir / "saker_replay_bad_full.scap").string();
  const std::string bad = (dir / "saker_replay_bad_block.scap").string();
  const auto ends = write_plain(full, std::numeric_limits<std::size_t>::max());
  REQUIRE(ends.size() > 300);
  write_with(bad, bytes_of(full), ends[99], overlong_event_block());  // inside the first batch
  std::vector<std::string> w_full, w_bad;
  std::uint64_t n = 0;
  const std::size_t events_full = replay(full, w_full, &n);
  const std::size_t events_bad = replay(bad, w_bad, &n);
  CHECK(events_bad == events_full);  // no valid event lost
  REQUIRE(w_bad.size() == 1);
  CHECK(w_bad[0].find("event skipped") != std::string::npos);
  for (const auto& p : {full, bad}) std::filesystem::remove(p);
}

TEST_CASE("a block the reader cannot step over: the events before it, then the error") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string full = (dir / "saker_replay_fatal_full.scap").string();
  const std::string bad = (dir / "saker_replay_fatal.scap").string();
  const auto ends = write_plain(full, std::numeric_limits<std::size_t>::max());
  REQUIRE(ends.size() > 300);
  // A block whose length is out of range after 300 events (the second batch).
  write_with(bad, bytes_of(full), ends[299], std::vector<char>(16, 0));
  saker::syscall::ReplayEngine eng(bad, 1, [](const std::string&) {});
  saker::sdk::EventWriter out;
  std::size_t events = 0;
  std::string error;
  for (int calls = 0; calls < 10 && error.empty(); ++calls) {
    out.reset();
    try {
      const auto st = eng.next_batch(out, 0);
      CHECK(st == saker::sdk::BatchStatus::kOk);
      events += out.count();
    } catch (const saker::sdk::PluginError& e) {
      error = e.what();
    }
  }
  std::vector<std::string> w;
  std::uint64_t n = 0;
  const std::size_t events_300 = [&] {  // the same 300 events, replayed alone
    write_plain(full, 300);
    return replay(full, w, &n);
  }();
  CHECK(events == events_300);
  CHECK(error.find("out of range") != std::string::npos);
  out.reset();
  CHECK_THROWS_AS(eng.next_batch(out, 0), saker::sdk::PluginError);  // again: it cannot go on
  for (const auto& p : {full, bad}) std::filesystem::remove(p);
}

TEST_CASE("the reader's limits and stop check: warned once, the stream ends on a stop") {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string full = (dir / "saker_replay_stop_full.scap").string();
  const std::string listed = (dir / "saker_replay_stop_list.scap").string();
  const auto ends = write_plain(full, std::numeric_limits<std::size_t>::max());
  REQUIRE(ends.size() > 300);
  std::vector<std::string> w;
  std::uint64_t n = 0;
  const std::size_t events_full = replay(full, w, &n);
  {  // max_table_entries: the lists cut, one warning, every event replayed.
    std::vector<std::string> warnings;
    saker::syscall::ReplayEngine eng(full, 1, [&](const std::string& m) { warnings.push_back(m); },
                                     {}, 5);
    saker::sdk::EventWriter out;
    std::size_t events = 0;
    while (true) {
      out.reset();
      const auto st = eng.next_batch(out, 0);
      events += out.count();
      if (st != saker::sdk::BatchStatus::kOk) break;
    }
    CHECK(events == events_full);
    REQUIRE(!warnings.empty());
    CHECK(warnings[0].find("max_table_entries (5)") != std::string::npos);
    CHECK(eng.capture().table_entries() == 5);
  }
  // A block that is no event after 100 events; a stop requested once the engine is open.
  std::vector<char> unknown(16, 0);
  scap::store_le(reinterpret_cast<std::uint8_t*>(unknown.data()), std::uint32_t{0x999});
  scap::store_le(reinterpret_cast<std::uint8_t*>(unknown.data()) + 4, std::uint32_t{16});
  scap::store_le(reinterpret_cast<std::uint8_t*>(unknown.data()) + 12, std::uint32_t{16});
  write_with(listed, bytes_of(full), ends[99], unknown);
  bool stop = false;
  std::vector<std::string> warnings;
  saker::syscall::ReplayEngine eng(listed, 1, [&](const std::string& m) { warnings.push_back(m); },
                                   [&] { return stop; });
  stop = true;
  saker::sdk::EventWriter out;
  std::size_t events = 0;
  saker::sdk::BatchStatus st;
  do {
    out.reset();
    st = eng.next_batch(out, 0);
    events += out.count();
  } while (st == saker::sdk::BatchStatus::kOk);
  CHECK(st == saker::sdk::BatchStatus::kEof);
  const std::size_t events_100 = [&] {  // the same 100 events, replayed alone
    write_plain(full, 100);
    return replay(full, w, &n);
  }();
  CHECK(events == events_100);
  REQUIRE(!warnings.empty());
  CHECK(warnings[0].find("interrupted (stop requested)") != std::string::npos);
  for (const auto& p : {full, listed}) std::filesystem::remove(p);
}
