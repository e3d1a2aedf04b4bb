// Per-event memoisation of field values.
#include "event_context.h"

namespace saker::core {

namespace {
thread_local EventContext* t_current = nullptr;

bool numeric_type(saker_field_type t) {
  switch (t) {
    case SAKER_FIELD_U64:
    case SAKER_FIELD_S64:
    case SAKER_FIELD_BOOL:
    case SAKER_FIELD_RELTIME:
    case SAKER_FIELD_ABSTIME: return true;
    default: return false;
  }
}
}  // namespace

bool FieldValue::is_numeric() const { return numeric_type(type); }

EventContext* EventContext::current() { return t_current; }
void EventContext::set_current(EventContext* ctx) { t_current = ctx; }

EventContext::EventContext(const FieldSlots& slots, std::string source)
    : slots_(slots), source_(std::move(source)) {}

void EventContext::begin(const saker_event* evt) noexcept {
  evt_ = evt;
  ++epoch_;
}

const FieldValue& EventContext::get(uint32_t slot) noexcept {
  if (slot >= memo_.size()) memo_.resize(slots_.size() > slot ? slots_.size() : slot + 1);
  Memo& m = memo_[slot];
  if (m.epoch != epoch_) {
    extract(slots_.at(slot), &m.value);
    m.epoch = epoch_;
  }
  return m.value;
}

void EventContext::fill_request(const FieldSlot& s, saker_extract_request* r) {
  *r = saker_extract_request{};
  r->size = sizeof(*r);
  r->field_id = s.def->field_id;
  r->has_arg = s.has_arg;
  r->arg_index = s.arg_index;
  r->arg_key = s.has_arg ? s.arg.c_str() : nullptr;
}

void EventContext::store(const FieldDef& d, const saker_extract_request& r, FieldValue* out) {
  out->type = d.type;
  const uint32_t n = static_cast<uint32_t>(r.num_values);
  out->count = 0;
  if (n == 0) return;
  if (numeric_type(d.type)) {
    if (out->nums.size() < n) out->nums.resize(n);
    for (uint32_t i = 0; i < n; ++i) out->nums[i] = r.values.u64[i];
  } else {
    if (out->strs.size() < n) out->strs.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (d.type == SAKER_FIELD_STRING) {
        out->strs[i].assign(r.values.str[i]);
      } else {
        const saker_bytes& b = r.values.bytes[i];
        out->strs[i].assign(reinterpret_cast<const char*>(b.ptr), b.len);
      }
    }
  }
  out->count = n;
}

void EventContext::extract(const FieldSlot& s, FieldValue* out) noexcept {
  saker_extract_request r;
  fill_request(s, &r);
  out->type = s.def->type;
  out->count = 0;
  if (s.def->provider->extract(source_.c_str(), evt_, &r, 1) != SAKER_OK) {
    ++extraction_errors_;
    return;
  }
  store(*s.def, r, out);
}

void EventContext::prefetch(const uint32_t* slots, uint32_t n) noexcept {
  if (memo_.size() < slots_.size()) memo_.resize(slots_.size());
  FieldProvider* done[8];
  uint32_t ndone = 0;
  for (uint32_t i = 0; i < n; ++i) {
    FieldProvider* p = slots_.at(slots[i]).def->provider;
    bool seen = false;
    for (uint32_t k = 0; k < ndone; ++k) seen = seen || done[k] == p;
    if (seen || memo_[slots[i]].epoch == epoch_) continue;
    // Every not-yet-memoised slot of this provider, in one call.
    batch_reqs_.clear();
    batch_slots_.clear();
    for (uint32_t j = i; j < n; ++j) {
      const FieldSlot& s = slots_.at(slots[j]);
      if (s.def->provider != p || memo_[slots[j]].epoch == epoch_) continue;
      batch_reqs_.emplace_back();
      fill_request(s, &batch_reqs_.back());
      batch_slots_.push_back(slots[j]);
    }
    bool ok = p->extract(source_.c_str(), evt_, batch_reqs_.data(),
                         static_cast<uint32_t>(batch_reqs_.size())) == SAKER_OK;
    if (!ok) ++extraction_errors_;
    for (size_t k = 0; k < batch_slots_.size(); ++k) {
      Memo& m = memo_[batch_slots_[k]];
      m.epoch = epoch_;
      if (ok) {
        store(*slots_.at(batch_slots_[k]).def, batch_reqs_[k], &m.value);
      } else {
        m.value.count = 0;
      }
    }
    if (ndone < 8) done[ndone++] = p;
  }
}

}  // namespace saker::core
