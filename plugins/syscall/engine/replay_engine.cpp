// The capture-file engine (see replay_engine.h).
#include "replay_engine.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "event_payload.h"
#include "event_table.h"
#include "event_view.h"
#include "generic_types.h"
#include "interrupt.h"
#include "syscall_names.h"
#include "x86_64_syscalls.h"

namespace saker::syscall {

namespace {
constexpr std::uint64_t kBadBlocksReported = 10;  // one line each; then only the total

// The reader's stop check: `stop`, else the thread's (state/interrupt.h, set during open).
scap::ReaderOptions reader_options(std::function<bool()> stop, std::uint64_t max_entries,
                                   scap::ListSink* sink) {
  scap::ReaderOptions o;
  o.sink = sink;
  o.stop = stop ? std::move(stop) : std::function<bool()>([] { return interrupt_requested(); });
  o.max_table_entries = max_entries;
  return o;
}
}  // namespace

ReplayEngine::ReplayEngine(const std::string& capture_file, std::uint64_t loop, WarningSink warn,
                           std::function<bool()> stop, std::uint64_t max_table_entries,
                           scap::ListSink* sink)
    : path_(capture_file),
      warn_(std::move(warn)),
      reader_(scap::CaptureReader::open(
          capture_file, reader_options(std::move(stop), max_table_entries, sink))),
      loop_(loop) {
  if (!warn_) {
    warn_ = [](const std::string& msg) { std::fprintf(stderr, "saker: warning: %s\n", msg.c_str()); };
  }
  report_limit();
  if (loop_ > 1) preload();
}

void ReplayEngine::report_limit() {
  if (limit_reported_ || reader_.limit_warning().empty()) return;
  limit_reported_ = true;
  warn_(path_ + ": " + reader_.limit_warning() +
        " (syscall init_config limits.max_capture_table_entries; metric "
        "capture_list_blocks_over_limit)");
}

void ReplayEngine::report_end() {
  report_limit();
  if (reader_.list_blocks_over_limit() > 1) {
    warn_(path_ + ": " + std::to_string(reader_.list_blocks_over_limit()) +
          " list blocks cut or skipped in all (max_table_entries)");
  }
  if (reader_.truncated()) warn_(path_ + ": " + reader_.warning());
  if (bad_blocks_ > kBadBlocksReported) {
    warn_(path_ + ": " + std::to_string(bad_blocks_) + " malformed event blocks skipped in all");
  }
  if (end_sink_) end_sink_();
}

const scap::RawCapturedEvent* ReplayEngine::read_next(bool keep_buffer) {
  for (;;) {
    const std::uint64_t before = reader_.offset();
    try {
      if (!keep_buffer) return reader_.next_raw();
      bool stalled = false;
      const scap::RawCapturedEvent* ev = reader_.next_raw_buffered(stalled);
      stalled_ = stalled;
      return ev;
    } catch (const scap::CaptureInterrupted& e) {
      // A stop request while the reader waited or read lists: the stream ends here.
      warn_(path_ + ": " + e.what());
      return nullptr;
    } catch (const scap::CaptureError& e) {
      // what() names the offset. A reader that did not move cannot step over the error.
      const std::string what = path_ + ": " + e.what();
      if (reader_.offset() == before) {
        fatal_ = what;
        return nullptr;
      }
      if (++bad_blocks_ <= kBadBlocksReported) warn_(what + "; event skipped");
    }
  }
}

namespace {

// Enter events that Falco 0.43's capture converter passes on as events of their own (its
// exit event does not need them, or keeps a copy: "pass" and "store and pass"): they are
// numbered, though not shown to rules. The others are only stored for their exit event.
bool numbered_enter(std::uint16_t type) {
  using scap::EventType;
  switch (type) {
    case EventType::kOpenE:
    case EventType::kCreatE:
    case EventType::kOpenatV2E:
    case EventType::kOpenat2E:
    case EventType::kConnectE:
    case EventType::kExecveV8E:
    case EventType::kExecveV13E:
    case EventType::kExecveV14E:
    case EventType::kExecveV15E:
    case EventType::kExecveV16E:
    case EventType::kExecveV17E:
    case EventType::kExecveV18E:
    case EventType::kExecveV19E:
    case EventType::kExecveatE:
      return true;
    default:
      return false;
  }
}

// The host type of a folded payload. A generic event whose syscall code the recording
// driver did not know (0) is typed by its native x86_64 number, as evt.type names it, so
// that `evt.type = fadvise64` selects it; the rest as host_event_type says.
std::uint16_t replay_event_type_generic(std::span<const std::uint8_t> payload) {
  const std::uint16_t t = host_event_type(payload);
  if (t != kGenericTypeBase) return t;
  const PayloadParts parts = split_payload(payload);
  for (auto part : {parts.event, parts.enter}) {
    scap::EventView v;
    if (part.empty() || !v.assign(part)) continue;
    auto i = scap::find_param(v.type(), "nativeID");
    if (!i || !v.has_param(*i)) continue;
    const auto nr = v.param_uint(*i);
    const std::string_view name = nr ? x86_64_syscall_name(static_cast<std::uint32_t>(*nr)) : "";
    if (const std::uint16_t code = name.empty() ? 0 : scap::syscall_code_of(name)) {
      return static_cast<std::uint16_t>(kGenericTypeBase + code);
    }
  }
  return t;
}

// The same, knowing the payload's scap type `type`: only generic and async events (an async
// "container" event is a container event, generic_types.h) need a look inside.
std::uint16_t replay_event_type(std::uint16_t type, std::span<const std::uint8_t> payload) {
  using scap::EventType;
  if (type != EventType::kGenericE && type != EventType::kGenericX &&
      type != EventType::kAsynceventE) {
    return type;
  }
  return replay_event_type_generic(payload);
}

// The user and group list events: numbered by Falco, never shown to rules.
bool hidden_meta(std::uint16_t type) {
  using scap::EventType;
  return type == EventType::kUserAddedE || type == EventType::kUserDeletedE ||
         type == EventType::kGroupAddedE || type == EventType::kGroupDeletedE;
}

}  // namespace

bool ReplayEngine::fold(const scap::RawCapturedEvent& ev) {
  if (scap::is_enter(ev.type) && scap::is_known_event(ev.type | 1u)) {
    if (numbered_enter(ev.type)) undelivered_++;
    auto& slot = pending_enter_[ev.tid];
    if (!slot.empty()) enters_unmatched_++;
    slot.assign(ev.bytes.begin(), ev.bytes.end());
    return false;
  }
  scratch_.assign(ev.bytes.begin(), ev.bytes.end());
  append_enter(ev.type, ev.tid, scratch_);
  append_payload_cpu(scratch_, ev.cpu);
  return true;
}

// Appends the enter event kept for this exit, if any. Current drivers write no enter
// events: the map stays empty and this costs a test.
void ReplayEngine::append_enter(std::uint16_t type, std::uint64_t tid,
                                std::vector<std::uint8_t>& out) {
  if (pending_enter_.empty() || !scap::is_exit(type)) return;
  auto it = pending_enter_.find(tid);
  if (it == pending_enter_.end() || it->second.empty()) return;
  const std::uint16_t enter_type = scap::load_le<std::uint16_t>(it->second.data() + 20);
  if (enter_type == scap::paired_event(type)) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  } else {
    enters_unmatched_++;
  }
  it->second.clear();
}

