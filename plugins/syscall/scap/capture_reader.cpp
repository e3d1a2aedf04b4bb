// CaptureReader: decompression, block walking and event decoding (see capture_reader.h).
// List block contents are parsed in capture_lists.cpp.
#include "capture_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "block_types.h"
#include "byte_cursor.h"
#include "capture_lists.h"
#include "event_table.h"

namespace saker::syscall::scap {
namespace {

constexpr std::size_t kBlockOverhead = 12;  // type + length + trailing length
constexpr std::size_t kReadChunk = std::size_t{128} << 10;
constexpr std::uint32_t kMaxSectionHeader = 1u << 20;
constexpr std::size_t kMaxMachineInfo = 4096;  // bytes of a machine info block read
constexpr std::size_t kListWindow = std::size_t{64} << 10;  // list entries parsed at a time

bool is_gzip(std::span<const std::uint8_t> b) {
  return b.size() >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

// The fewest bytes a process list entry of version `v` takes (every string empty).
std::size_t min_proc_entry_bytes(int v) {
  std::size_t n = 24 + 4 * 2 + 8 + 12;  // tid pid ptid, comm exe args cwd, fdlimit, flags uid gid
  if (v >= 2) n += 12 + 16;             // vm sizes, page faults
  if (v >= 3) n += 2;                   // env
  if (v >= 4) n += 16 + 2;              // vtid vpid, cgroups
  if (v >= 5) n += 2;                   // root
  if (v >= 6) n += 8;                   // sid
  if (v >= 7) n += 2;                   // exepath
  if (v >= 8) n += 8;                   // vpgid
  if (v >= 9) n += 4;                   // entry length
  return n;
}

const char* list_block_name(std::uint32_t type) {
  if (block::proclist_version(type)) return "process list";
  if (type == block::kFdList || type == block::kFdListV2) return "fd list";
  if (type == block::kIfList || type == block::kIfListV2) return "interface list";
  if (type == block::kUserList || type == block::kUserListV2) return "user list";
  if (type == block::kMachineInfo || type == block::kMachineInfoOld) return "machine info";
  return nullptr;  // not a list block this reader knows
}

}  // namespace

CaptureReader CaptureReader::open(const std::string& path, const ReaderOptions& opts) {
  return start(open_file_source(path, opts.stop), opts);
}

CaptureReader CaptureReader::from_bytes(std::span<const std::uint8_t> bytes,
                                        const ReaderOptions& opts) {
  return start(memory_source(bytes), opts);
}

// Reads the first bytes to tell gzip from plain, then the header and the list blocks.
CaptureReader CaptureReader::start(std::unique_ptr<ByteSource> raw, const ReaderOptions& opts) {
  CaptureReader r;
  r.opts_ = opts;
  r.entries_left_ = opts.max_table_entries;
  std::uint8_t magic[2];
  std::size_t got = 0;
  while (got < sizeof magic) {
    const std::size_t k = raw->read(magic + got, sizeof magic - got);
    if (k == 0) break;
    got += k;
  }
  r.gzip_ = is_gzip({magic, got});
  if (r.gzip_) {
    r.src_ = gzip_source(std::move(raw), {magic, got}, opts.max_decompressed_bytes);
  } else {
    r.src_ = std::move(raw);
    r.buf_.assign(magic, magic + got);
    r.tail_ = got;
  }
  r.parse_section_header();
  r.parse_metadata();
  r.opts_.sink = nullptr;  // during open() only
  std::vector<FdEntry>().swap(r.sink_fds_);
  return r;
}

bool CaptureReader::fill_slow(std::size_t n) {
  if (head_ > 0) {  // drop what was consumed: earlier views are no longer valid anyway
    std::memmove(buf_.data(), buf_.data() + head_, tail_ - head_);
    tail_ -= head_;
    base_ += head_;
    head_ = 0;
  }
  while (tail_ < n && !src_eof_) {
    if (tail_ == buf_.size()) {
      // Grow only once the buffer is full, so a bogus length never allocates much more than
      // the bytes that really exist.
      const std::size_t want = std::max(kReadChunk, std::min(n, 2 * buf_.size()));
      buf_.resize(std::max(want, buf_.size() + 1));
    }
    if (n > 2 * kReadChunk) check_stop();  // gathering a large block
    const std::size_t got = src_->read(buf_.data() + tail_, buf_.size() - tail_);
    if (got == 0) src_eof_ = true;
    tail_ += got;
  }
  return tail_ - head_ >= n;
}

void CaptureReader::note_truncation(const char* where) {
  done_ = true;
  truncated_ = true;
  truncated_bytes_ = tail_ - head_;
  ++warnings_;
  warning_ = "capture truncated " + std::string(where) + " at offset " +
             std::to_string(offset()) + " (" + std::to_string(truncated_bytes_) +
             " bytes of an incomplete block dropped" + (src_->truncated() ? ", gzip stream cut" : "") +
             "); the events before it were read";
  head_ = tail_;
}

void CaptureReader::parse_section_header() {
  // Type, length and byte-order magic first: a file that is no capture is refused before
  // its claimed header length is read.
  if (!fill(12)) throw CaptureError("not a scap capture (too short)", 0);
  ByteCursor c(at_head(12), 0, "section header");
  if (c.u32() != block::kSectionHeader)
    throw CaptureError("not a scap capture (bad block type)", 0);
  const std::uint32_t total = c.u32();
  if (c.u32() != block::kByteOrderMagic) throw CaptureError("bad byte-order magic", 8);
  if (total < 28 || total > kMaxSectionHeader) throw CaptureError("bad section header length", 4);
  if (!fill(total)) throw CaptureError("bad section header length", 4);
  ByteCursor h(at_head(total), 0, "section header");
  h.skip(12);
  major_ = h.u16();
  minor_ = h.u16();
  h.u64();  // section length, unused
  if (major_ != 1)
    throw CaptureError("unsupported format major version " + std::to_string(major_), 12);
  ByteCursor tail(at_head(total).subspan(total - 4, 4), total - 4, "section header");
  if (tail.u32() != total) throw CaptureError("section header trailer mismatch", total - 4);
  head_ += total;
}

void CaptureReader::parse_metadata() {
  while (!done_ && consume_list_block()) {
  }
}

const ProcessEntry* CaptureReader::find_process(std::uint64_t tid) const noexcept {
  const auto it = proc_index_.find(tid);
  return it == proc_index_.end() ? nullptr : &procs_[it->second];
}

std::vector<FdEntry>* CaptureReader::fd_target(std::uint64_t tid) {
  if (opts_.sink) {
    sink_fds_.clear();
    return opts_.sink->has_thread(tid) ? &sink_fds_ : nullptr;
  }
  const auto it = proc_index_.find(tid);
  return it == proc_index_.end() ? nullptr : &procs_[it->second].fds;
}

void CaptureReader::fds_parsed(std::uint64_t tid, const std::vector<FdEntry>* out) {
  if (opts_.sink && out && !sink_fds_.empty()) opts_.sink->fds(tid, sink_fds_);
}

void CaptureReader::processes_parsed(std::size_t before) {
  if (opts_.sink) {
    for (std::size_t i = before; i < procs_.size(); ++i) opts_.sink->thread(procs_[i]);
    procs_.resize(before);
    return;
  }
  for (std::size_t i = before; i < procs_.size(); ++i) proc_index_[procs_[i].tid] = i;
}

void CaptureReader::release_processes() noexcept {
  std::vector<ProcessEntry>().swap(procs_);
  std::unordered_map<std::uint64_t, std::size_t>().swap(proc_index_);
}

void CaptureReader::check_stop() const {
  if (opts_.stop && opts_.stop()) {
    throw CaptureInterrupted("interrupted (stop requested) while reading the capture", offset());
  }
}

bool CaptureReader::block_header(std::uint32_t& type, std::uint32_t& total) {
  if (!fill(8)) {
    if (tail_ > head_ || src_->truncated()) {
      note_truncation("in a block header");
    } else {
      done_ = true;
    }
    return false;
  }
  type = load_le<std::uint32_t>(buf_.data() + head_);
  total = load_le<std::uint32_t>(buf_.data() + head_ + 4);
  if (total < kBlockOverhead || total > opts_.max_block_bytes)
    throw CaptureError("block length " + std::to_string(total) + " out of range", offset() + 4);
  return true;
}

bool CaptureReader::fill_block(std::uint32_t total) {
  if (!fill(total)) {
    note_truncation("in a block");
    return false;
  }
  const std::uint32_t trailer = load_le<std::uint32_t>(buf_.data() + head_ + total - 4);
  if (trailer != total)
    throw CaptureError("block trailer does not match its length", offset() + total - 4);
  return true;
}

// Steps over the block at head_ (its header read) without buffering it.
bool CaptureReader::skip_block(std::uint32_t type, std::uint32_t total) {
  return skip_rest(total - 4, total,
                   list_block_name(type) ? "in a skipped list block" : "in a skipped block");
}

// Consumes `left` bytes from head_ (what is buffered, then the rest read into the buffer as
// it is, a buffer at a time), then the block's trailer, which must be `total`.
bool CaptureReader::skip_rest(std::uint64_t left, std::uint32_t total, const char* where) {
  while (left > 0) {
    if (head_ == tail_) {
      check_stop();
      if (!fill(1)) {
        note_truncation(where);
        return false;
      }
    }
    const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(tail_ - head_, left));
    head_ += k;
    left -= k;
  }
  if (!fill(4)) {
    note_truncation(where);
    return false;
  }
  if (load_le<std::uint32_t>(buf_.data() + head_) != total)
    throw CaptureError("block trailer does not match its length", offset());
  head_ += 4;
  return true;
}

// A list block whose entries carry their length (process list v9, fd list v2, user list
// v2), parsed a window of whole entries at a time: the buffer holds a window (or the
// largest entry), not the block, and once the budget is spent the rest is stepped over.
bool CaptureReader::stream_list_block(std::uint32_t type, std::uint32_t total, std::uint64_t at) {
  head_ += 8;  // the block header, buffered by block_header
  std::uint64_t left = total - kBlockOverhead;  // body bytes not consumed yet
  lists::EntryBudget budget{entries_left_, &opts_.stop, entries_seen_};
  std::uint64_t tid = 0;
  if (type == block::kFdListV2) {
    if (left < 8) throw CaptureError("list block: truncated, needs 8 more bytes", offset());
    if (!fill(8)) {
      note_truncation("in a block");
      return false;
    }
    tid = load_le<std::uint64_t>(buf_.data() + head_);
    head_ += 8;
    left -= 8;
  } else if (type == block::kUserListV2) {
    users_.clear();
    groups_.clear();
  } else if (!opts_.sink && left / min_proc_entry_bytes(9) >= entries_left_) {
    procs_.reserve(procs_.size() + entries_left_);  // see consume_list_block
  }
  while (left >= 4 && !budget.spent) {
    check_stop();
    if (!fill(4)) {
      note_truncation("in a block");
      return false;
    }
    // Whole entries already buffered, up to kListWindow bytes. An entry length that does
    // not fit the block takes the rest of it: the parser reports it.
    const std::size_t avail = tail_ - head_;
    std::uint64_t w = 0, first = 0;
    while (left - w >= 4 && w + 4 <= avail && w < kListWindow) {
      std::uint64_t len = load_le<std::uint32_t>(buf_.data() + head_ + w);
      if (len < 4 || len > left - w) len = left - w;
      if (w == 0) first = len;
      if (w + len > avail) break;
      w += len;
    }
    if (w == 0) {  // the first entry is not whole in the buffer yet
      if (!fill(static_cast<std::size_t>(first))) {
        note_truncation("in a block");
        return false;
      }
      continue;
    }
    ByteCursor c(at_head(static_cast<std::size_t>(w)), offset(), "list block");
    if (type == block::kFdListV2) {
      std::vector<FdEntry>* out = fd_target(tid);
      lists::parse_fd_entries(c, true, out, budget);
      fds_parsed(tid, out);
    } else if (type == block::kUserListV2) {
      lists::parse_userlist(c, true, users_, groups_, budget);
    } else {
      const std::size_t before = procs_.size();
      lists::parse_proclist(c, 9, procs_, budget);
      processes_parsed(before);
    }
    head_ += static_cast<std::size_t>(w);
    left -= w;
  }
  entries_left_ = budget.left;
  entries_seen_ = budget.seen;
  if (budget.spent) note_over_limit(type, at);
  return skip_rest(left, total, "in a block");
}

void CaptureReader::note_over_limit(std::uint32_t type, std::uint64_t at) {
  ++blocks_over_limit_;
  if (!limit_warning_.empty()) return;
  ++warnings_;
  limit_warning_ = "the capture's list blocks hold more than max_table_entries (" +
                   std::to_string(opts_.max_table_entries) +
                   ") table entries: entries from the " + list_block_name(type) +
                   " block at offset " + std::to_string(at) +
                   " on are skipped (the state is seeded with those that fitted); events are "
                   "still read";
}

// After a large block: the buffer goes back to its usual size.
void CaptureReader::shrink_buffer() {
  const std::size_t unread = tail_ - head_;
  if (buf_.size() <= 4 * kReadChunk || unread > kReadChunk) return;
  std::vector<std::uint8_t> small(kReadChunk);
  std::memcpy(small.data(), buf_.data() + head_, unread);
  base_ += head_;
  head_ = 0;
  tail_ = unread;
  buf_.swap(small);
}

// Parses the block at head_ if it is a list block (false for event blocks, left whole in
// the buffer, and at the end of the stream). Unknown blocks, and list blocks once
// max_table_entries is reached, are stepped over without being buffered.
bool CaptureReader::consume_list_block() {
  std::uint32_t type = 0, total = 0;
  if (!block_header(type, total)) return false;
  if (block::is_event_block(type)) {
    fill_block(total);
    return false;
  }
  check_stop();
  const std::uint64_t at = offset();
  const char* name = list_block_name(type);
  const bool machine = type == block::kMachineInfo || type == block::kMachineInfoOld;
  if (!name || (entries_left_ == 0 && !machine)) {
    if (name) note_over_limit(type, at);
    return skip_block(type, total);
  }
  if (type == block::kProcListV9 || type == block::kFdListV2 || type == block::kUserListV2) {
    return stream_list_block(type, total, at);
  }
  if (machine && total > kMaxMachineInfo) {  // its fields are in the first bytes: the rest skipped
    if (!fill(kMaxMachineInfo)) {
      note_truncation("in a block");
      return false;
    }
    ByteCursor m(at_head(kMaxMachineInfo).subspan(8), at + 8, "machine info");
    machine_ = lists::parse_machine_info(m);
    return skip_rest(total - 4, total, "in a block");
  }
  if (!fill_block(total)) return false;
  ByteCursor body(at_head(total).subspan(8, total - kBlockOverhead), at + 8, "list block");
  lists::EntryBudget budget{entries_left_, &opts_.stop, entries_seen_};
  if (machine) {
    machine_ = lists::parse_machine_info(body);
  } else if (int v = block::proclist_version(type)) {
    // A block that may hold what is left of the budget: room for all of it at once, so that
    // the table does not move (twice its size for a moment) as it grows. Pages reserved and
    // never written cost no memory.
    if (!opts_.sink && (total - kBlockOverhead) / min_proc_entry_bytes(v) >= entries_left_) {
      procs_.reserve(procs_.size() + entries_left_);
    }
    const std::size_t before = procs_.size();
    lists::parse_proclist(body, v, procs_, budget);
    processes_parsed(before);
  } else if (type == block::kFdList || type == block::kFdListV2) {
    const std::uint64_t tid = body.u64();
    std::vector<FdEntry>* out = fd_target(tid);
    lists::parse_fd_entries(body, type == block::kFdListV2, out, budget);
    fds_parsed(tid, out);
  } else if (type == block::kIfList || type == block::kIfListV2) {
    ifaces_.clear();
    lists::parse_iflist(body, type == block::kIfListV2, ifaces_, budget);
  } else {
    users_.clear();
    groups_.clear();
    lists::parse_userlist(body, type == block::kUserListV2, users_, groups_, budget);
  }
  entries_left_ = budget.left;
  entries_seen_ = budget.seen;
  if (budget.spent) note_over_limit(type, at);
  head_ += total;
  if (total > 4 * kReadChunk) shrink_buffer();
  return true;
}

std::optional<CapturedEvent> CaptureReader::next() {
  const CapturedEvent* ev = next_ref();
  if (!ev) return std::nullopt;
  return *ev;
}

const CapturedEvent* CaptureReader::next_ref() {
  if (!next_block()) return nullptr;
  std::string why;
  if (!current_.view.assign(raw_.bytes, &why)) {
    throw CaptureError("malformed event: " + why, event_at_);
  }
  current_.cpu = raw_.cpu;
  current_.flags = raw_.flags;
  current_.offset = raw_.offset;
  return &current_;
}

const RawCapturedEvent* CaptureReader::next_raw() {
  bool stalled = false;
  if (const RawCapturedEvent* ev = next_raw_buffered(stalled)) return ev;
  return next_block() ? &raw_ : nullptr;
}

// Nearly every call: an event block already whole in the buffer, with a length in range.
// Anything else (a list block, a block not buffered yet, the end, a bad length) stalls: the
// general path (next_block) reports it.
const RawCapturedEvent* CaptureReader::next_raw_buffered(bool& stalled) {
  while (!done_ && tail_ - head_ >= 8) {
    const std::uint8_t* b = buf_.data() + head_;
    const std::uint32_t type = load_le<std::uint32_t>(b);
    const std::uint32_t total = load_le<std::uint32_t>(b + 4);
    if (!block::is_event_block(type) || total < kBlockOverhead || total > opts_.max_block_bytes ||
        total > tail_ - head_) {
      break;
    }
    if (load_le<std::uint32_t>(b + total - 4) != total) {  // as fill_block reports it
      throw CaptureError("block trailer does not match its length", offset() + total - 4);
    }
    const std::uint64_t at = offset();
    head_ += total;
    if (decode_event_block(type, {b + 8, total - kBlockOverhead}, at)) {
      ++events_read_;
      return &raw_;
    }
    ++events_skipped_;
  }
  stalled = true;
  return nullptr;
}

std::span<const std::uint8_t> CaptureReader::current_with_tail(
    std::span<const std::uint8_t, 4> tail) noexcept {
  if (!raw_in_buf_) return {};
  // decode_event_block checked the event ends at least 4 bytes (the block's trailing length)
  // before the end of its block.
  std::uint8_t* p = buf_.data() + raw_at_;
  std::memcpy(p + raw_.bytes.size(), tail.data(), tail.size());
  return {p, raw_.bytes.size() + tail.size()};
}

bool CaptureReader::next_block() {
  while (!done_) {
    if (consume_list_block()) continue;
    if (done_) break;
    // An event block, whole in the buffer (consume_list_block checked it).
    const std::uint64_t at = offset();
    const std::uint8_t* b = buf_.data() + head_;
    const std::uint32_t type = load_le<std::uint32_t>(b);
    const std::uint32_t total = load_le<std::uint32_t>(b + 4);
    head_ += total;
    if (decode_event_block(type, {b + 8, total - kBlockOverhead}, at)) {
      ++events_read_;
      return true;
    }
    ++events_skipped_;
  }
  return false;
}

// On every event: plain loads with explicit bounds checks (a ByteCursor's error strings
// are built only on failure, but its per-read checks and offsets are not free).
[[gnu::always_inline]] inline bool CaptureReader::decode_event_block(std::uint32_t type, std::span<const std::uint8_t> body,
                                       std::uint64_t at) {
  const bool has_flags = block::event_block_has_flags(type);
  const std::size_t pre = has_flags ? 6 : 2;  // cpu u16 [flags u32]
  const std::uint64_t ev_at = at + 8 + pre;
  event_at_ = ev_at;
  const bool v1 = block::event_block_is_v1(type);
  const std::size_t hdr = v1 ? kEventHeaderSizeV1 : kEventHeaderSize;
  if (body.size() < pre + hdr) {
    throw CaptureError("event block too short for an event header", at + 8);
  }
  raw_.offset = at;
  raw_.cpu = load_le<std::uint16_t>(body.data());
  raw_.flags = has_flags ? load_le<std::uint32_t>(body.data() + 2) : 0;
  auto ev = body.subspan(pre);
  const std::uint16_t etype = load_le<std::uint16_t>(ev.data() + 20);
  if (etype >= kEventTypeCount) return false;  // from a newer driver: skip, as libs do
  raw_in_buf_ = !v1;
  raw_at_ = static_cast<std::size_t>(ev.data() - buf_.data());
  if (v1) ev = convert_v1_event(ev, ev_at);
  const EventHeader h = decode_header(ev.data());
  if (h.len < kEventHeaderSize || h.len > ev.size()) {
    throw CaptureError("malformed event: event length outside the buffer", ev_at);
  }
  raw_.bytes = ev.first(h.len);
  raw_.type = h.type;
  raw_.ts = h.ts;
  raw_.tid = h.tid;
  return true;
}

// Rebuilds the nparams header field of a v1 event: the largest parameter count (up to the
// table's) whose u16 lengths add up exactly to the event length.
std::span<const std::uint8_t> CaptureReader::convert_v1_event(std::span<const std::uint8_t> ev,
                                                              std::uint64_t at) {
  const std::uint32_t len = load_le<std::uint32_t>(ev.data() + 16);
  if (len < kEventHeaderSizeV1 || len > ev.size())
    throw CaptureError("v1 event length outside its block", at);
  const std::uint16_t type = load_le<std::uint16_t>(ev.data() + 20);
  const std::uint8_t* lens = ev.data() + kEventHeaderSizeV1;
  for (int n = event_info(type).nparams; n >= 0; --n) {
    std::size_t end = kEventHeaderSizeV1 + 2u * static_cast<std::size_t>(n);
    if (end > len) continue;
    for (int i = 0; i < n; ++i) end += load_le<std::uint16_t>(lens + 2 * i);
    if (end != len) continue;
    scratch_.assign(ev.begin(), ev.begin() + kEventHeaderSizeV1);
    scratch_.resize(kEventHeaderSize);
    store_le(scratch_.data() + 16, len + 4);
    store_le(scratch_.data() + 22, static_cast<std::uint32_t>(n));
    scratch_.insert(scratch_.end(), ev.begin() + kEventHeaderSizeV1, ev.begin() + len);
    return scratch_;
  }
  throw CaptureError("v1 event: parameter lengths match no parameter count", at);
}

}  // namespace saker::syscall::scap
