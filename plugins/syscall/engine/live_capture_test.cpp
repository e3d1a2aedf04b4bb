// LiveCapture: ring records in, readable .scap files out (one, or several when the size or
// the time span is reached), malformed records skipped, an unwritable prefix refused.
// The records are the events of an upstream test capture with the live driver's CPU trailer.
#include "live_capture.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <set>

#include "capture_reader.h"
#include "event_payload.h"
#include "event_types.h"
#include "test_support.h"

namespace saker::syscall {
namespace {

namespace fs = std::filesystem;

struct Records {
  scap::CaptureTables tables;
  std::vector<std::vector<std::uint8_t>> records;  // event | cpu | marker
};

Records load(const std::string& name) {
  auto r = scap::CaptureReader::open(scap::testing::capture_path(name));
  Records out;
  scap::testing::for_each_event(r, [&](const scap::CapturedEvent& ev) {
    auto raw = ev.view.raw();
    std::vector<std::uint8_t> rec(raw.begin(), raw.end());
    append_payload_cpu(rec, ev.cpu);
    out.records.push_back(std::move(rec));
  });
  if (r.machine_info()) out.tables.machine = *r.machine_info();
  out.tables.processes = r.processes();
  out.tables.users = r.users();
  out.tables.groups = r.groups();
  return out;
}

struct Dir {
  fs::path path;
  Dir() {
    char tmpl[] = "/tmp/saker-live-capture-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~Dir() { fs::remove_all(path); }
};

// Every event of `files`, in order, with their CPUs.
std::vector<std::pair<std::vector<std::uint8_t>, std::uint16_t>> read_all(
    const std::vector<std::string>& files, std::size_t* processes = nullptr) {
  std::vector<std::pair<std::vector<std::uint8_t>, std::uint16_t>> out;
  for (const auto& f : files) {
    auto r = scap::CaptureReader::open(f);
    if (processes) *processes = r.processes().size();
    scap::testing::for_each_event(r, [&](const scap::CapturedEvent& ev) {
      auto raw = ev.view.raw();
      out.emplace_back(std::vector<std::uint8_t>(raw.begin(), raw.end()), ev.cpu);
    });
  }
  return out;
}

void check_same_events(const Records& in, const std::vector<std::string>& files) {
  const auto got = read_all(files);
  REQUIRE(got.size() == in.records.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    const PayloadParts p = split_payload(in.records[i]);
    CHECK(std::equal(p.event.begin(), p.event.end(), got[i].first.begin(), got[i].first.end()));
    CHECK(got[i].second == *p.cpu);
  }
}

// An async event as another plugin injects it (no ring trailer): plugin_id, name, data.
std::vector<std::uint8_t> async_event(const std::string& data) {
  std::vector<std::uint8_t> async(scap::kEventHeaderSize + 12 + 4);  // lengths, plugin_id 0
  const std::string name = "container";
  for (const std::string* p : {&name, &data}) {
    async.insert(async.end(), p->begin(), p->end());
    async.push_back(0);
  }
  scap::encode_header(async.data(), {5, 0, static_cast<std::uint32_t>(async.size()),
                                     scap::EventType::kAsynceventE, 3});
  scap::store_le<std::uint32_t>(async.data() + 26, 4);
  scap::store_le<std::uint32_t>(async.data() + 30, static_cast<std::uint32_t>(name.size() + 1));
  scap::store_le<std::uint32_t>(async.data() + 34, static_cast<std::uint32_t>(data.size() + 1));
  return async;
}

}  // namespace

TEST_CASE("capture file names: prefix, UTC time to the nanosecond, .scap") {
  CHECK(capture_file_name("/tmp/saker", 1796560489908388773ull) ==
        "/tmp/saker_20261206T123449.908388773Z.scap");
  CHECK(capture_file_name("cap", 5) == "cap_19700101T000000.000000005Z.scap");
}

TEST_CASE("one file: the tables, then every record's event and CPU") {
  const Records in = load("cat_write.scap");
  REQUIRE(in.records.size() > 100);
  Dir d;
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), 0, nullptr};
  std::vector<std::string> files;
  {
    LiveCapture cap(cfg, in.tables, {});
    for (const auto& r : in.records) cap.write(r);
    CHECK(cap.events_written() == in.records.size());
    cap.close();
    files = cap.files();
  }
  REQUIRE(files.size() == 1);
  CHECK(files[0].starts_with((d.path / "cap_").string()));
  CHECK(files[0].ends_with("Z.scap"));
  std::size_t procs = 0;
  read_all(files, &procs);
  CHECK(procs == in.tables.processes.size());
  check_same_events(in, files);
}

