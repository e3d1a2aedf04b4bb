// ReplayEngine: the capture-file engine. Streams the events of a .scap capture (plain or
// gzip) in batches, in file order, and reports EOF at the end. Enter events are not
// emitted on their own: each is kept per thread and appended to its exit event
// (event_payload.h), which is how current Falco shows syscalls to rules. Events that have
// no exit counterpart (procexit, scheduler switch, signal delivery, meta events) pass
// through unchanged. Every payload ends with the CPU trailer of event_payload.h.
//
// Numbering follows Falco 0.43 (evt.num): an enter event that Falco's capture converter
// keeps as an event of its own (the open family, connect, execve/execveat) and the user and
// group list events are not shown to rules but count; the engine delivers neither and
// tells the host how many preceded each event it delivers (saker_event.num).
//
// Events are handed over as the reader finds them (block and header checked): the state
// engine validates every event's parameters when it parses it (a malformed one is counted
// in bad_events and skipped), so the hot path validates each event once, not twice.
//
// A capture cut short (a crashed recorder) replays up to its last complete event; then the
// engine reports the truncation through its warning sink (default: one line on stderr) and
// counts it in warnings().
//
// Hostile input: an event block the reader refuses but can step over (an event header
// inconsistent with its block) is skipped, counted in bad_blocks() and reported (the first
// few one by one, then the total at the end); every other event is delivered. An error the
// reader cannot step over (a broken block framing, a malformed list block) ends the
// capture: the events read before it are delivered first, then every next_batch throws it.
// Preloading (loop > 1) polls the thread's stop check (state/interrupt.h). The reader polls
// the engine's stop check (the host's stop_requested; by default the thread's check) while
// it reads list blocks and while a pipe stalls: a stop during open ends the open with an
// "interrupted" error; during a batch, the stream ends (a warning says so). List blocks
// holding more than the reader's max_table_entries are cut, with one warning.
//
// With `loop` > 1 the folded events are built once in memory and emitted `loop` times
// without copies (the benchmark's mode: it measures parsing and extraction, not gzip).
//
// Ownership: owns its CaptureReader; the State is seeded from the capture by the caller,
// through the reader's sink while the lists are read (State::seeder), or through capture()
// (the non-const one lets the State take the process table's strings), before the first
// next_batch(), which releases the reader's process table (capture().processes() is empty
// afterwards). One engine per opened stream; not thread-safe.
#pragma once

#include <saker/sdk/types.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture_reader.h"
#include "syscall_engine.h"

namespace saker::syscall {

class ReplayEngine : public SyscallEngine {
 public:
  static constexpr std::uint32_t kBatchSize = 256;

  using WarningSink = std::function<void(const std::string&)>;
  // Receives the user/group list events the engine does not deliver (State::apply_list_event).
  using ListEventSink = std::function<void(std::span<const std::uint8_t>)>;

  // `warn` receives each warning (default: written to stderr). `stop` (default: the
  // thread's stop check, state/interrupt.h) is polled by the reader. `max_table_entries`
  // and `sink` (State::seeder(): the state takes the process table as it is read, and
  // capture().processes() stays empty): ReaderOptions'.
  explicit ReplayEngine(const std::string& capture_file, std::uint64_t loop = 1,
                        WarningSink warn = {}, std::function<bool()> stop = {},
                        std::uint64_t max_table_entries = scap::kDefaultMaxTableEntries,
                        scap::ListSink* sink = nullptr);

  sdk::BatchStatus next_batch(sdk::EventWriter& out, std::uint32_t timeout_ms) override;
  bool progress(std::uint32_t& permille, std::string& text) override;
  const scap::CaptureReader& capture() const { return reader_; }
  // The same, for the State to seed itself by taking the process table's strings (State::seed).
  scap::CaptureReader& capture() { return reader_; }
  // Set before the first next_batch (with loop > 1 the events were read at construction and
  // are not passed on: the benchmark does not need them).
  void on_list_event(ListEventSink sink) { list_sink_ = std::move(sink); }

  // Called once at the end of the capture, when the host has processed every event (the
  // call that returns kEof with no events), e.g. to report counts.
  void on_end(std::function<void()> fn) { end_sink_ = std::move(fn); }

  std::uint64_t enters_unmatched() const { return enters_unmatched_; }
  std::uint64_t bad_blocks() const { return bad_blocks_; }
  std::uint64_t warnings() const { return reader_.warnings(); }

 private:
  struct Stored {
    std::uint16_t type;
    std::uint64_t ts;
    std::size_t offset, size;  // into memory_
    std::uint64_t undelivered_before;
  };
  // Folds `ev` into scratch_ (exit + enter + cpu trailer); false when `ev` is an enter event
  // kept for its exit.
  bool fold(const scap::RawCapturedEvent& ev);
  void append_enter(std::uint16_t type, std::uint64_t tid, std::vector<std::uint8_t>& out);
  void preload();
  sdk::BatchStatus next_from_memory(sdk::EventWriter& out);
  void report_end();
  void report_limit();
  // reader_.next_raw(), stepping over the blocks it refuses but can skip; nullptr at the end
  // or at an error it cannot step over (kept in fatal_ for the next call).
  // With `keep_buffer`, only an event whose reading leaves the reader's buffer in place
  // (CaptureReader::next_raw_buffered); nullptr with stalled_ set when the next one is not.
  const scap::RawCapturedEvent* read_next(bool keep_buffer = false);
  bool stalled_ = false;

  std::string path_;
  WarningSink warn_;
  scap::CaptureReader reader_;
  std::unordered_map<std::uint64_t, std::vector<std::uint8_t>> pending_enter_;
  std::vector<std::uint8_t> scratch_;
  std::uint64_t loop_ = 1, pass_ = 0;
  std::vector<std::uint8_t> memory_;
  std::vector<Stored> stored_;
  std::size_t cursor_ = 0;
  std::uint64_t emitted_ = 0;
  std::uint64_t enters_unmatched_ = 0;
  std::uint64_t undelivered_ = 0;  // counted events not delivered since the last delivered one
  ListEventSink list_sink_;
  std::function<void()> end_sink_;
  bool eof_ = false, reported_ = false;
  bool limit_reported_ = false;  // the reader's limit_warning() was passed on
  std::uint64_t bad_blocks_ = 0;
  std::string fatal_;  // an error the reader cannot step over: thrown by every later call
  // Streaming batches (see next_batch).
  std::vector<std::uint8_t> arena_ = std::vector<std::uint8_t>(std::size_t{64} << 10);
  std::size_t arena_used_ = 0;
  const scap::RawCapturedEvent* held_ = nullptr;  // read, not yet emitted (arena was full)
};

}  // namespace saker::syscall
