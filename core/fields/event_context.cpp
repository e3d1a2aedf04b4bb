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

void EventContext::extract(const FieldSlot& s, FieldValue* out) noexcept {
  const FieldDef* d = s.def;
  out->type = d->type;
  out->count = 0;
  saker_extract_request r{};
  r.size = sizeof(r);
  r.field_id = d->field_id;
  r.has_arg = s.has_arg;
  r.arg_index = s.arg_index;
  r.arg_key = s.has_arg ? s.arg.c_str() : nullptr;
  if (d->provider->extract(source_.c_str(), evt_, &r, 1) != SAKER_OK) {
    ++extraction_errors_;
    return;
  }
  uint32_t n = static_cast<uint32_t>(r.num_values);
  if (n == 0) return;
  if (numeric_type(d->type)) {
    if (out->nums.size() < n) out->nums.resize(n);
    for (uint32_t i = 0; i < n; ++i) out->nums[i] = r.values.u64[i];
  } else {
    if (out->strs.size() < n) out->strs.resize(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (d->type == SAKER_FIELD_STRING) {
        out->strs[i].assign(r.values.str[i]);
      } else {
        const saker_bytes& b = r.values.bytes[i];
        out->strs[i].assign(reinterpret_cast<const char*>(b.ptr), b.len);
      }
    }
  }
  out->count = n;
}

}  // namespace saker::core
