// CaptureReader: reads a .scap capture (plain, or gzip-compressed: detected by its magic
// bytes) and exposes its tables and its events.
//
// Format, in short: a sequence of blocks, each "u32 type, u32 total length, body, u32 total
// length". The section header block comes first; then list blocks (machine info, interfaces,
// users, processes, fds: their versions are in block_types.h); then event blocks, each a u16
// CPU id, for "flags" blocks a u32 of flags, and one event (event_header.h). Old captures use
// v1 event blocks whose events lack the nparams header field; the reader rebuilds it so that
// every event it hands out has the current layout.
//
// Streaming: the capture is read block by block through a ByteSource (capture_source.h:
// read(2) for plain files, streamed inflation for gzip) into one buffer that grows to the
// largest block met (256 KiB for usual captures), so memory does not depend on the capture's
// size. Events are views into that buffer (converted v1 events: into a scratch buffer); a
// view returned by next() stays valid until the following call to next() (or the reader's
// destruction). The section header's type and byte-order magic are checked on its first
// 12 bytes, before anything larger is read.
//
// Bounds (hostile captures): the list blocks of one capture may add at most
// ReaderOptions::max_table_entries table entries (threads, fds, users, groups, interfaces),
// over all its blocks. Past it, the rest of the block that reached it is not parsed and
// later list blocks are stepped over a chunk at a time, without buffering them; the events
// are still read. The first time, warnings() counts it and limit_warning() names the limit,
// the block and its offset; list_blocks_over_limit() counts the blocks cut or skipped.
// Lists whose entries carry their length (process list v9, fd list v2, user list v2: what
// current writers write) are parsed a 64 KiB window of whole entries at a time, never
// buffered whole; older versions are buffered whole (up to max_block_bytes). Memory is thus
// proportional to what is kept, whatever the number and size of list blocks. Unknown blocks
// are stepped over a chunk at a time.
// Stop: ReaderOptions::stop is polled per list block, every few thousand entries, per
// chunk of a large block or of a block stepped over, and while waiting on a pipe that
// stalls (capture_source.h); when it says stop, the reader throws CaptureInterrupted.
//
// Errors: a malformed capture throws CaptureError whose offset() is the position in the
// decompressed stream. A capture cut short (mid-block, or a gzip stream missing its end,
// as a crashed recorder leaves it) is not refused: next() hands out every complete event,
// then ends, and truncated() / warnings() / warning() say so. Reading never goes outside
// the buffer.
// Thread-safety: one reader per thread; distinct readers are independent.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture_source.h"
#include "capture_types.h"
#include "event_view.h"

namespace saker::syscall::scap {

// Default for ReaderOptions::max_table_entries: twice the state's thread table bound
// (131,072 threads, as libsinsp's): a full thread table plus as many fds, users and
// interfaces. The state keeps no more than 131,072 threads anyway; a capture from a host
// with more entries keeps its events, seeded with the entries that fitted.
inline constexpr std::uint64_t kDefaultMaxTableEntries = std::uint64_t{1} << 18;

// Takes the process table and fd lists that open() reads, entry by entry as they are
// parsed, instead of the reader's processes(): a replay seeds its state this way without a
// second copy of the table. Only during open(); list blocks met between events fill
// processes() as usual.
class ListSink {
 public:
  virtual ~ListSink() = default;
  // A thread of the process list; the sink may take its strings.
  virtual void thread(ProcessEntry& p) = 0;
  // Whether fds listed for `tid` are wanted (false: they are checked and dropped).
  virtual bool has_thread(std::uint64_t tid) const = 0;
  // Fds listed for a thread has_thread() accepted; the sink may take their strings.
  virtual void fds(std::uint64_t tid, std::vector<FdEntry>& fds) = 0;
};

struct ReaderOptions {
  // Upper bound on the decompressed size of a gzip capture. Memory no longer depends on it
  // (the capture is streamed); it bounds the work a gzip bomb can cause (fuzzing).
  std::uint64_t max_decompressed_bytes = ~std::uint64_t{0};
  // Upper bound on one block's length: a corrupted length cannot make the reader buffer
  // more than this.
  std::uint32_t max_block_bytes = std::uint32_t{256} << 20;
  // Upper bound on the table entries all the list blocks of a capture may add (see above).
  std::uint64_t max_table_entries = kDefaultMaxTableEntries;
  // Polled while reading list blocks and while waiting for bytes: true stops the reader
  // with CaptureInterrupted. May be empty (never stops).
  std::function<bool()> stop{};
  // Given, receives the lists open() reads (see ListSink); not owned, used during open().
  ListSink* sink = nullptr;
};

// One event as read from the capture.
struct CapturedEvent {
  EventView view;
  std::uint16_t cpu = 0;
  std::uint32_t flags = 0;   // from "event with flags" blocks, else 0
  std::uint64_t offset = 0;  // stream offset of the event's block
};

// One event as read from the capture, before validation of its parameters: its header
// (length within the block) is checked, the rest is left to whoever decodes it (the state
// engine validates every event it parses). For the replay hot path, where validating here
// too would do the work twice.
struct RawCapturedEvent {
  std::span<const std::uint8_t> bytes;  // exactly the event's header `len` bytes
  std::uint16_t type = 0;
  std::uint64_t ts = 0, tid = 0;
  std::uint16_t cpu = 0;
  std::uint32_t flags = 0;
  std::uint64_t offset = 0;
};

class CaptureReader {
 public:
  // Reads and parses the file's header and list blocks. Throws CaptureError.
  static CaptureReader open(const std::string& path, const ReaderOptions& opts = {});
  // Same, from bytes in memory (copied; plain or gzip).
  static CaptureReader from_bytes(std::span<const std::uint8_t> bytes,
                                  const ReaderOptions& opts = {});

