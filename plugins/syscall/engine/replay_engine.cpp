// The capture-file engine (see replay_engine.h).
#include "replay_engine.h"

#include <cstdio>

#include "event_payload.h"
#include "event_table.h"

namespace saker::syscall {

ReplayEngine::ReplayEngine(const std::string& capture_file, std::uint64_t loop, WarningSink warn)
    : path_(capture_file),
      warn_(std::move(warn)),
      reader_(scap::CaptureReader::open(capture_file)),
      loop_(loop) {
  if (!warn_) {
    warn_ = [](const std::string& msg) { std::fprintf(stderr, "saker: warning: %s\n", msg.c_str()); };
  }
  if (loop_ > 1) preload();
}

void ReplayEngine::report_end() {
  if (reader_.truncated()) warn_(path_ + ": " + reader_.warning());
}

bool ReplayEngine::fold(const scap::EventView& v, std::uint16_t cpu) {
  const std::uint16_t type = v.type();
  auto raw = v.raw();
  if (scap::is_enter(type) && scap::is_known_event(type | 1u)) {
    auto& slot = pending_enter_[v.tid()];
    if (!slot.empty()) enters_unmatched_++;
    slot.assign(raw.begin(), raw.end());
    return false;
  }
  scratch_.assign(raw.begin(), raw.end());
  if (scap::is_exit(type)) {
    auto it = pending_enter_.find(v.tid());
    if (it != pending_enter_.end() && !it->second.empty()) {
      const std::uint16_t enter_type = scap::load_le<std::uint16_t>(it->second.data() + 20);
      if (enter_type == scap::paired_event(type)) {
        scratch_.insert(scratch_.end(), it->second.begin(), it->second.end());
      } else {
        enters_unmatched_++;
      }
      it->second.clear();
    }
  }
  append_payload_cpu(scratch_, cpu);
  return true;
}

// Reads the whole capture (the State is seeded by the caller from the list blocks, which
// precede the events in usual captures) and keeps the folded events in one buffer.
void ReplayEngine::preload() {
  while (auto ev = reader_.next()) {
    if (!fold(ev->view, ev->cpu)) continue;
    stored_.push_back({ev->view.type(), ev->view.ts(), memory_.size(), scratch_.size()});
    memory_.insert(memory_.end(), scratch_.begin(), scratch_.end());
  }
  report_end();
}

sdk::BatchStatus ReplayEngine::next_from_memory(sdk::EventWriter& out) {
  while (out.count() < kBatchSize) {
    if (cursor_ == stored_.size()) {
      cursor_ = 0;
      if (++pass_ >= loop_ || stored_.empty()) {
        eof_ = true;
        return sdk::BatchStatus::kEof;
      }
    }
    const Stored& s = stored_[cursor_++];
    out.add_view(s.type, s.ts, memory_.data() + s.offset, s.size);
    emitted_++;
  }
  return sdk::BatchStatus::kOk;
}

sdk::BatchStatus ReplayEngine::next_batch(sdk::EventWriter& out, std::uint32_t) {
  if (eof_) return sdk::BatchStatus::kEof;
  if (loop_ > 1) return next_from_memory(out);
  while (out.count() < kBatchSize) {
    auto ev = reader_.next();
    if (!ev) {
      eof_ = true;
      report_end();
      return sdk::BatchStatus::kEof;
    }
    if (!fold(ev->view, ev->cpu)) continue;
    out.add(ev->view.type(), ev->view.ts(), scratch_.data(), scratch_.size());
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
