// Value types of the saker C++ SDK: thin, allocation-aware views over the C ABI structs
// (plugin_api/saker_plugin_api.h). A plugin author sees only these types, never the C
// structs. Everything here is header-only and has no dependency beyond the C header.
#pragma once

#include <saker_plugin_api.h>

#include <array>
#include <concepts>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace saker::sdk {

enum class FieldType : uint32_t {
  kString = SAKER_FIELD_STRING,
  kU64 = SAKER_FIELD_U64,
  kS64 = SAKER_FIELD_S64,
  kBool = SAKER_FIELD_BOOL,
  kRelTime = SAKER_FIELD_RELTIME,
  kAbsTime = SAKER_FIELD_ABSTIME,
  kIpAddr = SAKER_FIELD_IPADDR,
  kIpNet = SAKER_FIELD_IPNET,
  kBytes = SAKER_FIELD_BYTES,
};

enum class ArgKind { kNone, kIndex, kKey, kIndexOrKey };

// One field a plugin offers (the SDK turns a vector of these into the C field table).
// Build with the constructor and chain the optional parts:
//   FieldInfo("proc.aname", FieldType::kString, "Ancestor name").with_arg(ArgKind::kIndex)
struct FieldInfo {
  FieldInfo(std::string n, FieldType t, std::string desc)
      : name(std::move(n)), type(t), description(std::move(desc)) {}
  FieldInfo& as_list() { is_list = true; return *this; }
  FieldInfo& with_arg(ArgKind k, bool required = false) {
    arg = k;
    arg_required = required;
    return *this;
  }
  FieldInfo& with_display(std::string d) { display_name = std::move(d); return *this; }
  FieldInfo& with_properties(std::string p) { properties = std::move(p); return *this; }
  FieldInfo& as_hidden() { hidden = true; return *this; }

  std::string name;
  FieldType type;
  std::string description;
  bool is_list = false;
  ArgKind arg = ArgKind::kNone;
  bool arg_required = false;
  std::string display_name;
  std::string properties;  // comma-separated
  bool hidden = false;
};

// What next_batch reports, besides the events it wrote.
enum class BatchStatus { kOk, kTimeout, kEof };

// Thrown by plugin code to report a failure with a message (any std::exception works).
struct PluginError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A borrowed view of one event (valid for the duration of the callback).
class Event {
 public:
  explicit Event(const saker_event* e) : e_(e) {}
  uint16_t type() const { return e_->type; }
  uint64_t ts() const { return e_->ts; }
  uint64_t num() const { return e_->num; }
  const uint8_t* data() const { return e_->data; }
  uint64_t size() const { return e_->data_len; }
  std::string_view text() const {
    return {reinterpret_cast<const char*>(e_->data), static_cast<size_t>(e_->data_len)};
  }
  const saker_event* raw() const { return e_; }

 private:
  const saker_event* e_;
};

// Collects the events of one batch. Storage is owned by the SDK, reused across
// batches (no allocation in the steady state once buffers have grown).
class EventWriter {
 public:
  // Copy `len` bytes of payload into the batch.
  void add(uint16_t type, uint64_t ts, const void* data, size_t len) {
    Slot& s = next_slot();
    s.owned.assign(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + len);
    s.ev = saker_event{sizeof(saker_event), type, 0, ts, 0, s.owned.data(), len};
  }
  void add(uint16_t type, uint64_t ts, std::string_view text) {
    add(type, ts, text.data(), text.size());
  }
  // Zero-copy: `data` must stay valid until the next next_batch call on this stream.
  // `undelivered_before`: events the source read and does not deliver just before this one
  // (counted by the host's event numbering, see saker_event.num).
  void add_view(uint16_t type, uint64_t ts, const void* data, size_t len,
                uint64_t undelivered_before = 0) {
    Slot& s = next_slot();
    s.ev = saker_event{sizeof(saker_event), type,    0, ts, undelivered_before,
                       static_cast<const uint8_t*>(data), len};
  }
  size_t count() const { return used_; }

  // SDK internals.
  void reset() { used_ = 0; }
  const saker_event* const* finish() {
    ptrs_.resize(used_);
    for (size_t i = 0; i < used_; ++i) ptrs_[i] = &slots_[i].ev;
    return ptrs_.data();
  }