  // The next event, or nullopt at the end of the capture. List blocks met between events
  // update the tables below. Throws CaptureError on malformed input.
  std::optional<CapturedEvent> next();
  // The same without copying the event out: a pointer to the reader's current event (valid,
  // like its view, until the next call), or nullptr at the end. For the replay hot path.
  const CapturedEvent* next_ref();
  // The same without validating the event's parameters (see RawCapturedEvent).
  const RawCapturedEvent* next_raw();
  // For a reader that hands out several events' bytes at once (the replay's batches): the
  // next event only if reading it leaves the buffer where it is, i.e. its block is already
  // whole in the buffer; the views returned before then stay valid too. Otherwise nullptr
  // with `stalled` set (next_raw() reads on, and may move the buffer). Throws as next_raw().
  const RawCapturedEvent* next_raw_buffered(bool& stalled);
  // Writes `tail` right after the current event, over bytes of its block that the reader has
  // consumed (the block's padding or trailing length, checked already), and returns the
  // event followed by them: the event and a trailer without a copy. Valid as the event's
  // view is. Empty when the event is not in the buffer (a converted v1 event).
  std::span<const std::uint8_t> current_with_tail(std::span<const std::uint8_t, 4> tail) noexcept;

  // Header information.
  std::uint16_t major_version() const noexcept { return major_; }
  std::uint16_t minor_version() const noexcept { return minor_; }
  bool was_gzip() const noexcept { return gzip_; }

  // Tables from the list blocks (complete once the first event is read; they are filled in
  // by open() for captures whose lists all precede the events, i.e. all usual ones).
  const std::optional<MachineInfo>& machine_info() const noexcept { return machine_; }
  const std::vector<ProcessEntry>& processes() const noexcept { return procs_; }
  // The same, for a user that takes the entries' contents (a replay's state seeding, just
  // before release_processes()).
  std::vector<ProcessEntry>& processes() noexcept { return procs_; }
  const ProcessEntry* find_process(std::uint64_t tid) const noexcept;
  const std::vector<UserEntry>& users() const noexcept { return users_; }
  const std::vector<GroupEntry>& groups() const noexcept { return groups_; }
  const std::vector<InterfaceEntry>& interfaces() const noexcept { return ifaces_; }

  // Frees the process table (with its fds) once its user has copied it: a replay seeds its
  // state before the first event and then has no use for the reader's copy.
  void release_processes() noexcept;

  // Events read so far and events skipped because their type is beyond the event table.
  std::uint64_t events_read() const noexcept { return events_read_; }
  std::uint64_t events_skipped() const noexcept { return events_skipped_; }

  // Set once next() has met the end of a capture cut short: the bytes of the incomplete
  // block (decompressed) that were dropped, a warning counted in warnings(), and its text.
  bool truncated() const noexcept { return truncated_; }
  std::uint64_t truncated_bytes() const noexcept { return truncated_bytes_; }
  std::uint64_t warnings() const noexcept { return warnings_; }
  const std::string& warning() const noexcept { return warning_; }
  // Decompressed bytes consumed so far (the stream offset of the next block).
  std::uint64_t offset() const noexcept { return base_ + head_; }