// Reads the whole capture (the State is seeded by the caller from the list blocks, which
// precede the events in usual captures) and keeps the folded events in one buffer.
void ReplayEngine::preload() {
  std::uint64_t n = 0;
  while (const scap::RawCapturedEvent* ev = read_next()) {
    if (++n % kInterruptEvery == 0 && interrupt_requested()) return;
    if (hidden_meta(ev->type)) {
      undelivered_++;
      continue;
    }
    if (!fold(*ev)) continue;
    stored_.push_back(
        {replay_event_type(ev->type, scratch_), ev->ts, memory_.size(), scratch_.size(),
         undelivered_});
    undelivered_ = 0;
    memory_.insert(memory_.end(), scratch_.begin(), scratch_.end());
  }
  if (!fatal_.empty()) throw sdk::PluginError(fatal_);
}

sdk::BatchStatus ReplayEngine::next_from_memory(sdk::EventWriter& out) {
  while (out.count() < kBatchSize) {
    if (cursor_ == stored_.size()) {
      cursor_ = 0;
      if (++pass_ >= loop_ || stored_.empty()) {
        eof_ = true;
        return out.count() ? sdk::BatchStatus::kOk : next_batch(out, 0);
      }
    }
    const Stored& s = stored_[cursor_++];
    out.add_view(s.type, s.ts, memory_.data() + s.offset, s.size, s.undelivered_before);
    emitted_++;
  }
  return sdk::BatchStatus::kOk;
}

