// The event being processed on one source thread, and the memoised values of every
// field asked for it. One EventContext per source loop; not shared between threads.
// Hot path: get() is noexcept and allocation-free once buffers have grown.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "event_strings.h"
#include "field_slots.h"

namespace saker::core {

// The values of one field for one event. count == 0 means "no value" (<NA>).
// Strings (also bytes, addresses, networks) are read through str(i), a view that points
// either into the context's EventStrings (a copy: the provider's buffers only live until
// its next call), into `owned` (a transformer's output) or, for a provider whose values
// stay valid for the whole event (FieldProvider::values_stable_per_event), straight into
// the provider's buffers. Either way a view lives until the event changes; a STRING view
// is NUL-terminated.
struct FieldValue {
  saker_field_type type = SAKER_FIELD_STRING;
  uint32_t count = 0;
  std::vector<uint64_t> nums;           // numeric types (u64, s64 bit pattern, bool, times)
  std::vector<std::string_view> views;  // strings, bytes, addresses, networks
  std::vector<std::string> owned;       // storage behind `views` for a transformer's output

  bool empty() const { return count == 0; }
  bool is_numeric() const;
  uint64_t num(uint32_t i = 0) const { return nums[i]; }
  std::string_view str(uint32_t i = 0) const { return views[i]; }
  // Make room for `n` owned strings; fill them, then point_at_owned(n).
  void reserve_owned(uint32_t n) {
    if (owned.size() < n) owned.resize(n);
    if (views.size() < n) views.resize(n);
  }
  void point_at_owned(uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) views[i] = owned[i];
  }
};

// A fixed set of slots that are fetched together, grouped by provider once (at
// compile time) with their requests prebuilt. Immutable after construction; may be
// shared by every source thread.
class FieldBatch {
 public:
  FieldBatch(const FieldSlots& slots, const std::vector<uint32_t>& slot_ids);
  struct Group {
    FieldProvider* provider;
    std::vector<uint32_t> slots;
    std::vector<saker_extract_request> requests;  // templates, one per slot
  };
  const std::vector<Group>& groups() const { return groups_; }

 private:
  std::vector<Group> groups_;
};

class EventContext {
 public:
  EventContext(const FieldSlots& slots, std::string source);

  // Start a new event: every memoised value becomes stale.
  void begin(const saker_event* evt) noexcept;
  const saker_event* event() const { return evt_; }
  const std::string& source() const { return source_; }
  const FieldSlots& slots() const { return slots_; }

  // The values of `slot` for the current event (extracted at most once per event).
  const FieldValue& get(uint32_t slot) noexcept {
    if (slot < memo_size_) [[likely]] {
      Memo& m = memo_[slot];
      if (m.epoch == epoch_) return m.value;
    }
    return get_slow(slot);
  }
  // Extract a precompiled set of fields at once: one call per provider for those not
  // yet memoised. What a rule or an output format needing several fields should use.
  void fetch(const class FieldBatch& batch) noexcept;
  uint64_t extraction_errors() const { return extraction_errors_; }

  // One entry a sink may keep per context, e.g. what it looked up from source(): valid
  // while `owner` and `tag` are the sink's (a sink changing its tables changes its tag).
  struct SinkCache {
    const void* owner = nullptr;
    uint64_t tag = 0;
    const void* value = nullptr;
  };
  SinkCache& sink_cache() noexcept { return sink_cache_; }

  // The context whose event this thread is processing (for the host API), or nullptr.
  // Inline: the source loop sets it twice per event.
  static EventContext* current() { return t_current_; }
  static void set_current(EventContext* ctx) { t_current_ = ctx; }

 private:
  struct Memo {
    uint64_t epoch = 0;
    FieldValue value;
  };
  // How the values of a slot are stored (decided once per slot from its field's type and
  // its provider's values_stable_per_event()).
  enum class StoreKind : uint8_t {
    kNumbers,
    kStringViews,
    kBytesViews,
    kStringCopies,
    kBytesCopies
  };
  // What extracting one slot needs, resolved once per slot (grow_memo).
  struct Plan {
    FieldProvider* provider = nullptr;
    StoreKind kind = StoreKind::kNumbers;
    saker_extract_request request{};  // template
  };
  void extract(uint32_t slot, FieldValue* out) noexcept;
  void grow_memo(size_t n);
  const FieldValue& get_slow(uint32_t slot) noexcept;
  friend class FieldBatch;
  static void fill_request(const FieldSlot& s, saker_extract_request* r);
  static StoreKind store_kind(const FieldDef& d);
  void store(StoreKind kind, const saker_extract_request& r, FieldValue* out);
  void store_any(StoreKind kind, const saker_extract_request& r, FieldValue* out);

  const FieldSlots& slots_;
  std::string source_;
  const saker_event* evt_ = nullptr;
  uint64_t epoch_ = 0;
  std::vector<Memo> memo_;
  uint32_t memo_size_ = 0;  // memo_.size(), without a division by the element's size
  std::vector<Plan> plans_;  // per slot, as many as memo_
  EventStrings strings_;     // this event's copied string values (rewound by begin())
  uint64_t extraction_errors_ = 0;
  std::vector<saker_extract_request> batch_reqs_;
  std::vector<uint32_t> batch_slots_;
  SinkCache sink_cache_;
  static inline thread_local EventContext* t_current_ = nullptr;
};

}  // namespace saker::core