TEST_CASE("descriptor kinds newer than sysdig 0.29 are written in the form it reads") {
  Records in = load("cat_write.scap");
  REQUIRE(!in.tables.processes.empty());
  auto& fds = in.tables.processes[0].fds;
  const std::int64_t base = 9000;
  const scap::FdType kinds[] = {scap::FdType::kBpf, scap::FdType::kUserfaultfd,
                                scap::FdType::kIoUring, scap::FdType::kPidfd,
                                scap::FdType::kMemfd};
  for (std::size_t i = 0; i < std::size(kinds); ++i) {
    scap::FdEntry e;
    e.fd = base + static_cast<std::int64_t>(i);
    e.type = kinds[i];
    if (kinds[i] == scap::FdType::kMemfd) e.name = "/memfd:x (deleted)";
    fds.push_back(e);
  }
  Dir d;
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), 0, nullptr};
  std::vector<std::string> files;
  {
    LiveCapture cap(cfg, in.tables, {});
    cap.write(in.records[0]);
    cap.close();
    files = cap.files();
  }
  REQUIRE(files.size() == 1);
  auto r = scap::CaptureReader::open(files[0]);
  std::map<std::int64_t, const scap::FdEntry*> got;
  for (const auto& f : r.processes()[0].fds) got[f.fd] = &f;
  for (std::size_t i = 0; i < std::size(kinds); ++i) {
    const auto* f = got[base + static_cast<std::int64_t>(i)];
    REQUIRE(f != nullptr);
    if (kinds[i] == scap::FdType::kMemfd) {
      CHECK(f->type == scap::FdType::kFileV2);
      CHECK(f->name == "/memfd:x (deleted)");
    } else {
      CHECK(f->type == scap::FdType::kUnsupported);
    }
  }
}

TEST_CASE("a new file when the size limit is reached, each with its own tables") {
  const Records in = load("cat_write.scap");
  Dir d;
  std::uintmax_t header = 0;  // the tables alone
  {
    LiveCapture empty({true, (d.path / "empty").string(), std::chrono::milliseconds(0), 0, nullptr},
                      in.tables, {});
    empty.close();
    header = fs::file_size(empty.files().at(0));
  }
  const std::uint64_t limit = header + 4096;
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), limit, nullptr};
  int rescans = 0;
  LiveCapture cap(cfg, in.tables, {}, [&] {
    ++rescans;
    return in.tables;
  });
  for (const auto& r : in.records) cap.write(r);
  cap.close();
  CHECK(cap.files().size() > 2);
  CHECK(rescans == static_cast<int>(cap.files().size()) - 1);
  CHECK(std::set<std::string>(cap.files().begin(), cap.files().end()).size() == cap.files().size());
  std::size_t largest_event = 0;
  for (const auto& r : in.records) largest_event = std::max(largest_event, r.size());
  for (const auto& f : cap.files()) {
    CHECK(fs::file_size(f) < limit + largest_event + 64);  // rotation happens past the limit
  }
  check_same_events(in, cap.files());
}

TEST_CASE("a new file when the events span the duration") {
  const Records in = load("cat_write.scap");
  const auto first = scap::load_le<std::uint64_t>(in.records.front().data());
  const auto last = scap::load_le<std::uint64_t>(in.records.back().data());
  REQUIRE(last > first);
  Dir d;
  // A quarter of the capture's span: four or five files.
  const auto quarter = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::nanoseconds((last - first) / 4));
  REQUIRE(quarter.count() > 0);
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), quarter, 0, nullptr};
  LiveCapture cap(cfg, in.tables, {}, [&] { return in.tables; });
  for (const auto& r : in.records) cap.write(r);
  cap.close();
  CHECK(cap.files().size() >= 4);
  CHECK(cap.files().size() <= 5);
  check_same_events(in, cap.files());
}

