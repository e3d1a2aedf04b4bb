// Per-event memoisation of field values.
#include "event_context.h"

#include <cstring>

namespace saker::core {

namespace {
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


EventContext::EventContext(const FieldSlots& slots, std::string source)
    : slots_(slots), source_(std::move(source)) {}

void EventContext::begin(const saker_event* evt) noexcept {
  evt_ = evt;
  ++epoch_;
  strings_.rewind();
}

// `n` (at most slots_.size()) slots get their plan. Moving the memos moves no value a view
// points at: copies live in strings_, and views never point into a memo's own storage.
void EventContext::grow_memo(size_t n) {
  const size_t old = plans_.size();
  memo_.resize(n);
  memo_size_ = static_cast<uint32_t>(n);
  plans_.resize(n);
  for (size_t i = old; i < n; ++i) {
    const FieldSlot& s = slots_.at(static_cast<uint32_t>(i));
    Plan& p = plans_[i];
    p.provider = s.def->provider;
    p.kind = store_kind(*s.def);
    fill_request(s, &p.request);
    FieldValue& v = memo_[i].value;
    v.type = s.def->type;
    // Room for one value, so that storing a single value never allocates.
    if (p.kind == StoreKind::kNumbers) {
      if (v.nums.empty()) v.nums.resize(1);
    } else if (v.views.empty()) {
      v.views.resize(1);
    }
  }
}

void EventContext::fill_request(const FieldSlot& s, saker_extract_request* r) {
  *r = saker_extract_request{};
  r->size = sizeof(*r);
  r->field_id = s.def->field_id;
  r->has_arg = s.has_arg;
  r->arg_index = s.arg_index;
  r->arg_key = s.has_arg ? s.arg.c_str() : nullptr;
}

EventContext::StoreKind EventContext::store_kind(const FieldDef& d) {
  if (numeric_type(d.type)) return StoreKind::kNumbers;
  // A provider with sized strings hands them over as bytes (NUL-terminated still, and the
  // copies are too): no strlen.
  const bool is_string = d.type == SAKER_FIELD_STRING && !d.provider->sized_strings();
  if (d.provider->values_stable_per_event()) {
    // The provider's buffers outlive the event: keep views, copy nothing.
    return is_string ? StoreKind::kStringViews : StoreKind::kBytesViews;
  }
  return is_string ? StoreKind::kStringCopies : StoreKind::kBytesCopies;
}

void EventContext::store_any(StoreKind kind, const saker_extract_request& r, FieldValue* out) {
  const uint32_t n = static_cast<uint32_t>(r.num_values);
  out->count = 0;
  if (n == 0) return;
  switch (kind) {
    case StoreKind::kNumbers:
      if (out->nums.size() < n) out->nums.resize(n);
      for (uint32_t i = 0; i < n; ++i) out->nums[i] = r.values.u64[i];
      break;
    case StoreKind::kStringViews:
      if (out->views.size() < n) out->views.resize(n);
      for (uint32_t i = 0; i < n; ++i) out->views[i] = std::string_view(r.values.str[i]);
      break;
    case StoreKind::kBytesViews:
      if (out->views.size() < n) out->views.resize(n);
      for (uint32_t i = 0; i < n; ++i) {
        const saker_bytes& b = r.values.bytes[i];
        out->views[i] = std::string_view(reinterpret_cast<const char*>(b.ptr), b.len);
      }
      break;
    case StoreKind::kStringCopies:
      if (out->views.size() < n) out->views.resize(n);
      for (uint32_t i = 0; i < n; ++i) {
        const char* s = r.values.str[i];
        out->views[i] = strings_.copy(s, std::strlen(s));
      }
      break;
    case StoreKind::kBytesCopies:
      if (out->views.size() < n) out->views.resize(n);
      for (uint32_t i = 0; i < n; ++i) {
        const saker_bytes& b = r.values.bytes[i];
        out->views[i] = strings_.copy(reinterpret_cast<const char*>(b.ptr), b.len);
      }
      break;
  }
  out->count = n;
}

// One value (the common case) into the room grow_memo() made: no loop, and no allocation
// but for a new block of strings_.
inline __attribute__((always_inline)) void EventContext::store(StoreKind kind,
                                                               const saker_extract_request& r,
                                                               FieldValue* out) {
  if (r.num_values == 1) {
    switch (kind) {
      case StoreKind::kNumbers:
        out->nums[0] = r.values.u64[0];
        out->count = 1;
        return;
      case StoreKind::kStringViews:
        out->views[0] = std::string_view(r.values.str[0]);
        out->count = 1;
        return;
      case StoreKind::kBytesViews:
        out->views[0] = std::string_view(reinterpret_cast<const char*>(r.values.bytes[0].ptr),
                                         r.values.bytes[0].len);
        out->count = 1;
        return;
      case StoreKind::kStringCopies: {
        const char* s = r.values.str[0];
        out->views[0] = strings_.copy(s, std::strlen(s));
        out->count = 1;
        return;
      }
      case StoreKind::kBytesCopies:
        out->views[0] = strings_.copy(reinterpret_cast<const char*>(r.values.bytes[0].ptr),
                                      r.values.bytes[0].len);
        out->count = 1;
        return;
    }
  }
  store_any(kind, r, out);
}

inline __attribute__((always_inline)) void EventContext::extract(uint32_t slot,
                                                                 FieldValue* out) noexcept {
  const Plan& p = plans_[slot];
  saker_extract_request r = p.request;
  out->count = 0;
  const FieldProvider::Direct& d = p.provider->direct();
  const int32_t rc = d.fn ? d.fn(d.plugin, source_.c_str(), evt_, &r, 1)
                          : p.provider->extract(source_.c_str(), evt_, &r, 1);
  if (rc != SAKER_OK) {
    ++extraction_errors_;
    return;
  }
  store(p.kind, r, out);
}

const FieldValue& EventContext::get_slow(uint32_t slot) noexcept {
  if (slot >= memo_size_) {
    if (slot >= slots_.size()) {  // not a resolved slot
      static const FieldValue kNone;
      ++extraction_errors_;
      return kNone;
    }
    grow_memo(slots_.size());
  }
  Memo& m = memo_[slot];
  if (m.epoch != epoch_) {
    extract(slot, &m.value);
    m.epoch = epoch_;
  }
  return m.value;
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
  if (memo_size_ < slots_.size()) grow_memo(slots_.size());
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
      if (ok) store(plans_[batch_slots_[k]].kind, batch_reqs_[k], &m.value);
    }
  }
}

}  // namespace saker::core
