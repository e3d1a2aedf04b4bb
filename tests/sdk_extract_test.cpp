// The SDK's extract thunk as the ABI sees it (in process, without the loader): strings
// come sized in values.bytes, NUL-terminated; a plugin declaring kValuesLiveForEvent keeps
// every value of an event until another event comes, one that does not only until its
// next call.
#include <doctest/doctest.h>
#include <saker/sdk/plugin.h>

#include <string>
#include <string_view>
#include <vector>

using namespace saker::sdk;

namespace {

// t.one / t.two: "<field>-<event num>" (copied into the SDK's arena); t.list: two values.
template <bool kLive>
struct Plugin {
  static constexpr const char* kName = "sdk_extract_test";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "test";
  static constexpr const char* kContact = "tests";
  static constexpr bool kValuesLiveForEvent = kLive;
  explicit Plugin(const InitContext&) {}
  std::vector<FieldInfo> fields() {
    return {FieldInfo("t.one", FieldType::kString, "one"),
            FieldInfo("t.two", FieldType::kString, "two"),
            FieldInfo("t.list", FieldType::kString, "list").as_list()};
  }
  void extract(const Event& e, ExtractRequest& r) {
    const std::string n = std::to_string(e.num());
    if (r.field_id() == 2) {
      const std::string a = "a-" + n, b = "b-" + n;
      const std::string_view vs[] = {a, b};
      return r.set_strings(vs, 2);
    }
    r.set((r.field_id() == 0 ? "one-" : "two-") + n);
  }
};

struct Rig {
  const saker_plugin_descriptor* d;
  saker_plugin* p = nullptr;
  std::string data = "payload";
  explicit Rig(const saker_plugin_descriptor* desc) : d(desc) {
    saker_init_input in{sizeof(in), nullptr, nullptr, "t", ""};
    REQUIRE(d->init(&in, &p) == SAKER_OK);
  }
  ~Rig() { d->destroy(p); }
  // One call for `field` of event `num`: its values as views of what the plugin handed over.
  std::vector<std::string_view> get(uint64_t num, uint32_t field) {
    saker_event e{sizeof(e), 0, 0, 1000 + num, num,
                  reinterpret_cast<const uint8_t*>(data.data()), data.size()};
    saker_extract_request r{};
    r.size = sizeof(r);
    r.field_id = field;
    REQUIRE(d->extract->extract(p, "s", &e, &r, 1) == SAKER_OK);
    std::vector<std::string_view> out;
    for (uint64_t i = 0; i < r.num_values; ++i) {
      const saker_bytes& b = r.values.bytes[i];
      const char* s = reinterpret_cast<const char*>(b.ptr);
      CHECK(s[b.len] == '\0');
      out.emplace_back(s, b.len);
    }
    return out;
  }
};

}  // namespace

TEST_CASE("SDK extract: values of a kValuesLiveForEvent plugin live until another event") {
  Rig r(detail::descriptor<Plugin<true>>());
  CHECK(r.d->extract->flags == (SAKER_EXTRACT_SIZED_STRINGS | SAKER_EXTRACT_EVENT_LIFETIME));
  for (uint64_t num = 1; num <= 100; ++num) {
    const std::string n = std::to_string(num);
    const auto one = r.get(num, 0);
    const auto list = r.get(num, 2);
    const auto two = r.get(num, 1);
    REQUIRE(one.size() == 1);
    REQUIRE(list.size() == 2);
    // Every value of this event is still what it was, after the later calls.
    CHECK(one[0] == "one-" + n);
    CHECK(list[0] == "a-" + n);
    CHECK(list[1] == "b-" + n);
    CHECK(two[0] == "two-" + n);
  }
  // The next event starts over: its first value takes the first one's room (the arena
  // does not grow with the number of events).
  const auto first = r.get(500, 0);
  const auto again = r.get(501, 1);
  CHECK(first[0].data() == again[0].data());
  CHECK(again[0] == "two-501");
}

TEST_CASE("SDK extract: values of other plugins live until the next call") {
  Rig r(detail::descriptor<Plugin<false>>());
  CHECK(r.d->extract->flags == SAKER_EXTRACT_SIZED_STRINGS);
  const auto one = r.get(1, 0);
  CHECK(one[0] == "one-1");
  const auto two = r.get(1, 1);  // the same event: the arena is reused all the same
  CHECK(two[0] == "two-1");
  CHECK(one[0].data() == two[0].data());
}
