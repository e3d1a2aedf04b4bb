// CaptureReader: decompression, block walking and event decoding (see capture_reader.h).
// List block contents are parsed in capture_lists.cpp.
#include "capture_reader.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "block_types.h"
#include "byte_cursor.h"
#include "capture_lists.h"
#include "event_table.h"

namespace saker::syscall::scap {
namespace {

constexpr std::size_t kBlockOverhead = 12;  // type + length + trailing length

bool is_gzip(std::span<const std::uint8_t> b) {
  return b.size() >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

// Inflates a whole gzip stream (possibly several concatenated members).
std::vector<std::uint8_t> gunzip(std::span<const std::uint8_t> in, std::uint64_t limit) {
  std::vector<std::uint8_t> out;
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) throw CaptureError("zlib initialisation failed", 0);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  std::uint8_t buf[1 << 16];
  int rc = Z_OK;
  while (true) {
    zs.next_out = buf;
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.insert(out.end(), buf, buf + (sizeof buf - zs.avail_out));
    if (out.size() > limit) rc = Z_MEM_ERROR;
    if (rc == Z_STREAM_END && zs.avail_in > 0 && is_gzip({zs.next_in, zs.avail_in})) {
      inflateReset(&zs);
      continue;
    }
    if (rc != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) break;  // input exhausted mid-stream
  }
  inflateEnd(&zs);
  if (rc == Z_MEM_ERROR && out.size() > limit)
    throw CaptureError("decompressed capture exceeds the configured limit", out.size());
  if (rc != Z_STREAM_END && rc != Z_OK) throw CaptureError("corrupted gzip stream", out.size());
  if (rc != Z_STREAM_END) throw CaptureError("truncated gzip stream", out.size());
  return out;
}

}  // namespace

CaptureReader CaptureReader::open(const std::string& path, const ReaderOptions& opts) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CaptureError("cannot open capture file '" + path + "'", 0);
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(f)),
                                  std::istreambuf_iterator<char>());
  if (f.bad()) throw CaptureError("error reading capture file '" + path + "'", bytes.size());
  return from_bytes(bytes, opts);
}

CaptureReader CaptureReader::from_bytes(std::span<const std::uint8_t> bytes,
                                        const ReaderOptions& opts) {
  CaptureReader r;
  r.gzip_ = is_gzip(bytes);
  if (r.gzip_) {
    r.data_ = gunzip(bytes, opts.max_decompressed_bytes);
  } else {
    r.data_.assign(bytes.begin(), bytes.end());
  }
  r.parse_section_header();
  r.parse_metadata();
  return r;
}

void CaptureReader::parse_section_header() {
  ByteCursor c(data_, 0, "section header");
  if (c.u32() != block::kSectionHeader)
    throw CaptureError("not a scap capture (bad block type)", 0);
  const std::uint32_t total = c.u32();
  if (c.u32() != block::kByteOrderMagic) throw CaptureError("bad byte-order magic", 8);
  major_ = c.u16();
  minor_ = c.u16();
  c.u64();  // section length, unused
  if (major_ != 1)
    throw CaptureError("unsupported format major version " + std::to_string(major_), 12);
  if (total < 28 || total > data_.size()) throw CaptureError("bad section header length", 4);
  ByteCursor tail(std::span<const std::uint8_t>(data_).subspan(total - 4, 4), total - 4,
                  "section header");
  if (tail.u32() != total) throw CaptureError("section header trailer mismatch", total - 4);
  pos_ = total;
}

void CaptureReader::parse_metadata() {
  while (pos_ < data_.size() && consume_list_block()) {
  }
}

const ProcessEntry* CaptureReader::find_process(std::uint64_t tid) const noexcept {
  const auto it = proc_index_.find(tid);
  return it == proc_index_.end() ? nullptr : &procs_[it->second];
}

bool CaptureReader::consume_list_block() {
  ByteCursor h(std::span<const std::uint8_t>(data_).subspan(pos_), pos_, "block header");
  const std::uint32_t type = h.u32();
  const std::uint32_t total = h.u32();
  if (total < kBlockOverhead || total > data_.size() - pos_)
    throw CaptureError("block length " + std::to_string(total) + " outside the capture", pos_ + 4);
  const std::uint32_t trailer = load_le<std::uint32_t>(data_.data() + pos_ + total - 4);
  if (trailer != total)
    throw CaptureError("block trailer does not match its length", pos_ + total - 4);
  if (block::is_event_block(type)) return false;
  ByteCursor body(std::span<const std::uint8_t>(data_).subspan(pos_ + 8, total - kBlockOverhead),
                  pos_ + 8, "list block");
  if (type == block::kMachineInfo || type == block::kMachineInfoOld) {
    machine_ = lists::parse_machine_info(body);
  } else if (int v = block::proclist_version(type)) {
    const std::size_t before = procs_.size();
    lists::parse_proclist(body, v, procs_);
    for (std::size_t i = before; i < procs_.size(); ++i) proc_index_[procs_[i].tid] = i;
  } else if (type == block::kFdList || type == block::kFdListV2) {
    lists::parse_fdlist(body, type == block::kFdListV2, procs_, proc_index_);
  } else if (type == block::kIfList || type == block::kIfListV2) {
    ifaces_.clear();
    lists::parse_iflist(body, type == block::kIfListV2, ifaces_);
  } else if (type == block::kUserList || type == block::kUserListV2) {
    users_.clear();
    groups_.clear();
    lists::parse_userlist(body, type == block::kUserListV2, users_, groups_);
  }  // unknown block types are skipped
  pos_ += total;
  return true;
}

std::optional<CapturedEvent> CaptureReader::next() {
  while (pos_ < data_.size()) {
    if (consume_list_block()) continue;
    const std::uint64_t at = pos_;
    const std::uint32_t type = load_le<std::uint32_t>(data_.data() + pos_);
    const std::uint32_t total = load_le<std::uint32_t>(data_.data() + pos_ + 4);
    pos_ += total;
    auto ev = decode_event_block(
        type, std::span<const std::uint8_t>(data_).subspan(at + 8, total - kBlockOverhead), at);
    if (ev) {
      ++events_read_;
      return ev;
    }
    ++events_skipped_;
  }
  return std::nullopt;
}

std::optional<CapturedEvent> CaptureReader::decode_event_block(std::uint32_t type,
                                                               std::span<const std::uint8_t> body,
                                                               std::uint64_t at) {
  ByteCursor c(body, at + 8, "event block");
  CapturedEvent out;
  out.offset = at;
  out.cpu = c.u16();
  if (block::event_block_has_flags(type)) out.flags = c.u32();
  const std::uint64_t ev_at = c.offset();
  auto ev = body.subspan(c.pos());
  const std::size_t hdr = block::event_block_is_v1(type) ? kEventHeaderSizeV1 : kEventHeaderSize;
  if (ev.size() < hdr) throw CaptureError("event block too short for an event header", ev_at);
  const std::uint16_t etype = load_le<std::uint16_t>(ev.data() + 20);
  if (etype >= kEventTypeCount) return std::nullopt;  // from a newer driver: skip, as libs do
  if (block::event_block_is_v1(type)) ev = convert_v1_event(ev, ev_at);
  std::string why;
  auto view = EventView::make(ev, &why);
  if (!view) throw CaptureError("malformed event: " + why, ev_at);
  out.view = *view;
  return out;
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