 private:
  struct Slot {
    saker_event ev{};
    std::vector<uint8_t> owned;
  };
  Slot& next_slot() {
    if (used_ == slots_.size()) slots_.emplace_back();
    return slots_[used_++];
  }
  std::vector<Slot> slots_;  // addresses are taken in finish(), after every add
  std::vector<const saker_event*> ptrs_;
  size_t used_ = 0;
};

// Strings by index that keep their place while more are added (chunks that never move):
// a value handed over may have to stay valid for the whole event, through later calls.
class StableStrings {
 public:
  std::string& operator[](size_t i) { return (*chunks_[i / kChunk])[i % kChunk]; }
  const std::string& operator[](size_t i) const { return (*chunks_[i / kChunk])[i % kChunk]; }
  size_t size() const { return chunks_.size() * kChunk; }
  void grow() { chunks_.push_back(std::make_unique<std::array<std::string, kChunk>>()); }

 private:
  static constexpr size_t kChunk = 32;
  std::vector<std::unique_ptr<std::array<std::string, kChunk>>> chunks_;
};

// Storage for the values of one extract call, owned by the SDK per instance and reused
// across calls (no allocation in the steady state once it has grown). Strings are kept by
// index (StableStrings: values may have to live for the whole event, see Instance); the C
// arrays handed to the host are built once every request is filled, since the vectors may
// move while later requests write.
struct ExtractArena {
  StableStrings strs;
  size_t used_strs = 0;
  std::vector<const char*> cstrs;
  std::vector<uint64_t> nums;
  std::vector<saker_bytes> bytes;
  std::vector<const char*> refs;        // zero-copy strings (ExtractRequest::set_ref)
  std::vector<saker_bytes> sized_refs;  // the same with their lengths, when `sized`
  // Publish strings with their lengths in values.bytes (SAKER_EXTRACT_SIZED_STRINGS): the
  // SDK's extract thunk sets it, a plugin's own tests may leave it off.
  bool sized = false;
  // A new call: the arrays of values start empty. The strings are kept (their values may
  // still be in use for the same event): reset() drops them too.
  void reset_arrays() {
    nums.clear();
    bytes.clear();
    refs.clear();
    sized_refs.clear();
  }
  void reset() {
    reset_arrays();
    used_strs = 0;
  }
  [[gnu::always_inline]] size_t add_string(std::string_view v) {
    if (used_strs == strs.size()) strs.grow();
    strs[used_strs].assign(v.data(), v.size());
    return used_strs++;
  }
  void seal() {
    if (sized) return;  // the strings are published from strs itself
    if (cstrs.size() < used_strs) cstrs.resize(used_strs);
    for (size_t i = 0; i < used_strs; ++i) cstrs[i] = strs[i].c_str();
  }
};

// One extraction request: the field asked for, its argument, and setters for the
// result. Values are copied into the arena; call any one setter once per request.
class ExtractRequest {
 public:
  ExtractRequest(saker_extract_request* r, ExtractArena* arena) : r_(r), a_(arena) {
    r_->num_values = 0;
  }

  uint32_t field_id() const { return r_->field_id; }
  bool has_arg() const { return r_->has_arg != 0; }
  uint32_t arg_index() const { return r_->arg_index; }
  std::string_view arg_key() const { return r_->arg_key ? r_->arg_key : ""; }

