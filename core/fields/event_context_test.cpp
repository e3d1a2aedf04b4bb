// EventContext's copies of values from a provider whose buffers only live until its next
// call (every plugin): they must stay intact for the whole event while later extractions
// reuse the provider's buffers, be NUL-terminated, and survive values longer than a block.
// And EventStrings itself: blocks kept across rewinds, values longer than a block.
#include "event_context.h"

#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "event_strings.h"
#include "field_provider.h"
#include "field_slots.h"

namespace saker::core {
namespace {

// Field 0 (string): "<prefix><event num>" repeated `reps` times, written into one buffer
// this provider overwrites on every call. Field 1 (bytes): the same text as bytes.
class ReusingProvider : public FieldProvider {
 public:
  explicit ReusingProvider(std::string prefix) : prefix_(std::move(prefix)) {}
  const std::string& provider_name() const override { return name_; }
  std::vector<FieldDef> field_defs() override { return {}; }
  int32_t extract(const char*, const saker_event* evt, saker_extract_request* reqs,
                  uint32_t n) noexcept override {
    ++calls;
    for (uint32_t i = 0; i < n; ++i) {
      buf_.clear();
      for (size_t k = 0; k < reps; ++k) buf_ += prefix_ + std::to_string(evt->num);
      ptr_ = buf_.c_str();
      bytes_ = {reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size()};
      reqs[i].num_values = 1;
      if (reqs[i].field_id == 0) {
        reqs[i].values.str = &ptr_;
      } else {
        reqs[i].values.bytes = &bytes_;
      }
    }
    return SAKER_OK;
  }
  size_t reps = 1;
  int calls = 0;

 private:
  std::string name_ = "reusing";
  std::string prefix_;
  std::string buf_;
  const char* ptr_ = nullptr;
  saker_bytes bytes_{};
};

struct Setup {
  ReusingProvider a{"a-"};
  ReusingProvider b{"b-"};
  FieldDef sa, sb, ba;
  FieldSlots slots;
  uint32_t slot_a = 0, slot_b = 0, slot_bytes = 0;
  Setup() {
    sa = {"t.a", SAKER_FIELD_STRING, 0, "", "", "", 0, &a, {}, nullptr};
    ba = {"t.abytes", SAKER_FIELD_BYTES, 0, "", "", "", 1, &a, {}, nullptr};
    sb = {"t.b", SAKER_FIELD_STRING, 0, "", "", "", 0, &b, {}, nullptr};
    slot_a = slots.resolve(&sa, nullptr);
    slot_bytes = slots.resolve(&ba, nullptr);
    slot_b = slots.resolve(&sb, nullptr);
  }
};

saker_event event(uint64_t num) {
  saker_event e{};
  e.size = sizeof(e);
  e.num = num;
  return e;
}

}  // namespace

TEST_CASE("EventContext: copied values stay intact for the whole event") {
  Setup s;
  EventContext ctx(s.slots, "test");
  for (uint64_t num = 1; num <= 3000; ++num) {
    const saker_event e = event(num);
    ctx.begin(&e);
    s.a.reps = num % 7 == 0 ? 5000 : 1 + num % 3;  // now and then longer than a block
    const std::string want_a = [&] {
      std::string w;
      for (size_t k = 0; k < s.a.reps; ++k) w += "a-" + std::to_string(num);
      return w;
    }();
    const std::string_view va = ctx.get(s.slot_a).str();
    const std::string_view vbytes = ctx.get(s.slot_bytes).str();  // same buffer, reused
    const std::string_view vb = ctx.get(s.slot_b).str();
    CHECK(va == want_a);
    CHECK(va.data()[va.size()] == '\0');
    CHECK(vbytes == want_a);
    CHECK(vb == "b-" + std::to_string(num));
    CHECK(vb.data()[vb.size()] == '\0');
    // Memoised: asking again reads the same copy, without calling the provider.
    const int calls = s.a.calls;
    CHECK(ctx.get(s.slot_a).str().data() == va.data());
    CHECK(s.a.calls == calls);
    if (num % 1000 == 0) MESSAGE("event " << num << " ok");
  }
}

// A provider with sized strings (ABI 1.4): STRING values in values.bytes. Its buffer for
// event N holds "s-N"; with `stable` its values live for the event (EVENT_LIFETIME), else it
// rewrites the buffer on every call as a plugin may.
class SizedProvider : public FieldProvider {
 public:
  explicit SizedProvider(bool stable) {
    sized_strings_ = true;
    stable_per_event_ = stable;
  }
  const std::string& provider_name() const override { return name_; }
  std::vector<FieldDef> field_defs() override { return {}; }
  int32_t extract(const char*, const saker_event* evt, saker_extract_request* reqs,
                  uint32_t n) noexcept override {
    if (!stable_per_event_ || evt->num != num_) {
      buf_ = (stable_per_event_ ? "s-" : "c-") + std::to_string(evt->num);
      num_ = evt->num;
    }
    for (uint32_t i = 0; i < n; ++i) {
      bytes_ = {reinterpret_cast<const uint8_t*>(buf_.c_str()), buf_.size()};
      reqs[i].num_values = 1;
      reqs[i].values.bytes = &bytes_;
    }
    return SAKER_OK;
  }
  const std::string& buffer() const { return buf_; }