TEST_CASE("malformed records are skipped and counted") {
  const Records in = load("cat_write.scap");
  Dir d;
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), 0, nullptr};
  LiveCapture cap(cfg, in.tables, {});
  const std::vector<std::uint8_t> short_record(10, 0);
  auto bad_len = in.records[0];
  bad_len[16] = 0xff;  // len beyond the record
  cap.write(short_record);
  cap.write(bad_len);
  cap.write({});
  cap.write(in.records[0]);
  CHECK(cap.records_skipped() == 3);
  CHECK(cap.events_written() == 1);
  CHECK(cap.active());
}

TEST_CASE("events of the stream reach the capture through the inlet while it lives") {
  const Records in = load("cat_write.scap");
  Dir d;
  auto inlet = std::make_shared<CaptureInlet>();
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), 0, inlet};
  const std::vector<std::uint8_t> async = async_event("{}");
  CHECK(recorded_from_stream(scap::EventType::kAsynceventE));
  CHECK(recorded_from_stream(scap::EventType::kContainerJsonV2E));
  CHECK_FALSE(recorded_from_stream(3));
  CHECK_FALSE(inlet->attached());
  inlet->write(async);  // no capture yet: nothing happens
  std::vector<std::string> files;
  {
    LiveCapture cap(cfg, in.tables, {});
    CHECK(inlet->attached());
    cap.write(in.records[0]);
    inlet->write(async);
    inlet->write(std::vector<std::uint8_t>(8, 0));  // malformed: skipped
    cap.write(in.records[1]);
    CHECK(cap.events_written() == 3);
    CHECK(cap.records_skipped() == 1);
    cap.close();
    files = cap.files();
  }
  CHECK_FALSE(inlet->attached());
  inlet->write(async);  // the capture is gone: nothing happens
  auto events = read_all(files);
  REQUIRE(events.size() == 3);
  CHECK(events[1].first == async);
  CHECK(events[1].second == 0);
}

TEST_CASE("every later file starts with the stream's own events of the files before") {
  const Records in = load("cat_write.scap");
  Dir d;
  auto inlet = std::make_shared<CaptureInlet>();
  std::uintmax_t header = 0;  // the tables alone
  {
    LiveCapture empty({true, (d.path / "empty").string(), std::chrono::milliseconds(0), 0, nullptr},
                      in.tables, {});
    empty.close();
    header = fs::file_size(empty.files()[0]);
  }
  const std::uint64_t limit = header + 8 * 1024;
  LiveCaptureConfig cfg{true, (d.path / "cap").string(), std::chrono::milliseconds(0), limit, inlet};
  const auto first = async_event(R"({"container":{"id":"aaa"}})");
  const auto second = async_event(R"({"container":{"id":"bbb"}})");
  std::vector<std::string> files;
  {
    LiveCapture cap(cfg, in.tables, {});
    cap.write(in.records[0]);
    inlet->write(first);
    inlet->write(second);
    for (std::size_t i = 1; i < in.records.size(); ++i) cap.write(in.records[i]);
    cap.close();
    files = cap.files();
  }
  REQUIRE(files.size() >= 2);
  for (std::size_t f = 1; f < files.size(); ++f) {
    auto events = read_all({files[f]});
    INFO("file " << f << " of " << files.size() << ": " << events.size() << " events");
    REQUIRE(events.size() >= 3);
    CHECK(events[0].first == first);
    CHECK(events[1].first == second);
  }
}

TEST_CASE("a prefix in a missing folder is refused at start") {
  const Records in = load("cat_write.scap");
  LiveCaptureConfig cfg{true, "/nonexistent-saker-dir/cap", std::chrono::milliseconds(0), 0, nullptr};
  CHECK_THROWS_AS(LiveCapture(cfg, in.tables, {}), scap::CaptureError);
}

}  // namespace saker::syscall
