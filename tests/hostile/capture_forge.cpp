// Hostile capture generators (see capture_forge.h).
#include "capture_forge.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include <unistd.h>

#include "capture_writer.h"
#include "event_header.h"
#include "event_table.h"
#include "event_view.h"

namespace saker::hostile {

namespace scap = syscall::scap;

namespace {

constexpr std::uint32_t kEventV2Block = 0x216;  // block_types.h (internal to the reader)
constexpr std::uint32_t kProcListV9Block = 0x215;

bool is_event_block(std::uint32_t type) {
  return type == 0x204 || type == 0x208 || type == 0x216 || type == 0x217 || type == 0x221 ||
         type == 0x222;
}

std::size_t first_event_block(const std::vector<std::uint8_t>& b) {
  std::size_t pos = 0;
  while (pos + 8 <= b.size()) {
    if (is_event_block(scap::load_le<std::uint32_t>(b.data() + pos))) return pos;
    const std::uint32_t total = scap::load_le<std::uint32_t>(b.data() + pos + 4);
    if (total < 12) break;
    pos += total;
  }
  return std::min(pos, b.size());
}

// One parameter by name; the others get zero / empty values.
struct Value {
  const char* name;
  std::int64_t num = 0;
  std::string_view text{};
};

std::size_t int_size(scap::ParamType t) {
  using P = scap::ParamType;
  switch (t) {
    case P::kInt8:
    case P::kUint8:
    case P::kSigType:
    case P::kL4Proto:
    case P::kSockFamily:
    case P::kFlags8:
    case P::kEnumFlags8:
      return 1;
    case P::kInt16:
    case P::kUint16:
    case P::kPort:
    case P::kSyscallId:
    case P::kFlags16:
    case P::kEnumFlags16:
      return 2;
    case P::kInt32:
    case P::kUint32:
    case P::kBool:
    case P::kFlags32:
    case P::kUid:
    case P::kGid:
    case P::kSigSet:
    case P::kMode:
    case P::kEnumFlags32:
    case P::kIpv4Addr:
      return 4;
    case P::kInt64:
    case P::kUint64:
    case P::kErrno:
    case P::kFd:
    case P::kPid:
    case P::kRelTime:
    case P::kAbsTime:
    case P::kDouble:
      return 8;
    default:
      return 0;  // variable length
  }
}

bool is_string(scap::ParamType t) {
  return t == scap::ParamType::kCharBuf || t == scap::ParamType::kFsPath ||
         t == scap::ParamType::kFsRelPath;
}

// An exit event of `name` in the current layout, parameters from the event table.
std::vector<std::uint8_t> encode(const char* name, std::uint64_t ts, std::uint64_t tid,
                                 std::initializer_list<Value> values) {
  const std::uint16_t type = *scap::find_event(name, false);
  const scap::EventInfo& info = scap::event_info(type);
  const std::size_t n = info.nparams;
  std::vector<std::uint8_t> buf(scap::kEventHeaderSize + 2 * n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const scap::ParamInfo& p = info.params[i];
    const Value* v = nullptr;
    for (const Value& c : values) {
      if (std::strcmp(c.name, p.name) == 0) v = &c;
    }
    const std::size_t before = buf.size();
    if (const std::size_t k = int_size(p.type)) {
      const std::int64_t x = v ? v->num : 0;
      const auto* b = reinterpret_cast<const std::uint8_t*>(&x);
      buf.insert(buf.end(), b, b + k);
    } else if (v) {
      buf.insert(buf.end(), v->text.begin(), v->text.end());
      if (is_string(p.type)) buf.push_back(0);
    } else if (is_string(p.type)) {
      buf.push_back(0);
    }
    scap::store_le(buf.data() + scap::kEventHeaderSize + 2 * i,
                   static_cast<std::uint16_t>(buf.size() - before));
  }
  scap::encode_header(buf.data(), {ts, tid, static_cast<std::uint32_t>(buf.size()), type,
                                   static_cast<std::uint32_t>(n)});
  return buf;
}

scap::EventView view_of(const std::vector<std::uint8_t>& ev) {
  std::string why;
  auto v = scap::EventView::make(ev, &why);
  if (!v) throw std::runtime_error("capture_forge: bad event: " + why);
  return *v;
}

std::vector<std::uint8_t> cat_open(std::uint64_t ts) {
  return encode("open", ts, kCatTid, {{"fd", 3}, {"name", 0, "/dev/null"}});
}

// An event block (v2) around `ev` (any bytes): u32 type, u32 total, u16 cpu, event,
// padding to 4 bytes, u32 total.
std::vector<std::uint8_t> event_block(const std::vector<std::uint8_t>& ev) {
  const std::size_t body = 2 + ev.size();
  const std::uint32_t total = static_cast<std::uint32_t>(12 + (body + 3) / 4 * 4);
  std::vector<std::uint8_t> b(total, 0);
  scap::store_le(b.data(), kEventV2Block);
  scap::store_le(b.data() + 4, total);
  std::memcpy(b.data() + 10, ev.data(), ev.size());
  scap::store_le(b.data() + total - 4, total);
  return b;
}

// Malformed event number `k` (kinds cycle).
std::vector<std::uint8_t> malformed_block(std::size_t k, std::uint64_t ts) {
  std::vector<std::uint8_t> ev = encode("open", ts, kCatTid, {{"fd", 3}, {"name", 0, "/x"}});
  std::vector<std::uint8_t> b;
  switch (k % 4) {
    case 0:  // parameter lengths beyond the event
      scap::store_le(ev.data() + scap::kEventHeaderSize + 2, std::uint16_t{60000});
      b = event_block(ev);
      break;
    case 1:  // event length beyond its block
      b = event_block(ev);
      scap::store_le(b.data() + 10 + 16, static_cast<std::uint32_t>(ev.size() + 4096));
      break;
    case 2:  // event length below the header's size
      b = event_block(ev);
      scap::store_le(b.data() + 10 + 16, std::uint32_t{10});
      break;
    default:  // an absurd parameter count
      scap::store_le(ev.data() + 22, std::uint32_t{0xFFFFFFF0});
      b = event_block(ev);
      break;
  }
  return b;
}

scap::CaptureTables base_tables() {
  scap::CaptureTables t;
  t.machine.num_cpus = 4;
  t.machine.memory_size_bytes = std::uint64_t{8} << 30;
  t.machine.max_pid = 4194304;
  t.machine.hostname = "hostile";
  t.users = {{0, 0, "root", "/root", "/bin/bash"}};
  t.groups = {{0, "root"}};
  scap::ProcessEntry cat;
  cat.tid = cat.pid = kCatTid;
  cat.ptid = 1;
  cat.comm = "cat";
  cat.exe = cat.exepath = "/usr/bin/cat";
  cat.args = std::string("/dev/null\0", 10);
  cat.cwd = "/";
  cat.fdlimit = 1024;
  t.processes.push_back(cat);
  return t;
}

void add_threads(scap::CaptureTables& t, std::size_t threads) {
  constexpr std::size_t kPerProcess = 100;
  for (std::size_t i = 0; i < threads; ++i) {
    const std::uint64_t pid = 1000 + (i / kPerProcess) * kPerProcess;
    scap::ProcessEntry p;
    p.tid = pid + i % kPerProcess;
    p.pid = pid;
    p.ptid = 1;
    p.comm = "worker";
    p.exe = p.exepath = "/usr/bin/worker";
    p.args = std::string("--serve\0", 8);
    p.cwd = "/srv";
    p.fdlimit = 1024;
    if (p.tid == pid) {
      scap::FdEntry f;
      f.fd = 3;
      f.type = scap::FdType::kFile;
      f.name = "/var/log/worker.log";
      p.fds.push_back(std::move(f));
    }
    t.processes.push_back(std::move(p));
  }
  // The cat process last: seeded after the flood.
  std::rotate(t.processes.begin(), t.processes.begin() + 1, t.processes.end());
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

std::vector<std::uint8_t> read_capture_bytes(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");  // plain files are read through as they are
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<std::uint8_t> out;
  std::uint8_t buf[1 << 16];
  for (int n; (n = gzread(f, buf, sizeof buf)) > 0;) out.insert(out.end(), buf, buf + n);
  gzclose(f);
  return out;
}

std::vector<std::uint8_t> with_malformed_events(const std::vector<std::uint8_t>& capture,
                                                std::size_t every, std::size_t* inserted) {
  std::vector<std::uint8_t> out;
  std::size_t pos = 0, events = 0, bad = 0;
  while (pos + 8 <= capture.size()) {
    const std::uint32_t type = scap::load_le<std::uint32_t>(capture.data() + pos);
    const std::uint32_t total = scap::load_le<std::uint32_t>(capture.data() + pos + 4);
    if (total < 12 || pos + total > capture.size()) break;
    out.insert(out.end(), capture.begin() + pos, capture.begin() + pos + total);
    pos += total;
    const bool event = type == 0x204 || type == 0x208 || type == 0x216 || type == 0x217 ||
                       type == 0x221 || type == 0x222;
    if (event && ++events % every == 0) {
      auto b = malformed_block(bad++, 1470327477881785348ull);
      out.insert(out.end(), b.begin(), b.end());
    }
  }
  out.insert(out.end(), capture.begin() + pos, capture.end());
  if (inserted) *inserted = bad;
  return out;
}

void write_big_process_list(const std::string& path, std::size_t threads, std::size_t opens) {
  scap::CaptureTables t = base_tables();
  add_threads(t, threads);
  scap::CaptureWriter w(path);
  w.write_header(t);
  for (std::size_t i = 0; i < opens; ++i) {
    const auto ev = cat_open(1700000000000000000ull + i);
    w.write_event(view_of(ev), 0);
  }
  w.close();
}

void write_distinct_tids(const std::string& path, std::size_t events, std::size_t cat_every) {
  scap::CaptureWriter w(path);
  w.write_header(base_tables());
  std::uint64_t ts = 1700000000000000000ull;
  for (std::size_t i = 0; i < events; ++i) {
    if (i % cat_every == 0) w.write_event(view_of(cat_open(ts++)), 0);
    const auto ev = encode("getsockname", ts++, 10000000 + i, {});
    w.write_event(view_of(ev), 0);
  }
  w.write_event(view_of(cat_open(ts++)), 0);
  w.close();
}

std::vector<std::uint8_t> small_capture_header() {
  const auto tmp = std::filesystem::temp_directory_path() / "saker-hostile-header.scap";
  write_big_process_list(tmp.string(), 0, 0);
  auto bytes = read_file(tmp.string());
  std::filesystem::remove(tmp);
  return bytes;
}

std::vector<std::uint8_t> cat_open_event_block(std::uint64_t ts) {
  return event_block(cat_open(ts));
}

std::vector<std::uint8_t> list_head(const std::vector<std::uint8_t>& capture) {
  return {capture.begin(), capture.begin() + static_cast<std::ptrdiff_t>(first_event_block(capture))};
}

std::vector<std::uint8_t> list_events(const std::vector<std::uint8_t>& capture) {
  return {capture.begin() + static_cast<std::ptrdiff_t>(first_event_block(capture)), capture.end()};
}

std::vector<std::uint8_t> thread_list_block(std::size_t threads, std::uint64_t first_tid) {
  scap::CaptureTables t;
  t.processes.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    scap::ProcessEntry p;
    p.tid = p.pid = first_tid + i;
    p.ptid = 1;
    p.comm = "flood";
    p.exe = p.exepath = "/usr/bin/flood";
    p.cwd = "/";
    t.processes.push_back(std::move(p));
  }
  const auto tmp = std::filesystem::temp_directory_path() /
                   ("saker-hostile-block-" + std::to_string(::getpid()) + ".scap");
  {
    scap::CaptureWriter w(tmp.string());
    w.write_header(t);
    w.close();
  }
  const auto all = read_file(tmp.string());
  std::filesystem::remove(tmp);
  for (std::size_t pos = 0; pos + 8 <= all.size();) {
    const auto type = scap::load_le<std::uint32_t>(all.data() + pos);
    const auto total = scap::load_le<std::uint32_t>(all.data() + pos + 4);
    if (type == kProcListV9Block) return {all.begin() + pos, all.begin() + pos + total};
    pos += total;
  }
  throw std::runtime_error("capture_forge: the writer wrote no process list");
}

void shift_thread_block(std::vector<std::uint8_t>& block, std::uint64_t delta) {
  // v9 entries: u32 length (counting itself), tid u64, pid u64, ...
  const std::size_t end = block.size() - 4;
  for (std::size_t pos = 8; pos + 20 <= end;) {
    const std::uint32_t len = scap::load_le<std::uint32_t>(block.data() + pos);
    if (len < 20) break;
    for (std::size_t at : {pos + 4, pos + 12}) {
      scap::store_le(block.data() + at, scap::load_le<std::uint64_t>(block.data() + at) + delta);
    }
    pos += len;
  }
}

}  // namespace saker::hostile