  void set(std::string_view v) { set_strings(&v, 1); }
  void set(const char* v) { set(std::string_view(v)); }
  void set(const std::string& v) { set(std::string_view(v)); }
  // Zero-copy: hand the host a NUL-terminated string the plugin keeps unchanged until
  // its next extract call (e.g. a name in the plugin's own state tables), or, for a
  // plugin that declares kValuesLiveForEvent, until it is handed another event.
  void set_ref(const char* v) {
    if (a_->sized) return set_ref_sized(v, std::char_traits<char>::length(v));
    base_ = a_->refs.size();
    a_->refs.push_back(v);
    done(Kind::kRef, 1);
  }
  // The same with the length given (v[len] must be the NUL): the host need not measure it.
  void set_ref(const char* v, size_t len) {
    if (a_->sized) return set_ref_sized(v, len);
    set_ref(v);
  }
  void set_ref(const std::string& v) { set_ref(v.c_str(), v.size()); }
  void set_ref(std::string&&) = delete;  // a temporary dies before the host reads it
  // Any integer (signed values keep their two's complement bit pattern, as s64 wants).
  template <class I>
    requires std::integral<I> && (!std::same_as<I, bool>)
  void set(I v) {
    uint64_t u = static_cast<uint64_t>(v);
    set_numbers(&u, 1);
  }
  void set(bool v) {
    uint64_t u = v ? 1 : 0;
    set_numbers(&u, 1);
  }
  void set_bytes(const void* p, size_t n) {
    base_ = a_->add_string(std::string_view(static_cast<const char*>(p), n));
    done(Kind::kBytes, 1);
  }
  // Several byte values (a list field of bytes/ipaddr/ipnet type), copied.
  void set_bytes_list(const std::string_view* vs, size_t n) {
    base_ = a_->used_strs;
    for (size_t i = 0; i < n; ++i) a_->add_string(vs[i]);
    done(Kind::kBytes, n);
  }
  void set_strings(const std::string_view* vs, size_t n) {
    base_ = a_->used_strs;
    for (size_t i = 0; i < n; ++i) a_->add_string(vs[i]);
    done(a_->sized ? Kind::kBytes : Kind::kStr, n);
  }
  void set_strings(const std::vector<std::string>& vs) {
    std::vector<std::string_view> views(vs.begin(), vs.end());
    set_strings(views.data(), views.size());
  }
  void set_numbers(const uint64_t* vs, size_t n) {
    base_ = a_->nums.size();
    for (size_t i = 0; i < n; ++i) a_->nums.push_back(vs[i]);
    done(Kind::kNum, n);
  }
  void set_numbers(const std::vector<uint64_t>& vs) { set_numbers(vs.data(), vs.size()); }

  // SDK internal: point the C result at the arena once every request of the call is
  // filled and the arena sealed (its vectors may move while later requests write).
  // Inlined into the extract thunk: it runs for every value a plugin hands over.
  [[gnu::always_inline]] void publish() {
    switch (kind_) {
      case Kind::kStr:
        r_->values.str = a_->cstrs.data() + base_;
        return;
      case Kind::kRef:
        r_->values.str = a_->refs.data() + base_;
        return;
      case Kind::kSizedRef:
        r_->values.bytes = a_->sized_refs.data() + base_;
        return;
      case Kind::kNum:
        r_->values.u64 = a_->nums.data() + base_;
        return;
      case Kind::kBytes:
        publish_bytes();
        return;
      case Kind::kNone:
        return;
    }
  }

 private:
  // kBytes: strs[base_...] as saker_bytes (also strings, when the arena is `sized`).
  enum class Kind { kNone, kStr, kRef, kSizedRef, kNum, kBytes };
  [[gnu::always_inline]] void set_ref_sized(const char* p, size_t n) {
    base_ = a_->sized_refs.size();
    a_->sized_refs.push_back({reinterpret_cast<const uint8_t*>(p), n});
    done(Kind::kSizedRef, 1);
  }
  void publish_bytes() {
    const size_t first = a_->bytes.size();
    for (size_t i = 0; i < r_->num_values; ++i) {
      const std::string& s = a_->strs[base_ + i];
      a_->bytes.push_back({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
    }
    r_->values.bytes = a_->bytes.data() + first;
  }
  void done(Kind k, size_t n) {
    kind_ = k;
    r_->num_values = n;
  }
  saker_extract_request* r_;
  ExtractArena* a_;
  size_t base_ = 0;
  Kind kind_ = Kind::kNone;
};

// A borrowed view of one alert handed to an output.
class Alert {
 public:
  explicit Alert(const saker_alert* a) : a_(a) {}
  std::string_view rule() const { return a_->rule; }
  std::string_view source() const { return a_->source; }
  std::string_view hostname() const { return a_->hostname; }
  uint32_t priority() const { return a_->priority; }
  std::string_view priority_name() const { return a_->priority_name; }
  uint64_t time() const { return a_->time; }
  std::string_view message() const { return a_->message; }
  std::string_view text() const { return a_->text; }
  std::string_view json() const { return a_->json; }
  std::vector<std::string_view> tags() const {
    return std::vector<std::string_view>(a_->tags, a_->tags + a_->num_tags);
  }
  size_t num_fields() const { return a_->num_fields; }
  std::string_view field_name(size_t i) const { return a_->field_names[i]; }
  std::string_view field_value(size_t i) const { return a_->field_values[i]; }
  const saker_alert* raw() const { return a_; }

 private:
  const saker_alert* a_;
};

}  // namespace saker::sdk