  // max_table_entries: the entries kept, the list blocks cut or stepped over because of it,
  // and the warning given the first time (empty if never).
  std::uint64_t table_entries() const noexcept { return opts_.max_table_entries - entries_left_; }
  std::uint64_t list_blocks_over_limit() const noexcept { return blocks_over_limit_; }
  const std::string& limit_warning() const noexcept { return limit_warning_; }

 private:
  CaptureReader() = default;
  static CaptureReader start(std::unique_ptr<ByteSource> raw, const ReaderOptions& opts);
  // Makes `n` bytes available at head_; false if the stream ends first.
  bool fill(std::size_t n) { return tail_ - head_ >= n || fill_slow(n); }
  bool fill_slow(std::size_t n);
  // Reads the type and length of the block at head_ (checked); false (after recording the
  // truncation, if any) if the stream ends first.
  bool block_header(std::uint32_t& type, std::uint32_t& total);
  // Makes the block at head_ whole in the buffer and checks its trailer; false (after
  // recording the truncation) if the stream ends first.
  bool fill_block(std::uint32_t total);
  // Steps over the block at head_ a buffer at a time; false if the stream ends first.
  bool skip_block(std::uint32_t type, std::uint32_t total);
  bool skip_rest(std::uint64_t left, std::uint32_t total, const char* where);
  bool stream_list_block(std::uint32_t type, std::uint32_t total, std::uint64_t at);
  void note_over_limit(std::uint32_t type, std::uint64_t at);
  void check_stop() const;
  void shrink_buffer();
  void note_truncation(const char* where);
  void parse_section_header();
  void parse_metadata();
  // Parses the block at pos_ if it is a list block; returns false for event blocks.
  bool consume_list_block();
  // Where the fds listed for `tid` go: its process entry's fds, the sink's batch, or
  // nowhere (null: an unknown tid). fds_parsed() hands a sink's batch over.
  std::vector<FdEntry>* fd_target(std::uint64_t tid);
  void fds_parsed(std::uint64_t tid, const std::vector<FdEntry>* out);
  // Process entries [before, end) just parsed: indexed, or handed to the sink.
  void processes_parsed(std::size_t before);
  std::span<const std::uint8_t> at_head(std::size_t n) const {
    return {buf_.data() + head_, n};
  }
  // The next event block's event into raw_; false at the end of the capture.
  bool next_block();
  // Decodes into raw_; false for events skipped (type beyond the table).
  bool decode_event_block(std::uint32_t type, std::span<const std::uint8_t> body,
                          std::uint64_t at);
  std::span<const std::uint8_t> convert_v1_event(std::span<const std::uint8_t> ev,
                                                 std::uint64_t at);

  std::unique_ptr<ByteSource> src_;
  ReaderOptions opts_;
  std::vector<std::uint8_t> buf_;  // unread bytes are [head_, tail_)
  std::size_t head_ = 0, tail_ = 0;
  std::uint64_t base_ = 0;  // stream offset of buf_[0]
  bool src_eof_ = false, done_ = false;
  bool truncated_ = false;
  std::uint64_t truncated_bytes_ = 0, warnings_ = 0;
  std::string warning_;
  bool gzip_ = false;
  std::uint16_t major_ = 0, minor_ = 0;
  std::optional<MachineInfo> machine_;
  std::vector<ProcessEntry> procs_;
  std::unordered_map<std::uint64_t, std::size_t> proc_index_;
  std::vector<FdEntry> sink_fds_;  // a batch of fds for opts_.sink
  std::vector<UserEntry> users_;
  std::vector<GroupEntry> groups_;
  std::vector<InterfaceEntry> ifaces_;
  std::vector<std::uint8_t> scratch_;
  std::uint64_t entries_left_ = 0, entries_seen_ = 0, blocks_over_limit_ = 0;
  std::string limit_warning_;
  CapturedEvent current_;
  RawCapturedEvent raw_;
  std::size_t raw_at_ = 0;      // position of raw_'s bytes in buf_ ...
  bool raw_in_buf_ = false;     // ... when they are there (not a converted v1 event)
  std::uint64_t event_at_ = 0;  // stream offset of raw_'s event (for errors)
  std::uint64_t events_read_ = 0, events_skipped_ = 0;
};

}  // namespace saker::syscall::scap