// Streaming: the batch's payloads are handed over as views, valid until the next call, as
// add_view requires. Usually a view is the event where the reader read it, in its buffer,
// with the CPU trailer written over its block's own trailing bytes (no copy); once a batch
// holds such views it ends before a read that could move the reader's buffer (a block not
// yet buffered, a list block). The other payloads (an enter event folded in, a converted v1
// event) are built in arena_, which only grows between batches, so the views of a batch
// never move; a batch ends early when the next payload does not fit.
sdk::BatchStatus ReplayEngine::next_batch(sdk::EventWriter& out, std::uint32_t) {
  if (!fatal_.empty()) throw sdk::PluginError(fatal_);  // every call: the capture cannot go on
  if (eof_) {
    // Reported here, not when the last events were read: the host has processed them now.
    if (!reported_) report_end();
    reported_ = true;
    return sdk::BatchStatus::kEof;
  }
  if (loop_ > 1) return next_from_memory(out);
  if (emitted_ == 0 && !held_) {
    // The state was seeded from the reader's tables when the stream was opened: the
    // reader's copy of the process table is no longer needed.
    reader_.release_processes();
  }
  arena_used_ = 0;
  report_limit();  // a limit reached by list blocks met between events
  bool in_place = false;  // the batch holds views into the reader's buffer
  while (out.count() < kBatchSize) {
    const scap::RawCapturedEvent* ev = held_ ? held_ : read_next(in_place);
    held_ = nullptr;
    if (!ev && stalled_) {  // the next read may move the reader's buffer: in the next batch
      stalled_ = false;
      return sdk::BatchStatus::kOk;  // in_place: the batch holds events
    }
    if (!ev && !fatal_.empty()) {
      // Deliver what was read before the error; the next call reports it.
      if (out.count() > 0) return sdk::BatchStatus::kOk;
      return next_batch(out, 0);
    }
    if (!ev) {
      eof_ = true;
      return out.count() ? sdk::BatchStatus::kOk : next_batch(out, 0);
    }
    if (hidden_meta(ev->type)) {
      // Applied to the state when every event before it has been: it ends the batch.
      if (list_sink_ && out.count() > 0) {
        held_ = ev;
        return sdk::BatchStatus::kOk;
      }
      undelivered_++;
      if (list_sink_) list_sink_(ev->bytes);
      continue;
    }
    if (scap::is_enter(ev->type) && scap::is_known_event(ev->type | 1u)) {
      fold(*ev);  // kept for its exit event
      continue;
    }
    if (pending_enter_.empty()) {
      // The cpu then the marker (u16 each, little-endian), stored as one 4-byte value: two
      // 2-byte stores read back as 4 bytes stalled every event (store forwarding).
      std::uint8_t trailer[4];
      scap::store_le(trailer, std::uint32_t{ev->cpu} | (std::uint32_t{kPayloadTrailerMarker} << 16));
      const auto payload = reader_.current_with_tail(std::span<const std::uint8_t, 4>(trailer, 4));
      if (!payload.empty()) {
        out.add_view(replay_event_type(ev->type, payload), ev->ts, payload.data(), payload.size(),
                     undelivered_);
        undelivered_ = 0;
        emitted_++;
        in_place = true;
        continue;
      }
    }
    std::size_t need = ev->bytes.size() + kPayloadTrailerSize;
    if (!pending_enter_.empty()) {  // room for an enter event folded in
      auto it = pending_enter_.find(ev->tid);
      if (it != pending_enter_.end()) need += it->second.size();
    }
    if (arena_used_ + need > arena_.size()) {
      if (out.count() > 0) {  // full: this event opens the next batch
        held_ = ev;
        return sdk::BatchStatus::kOk;
      }
      arena_.resize(std::max(need, 2 * arena_.size()));
    }
    std::uint8_t* p = arena_.data() + arena_used_;
    std::size_t len;
    if (!pending_enter_.empty()) {  // rare: drivers that write enter events
      fold(*ev);                    // at most `need` bytes
      len = scratch_.size();
      std::memcpy(p, scratch_.data(), len);
    } else {
      std::memcpy(p, ev->bytes.data(), ev->bytes.size());
      scap::store_le(p + ev->bytes.size(),
                     std::uint32_t{ev->cpu} | (std::uint32_t{kPayloadTrailerMarker} << 16));
      len = ev->bytes.size() + kPayloadTrailerSize;
    }
    out.add_view(replay_event_type(ev->type, {p, len}), ev->ts, p, len, undelivered_);
    undelivered_ = 0;
    arena_used_ += len;
    emitted_++;
  }
  return sdk::BatchStatus::kOk;
}

bool ReplayEngine::progress(std::uint32_t& permille, std::string& text) {
  permille = eof_ ? 1000 : 0;
  text =
      std::to_string(loop_ > 1 ? emitted_ : reader_.events_read()) + " events read from " + path_;
  return true;
}

}  // namespace saker::syscall
