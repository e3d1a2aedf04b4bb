// A minimal saker plugin: an event source that produces numbered "tick" events, and
// the fields to read them. It is the SDK's tutorial (see sdk/README.md): one class,
// one macro, and it builds against the installed headers alone.
#include <saker/sdk/plugin.h>

#include <string>
#include <vector>

namespace {

using saker::sdk::BatchStatus;
using saker::sdk::Event;
using saker::sdk::EventWriter;
using saker::sdk::ExtractRequest;
using saker::sdk::FieldInfo;
using saker::sdk::FieldType;

// A stream of `count` events; each payload is the text "tick <n> <word>".
class TickStream {
 public:
  explicit TickStream(uint64_t count) : count_(count) {}

  BatchStatus next_batch(EventWriter& out, uint32_t /*timeout_ms*/) {
    static const char* kWords[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 64 && next_ < count_; ++i, ++next_) {
      std::string text = "tick " + std::to_string(next_) + " " + kWords[next_ % 3];
      out.add(/*type=*/0, /*ts=*/1700000000000000000ull + next_ * 1000, text);
    }
    return next_ < count_ ? BatchStatus::kOk : BatchStatus::kEof;
  }

  bool progress(uint32_t& permille, std::string& text) {
    permille = count_ ? static_cast<uint32_t>(next_ * 1000 / count_) : 1000;
    text = std::to_string(next_) + "/" + std::to_string(count_);
    return true;
  }

 private:
  uint64_t count_;
  uint64_t next_ = 0;
};

class ExamplePlugin {
 public:
  static constexpr const char* kName = "example";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Numbered tick events, to show the SDK";
  static constexpr const char* kContact = "https://example.invalid/saker";

  explicit ExamplePlugin(const saker::sdk::InitContext& ctx) : host_(ctx.host) {}

  // Source capability.
  std::string event_source() { return "example"; }
  std::vector<std::string> event_types() { return {"tick"}; }
  std::string open_params() { return R"([{"value":"10","desc":"number of ticks"}])"; }
  std::unique_ptr<TickStream> open(const std::string& params) {
    return std::make_unique<TickStream>(params.empty() ? 10 : std::stoull(params));
  }

  // Extract capability.
  std::vector<FieldInfo> fields() {
    return {
        {"example.n", FieldType::kU64, "The tick's sequence number"},
        {"example.word", FieldType::kString, "The word carried by the tick"},
        {"example.text", FieldType::kString, "The whole payload"},
    };
  }
  void extract(const Event& evt, ExtractRequest& req) {
    std::string_view text = evt.text();  // "tick <n> <word>"
    size_t sp1 = text.find(' '), sp2 = text.rfind(' ');
    switch (req.field_id()) {
      case 0: req.set(static_cast<uint64_t>(std::stoull(std::string(text.substr(sp1 + 1))))); break;
      case 1: req.set(text.substr(sp2 + 1)); break;
      case 2: req.set(text); break;
    }
  }

 private:
  saker::sdk::Host host_;
};

}  // namespace

SAKER_PLUGIN(ExamplePlugin)
