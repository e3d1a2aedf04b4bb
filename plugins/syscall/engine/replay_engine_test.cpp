// ReplayEngine on a capture cut short: every complete event is emitted, then one warning
// goes to the engine's warning sink and the stream ends normally (EOF, not an error).
#include "replay_engine.h"

#include <doctest/doctest.h>

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
  // 30 KB events: two fit in the engine's batch arena, so most batches end early and the
  // next one starts with the event that did not fit.
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
  saker::syscall::ReplayEngine eng(path, 1, [](const std::string&) {});
  saker::sdk::EventWriter out;
  int seen = 0, batches = 0;
  saker::sdk::BatchStatus st;
  do {
    out.reset();
    st = eng.next_batch(out, 0);
    const saker_event* const* evs = out.finish();
    for (std::size_t k = 0; k < out.count(); ++k, ++seen) {
      CHECK(evs[k]->ts == static_cast<std::uint64_t>(1000 + seen));
      auto parts = saker::syscall::split_payload({evs[k]->data, evs[k]->data_len});
      REQUIRE(parts.cpu);
      CHECK(*parts.cpu == seen % 4);
      auto v = scap::EventView::make(parts.event);
      REQUIRE(v);
      CHECK(v->param(1).size() == static_cast<std::size_t>(30000 + seen));
      CHECK(v->param(1)[0] == static_cast<std::uint8_t>('a' + seen));
    }
    ++batches;
  } while (st == saker::sdk::BatchStatus::kOk);
  CHECK(seen == kEvents);
  CHECK(batches > kEvents / 3);
  std::filesystem::remove(path);
}
