// The capture-file engine (see replay_engine.h).
#include "replay_engine.h"

#include "event_payload.h"
#include "event_table.h"

namespace saker::syscall {

ReplayEngine::ReplayEngine(const std::string& capture_file)
    : path_(capture_file), reader_(scap::CaptureReader::open(capture_file)) {}

void ReplayEngine::emit(sdk::EventWriter& out, const scap::EventView& v, std::uint16_t cpu) {
  const std::uint16_t type = v.type();
  auto raw = v.raw();
  if (scap::is_enter(type) && scap::is_known_event(type | 1u)) {
    auto& slot = pending_enter_[v.tid()];
    if (!slot.empty()) enters_unmatched_++;
    slot.assign(raw.begin(), raw.end());
    return;
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
  out.add(type, v.ts(), scratch_.data(), scratch_.size());
  emitted_++;
}

sdk::BatchStatus ReplayEngine::next_batch(sdk::EventWriter& out, std::uint32_t) {
  if (eof_) return sdk::BatchStatus::kEof;
  while (out.count() < kBatchSize) {
    auto ev = reader_.next();
    if (!ev) {
      eof_ = true;
      return sdk::BatchStatus::kEof;
    }
    emit(out, ev->view, ev->cpu);
  }
  return sdk::BatchStatus::kOk;
}

bool ReplayEngine::progress(std::uint32_t& permille, std::string& text) {
  permille = eof_ ? 1000 : 0;
  text = std::to_string(reader_.events_read()) + " events read from " + path_;
  return true;
}

}  // namespace saker::syscall
