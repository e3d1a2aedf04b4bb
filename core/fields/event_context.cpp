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
    case SAKER_FIELD_ABSTIME:
      return true;
    default:
      return false;
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

// Moving a memo moves its owned strings (short ones live inside the std::string), so the
// views of this event's copied values are pointed at their new place.
void EventContext::grow_memo(size_t n) {
  memo_.resize(n);
  for (Memo& m : memo_) {
    if (m.epoch == epoch_ && m.value.views_owned) m.value.point_at_owned(m.value.count);
  }
}

const FieldValue& EventContext::get_slow(uint32_t slot) noexcept {
  if (slot >= memo_.size()) grow_memo(slots_.size() > slot ? slots_.size() : slot + 1);
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
    out->count = n;
    return;
  }
  const bool is_string = d.type == SAKER_FIELD_STRING;
  if (d.provider->values_stable_per_event()) {
    // The provider's buffers outlive the event: keep views, copy nothing.
    if (out->views.size() < n) out->views.resize(n);
    out->views_owned = false;
    for (uint32_t i = 0; i < n; ++i) {
      out->views[i] = is_string
                          ? std::string_view(r.values.str[i])
                          : std::string_view(reinterpret_cast<const char*>(r.values.bytes[i].ptr),
                                             r.values.bytes[i].len);
    }
  } else {
    out->reserve_owned(n);
    for (uint32_t i = 0; i < n; ++i) {
      if (is_string) {
        out->owned[i].assign(r.values.str[i]);
      } else {
        const saker_bytes& b = r.values.bytes[i];
        out->owned[i].assign(reinterpret_cast<const char*>(b.ptr), b.len);
      }
    }
    out->point_at_owned(n);
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

FieldBatch::FieldBatch(const FieldSlots& slots, const std::vector<uint32_t>& ids) {
  for (uint32_t id : ids) {
    const FieldSlot& s = slots.at(id);
    Group* g = nullptr;
    for (auto& x : groups_) g = x.provider == s.def->provider ? &x : g;
    if (!g) g = &groups_.emplace_back(Group{s.def->provider, {}, {}});
    bool dup = false;
    for (uint32_t k : g->slots) dup = dup || k == id;
    if (dup) continue;
    g->slots.push_back(id);
    g->requests.emplace_back();
    // The template keeps a pointer to the slot's argument text, which never moves.
    EventContext::fill_request(s, &g->requests.back());
  }
}

void EventContext::fetch(const FieldBatch& batch) noexcept {
  if (memo_.size() < slots_.size()) grow_memo(slots_.size());
  for (const auto& g : batch.groups()) {
    if (batch_reqs_.size() < g.slots.size()) {
      batch_reqs_.resize(g.slots.size());
      batch_slots_.resize(g.slots.size());
    }
    uint32_t n = 0;
    for (size_t k = 0; k < g.slots.size(); ++k) {
      if (memo_[g.slots[k]].epoch == epoch_) continue;
      batch_reqs_[n] = g.requests[k];
      batch_slots_[n++] = g.slots[k];
    }
    if (n == 0) continue;
    const bool ok = g.provider->extract(source_.c_str(), evt_, batch_reqs_.data(), n) == SAKER_OK;
    if (!ok) ++extraction_errors_;
    for (uint32_t k = 0; k < n; ++k) {
      Memo& m = memo_[batch_slots_[k]];
      m.epoch = epoch_;
      m.value.count = 0;
      if (ok) store(*slots_.at(batch_slots_[k]).def, batch_reqs_[k], &m.value);
    }
  }
}

}  // namespace saker::core