 private:
  std::string name_ = "sized";
  std::string buf_;
  uint64_t num_ = ~uint64_t{0};
  saker_bytes bytes_{};
};

TEST_CASE("EventContext: sized strings are read with their lengths, kept or copied") {
  SizedProvider stable(true), copied(false);
  FieldDef ds{"t.s", SAKER_FIELD_STRING, 0, "", "", "", 0, &stable, {}, nullptr};
  FieldDef dc{"t.c", SAKER_FIELD_STRING, 0, "", "", "", 0, &copied, {}, nullptr};
  FieldDef dc2{"t.c2", SAKER_FIELD_STRING, 0, "", "", "", 1, &copied, {}, nullptr};
  FieldSlots slots;
  const uint32_t ss = slots.resolve(&ds, nullptr), sc = slots.resolve(&dc, nullptr),
                 sc2 = slots.resolve(&dc2, nullptr);
  EventContext ctx(slots, "test");
  for (uint64_t num = 1; num <= 50; ++num) {
    const saker_event e = event(num);
    ctx.begin(&e);
    const std::string_view vs = ctx.get(ss).str();
    const std::string_view vc = ctx.get(sc).str();
    ctx.get(sc2);  // the copying provider rewrites its buffer
    CHECK(vs == "s-" + std::to_string(num));
    CHECK(vs.data() == stable.buffer().data());  // a view of the provider's own value
    CHECK(vc == "c-" + std::to_string(num));
    CHECK(vc.data() != copied.buffer().data());  // a copy, still intact
    CHECK(vc.data()[vc.size()] == '\0');
    CHECK(ctx.get(ss).type == SAKER_FIELD_STRING);
  }
}

TEST_CASE("EventStrings: blocks are reused after a rewind; long values get their own room") {
  EventStrings st;
  std::vector<std::string_view> views;
  std::vector<std::string> want;
  const std::string long_value(EventStrings::kBlock * 2 + 3, 'x');
  for (int round = 0; round < 3; ++round) {
    views.clear();
    want.clear();
    // Enough values to fill several blocks, with a long one in the middle.
    for (int i = 0; i < 5000; ++i) {
      std::string v = "value-" + std::to_string(round) + "-" + std::to_string(i);
      if (i == 2500) v = long_value;
      views.push_back(st.copy(v.data(), v.size()));
      want.push_back(std::move(v));
    }
    for (size_t i = 0; i < views.size(); ++i) {
      REQUIRE(views[i] == want[i]);
      REQUIRE(views[i].data()[views[i].size()] == '\0');
    }
    st.rewind();
  }
  // An empty value is a valid, NUL-terminated view.
  const std::string_view e = st.copy("", 0);
  CHECK(e.empty());
  CHECK(e.data()[0] == '\0');
  const std::string_view none = st.copy(nullptr, 0);  // an empty bytes value
  CHECK(none.empty());
  CHECK(none.data()[0] == '\0');
}

}  // namespace saker::core
