// Test plugin: a source that produces one event every `interval_ms` (a steady alert
// stream for the HTTP outage script), and that stalls — next_batch does not return —
// while `stall_file` exists (a source whose loop is stuck, for health checks).
// init_config: {"source": "pace", "interval_ms": 10, "count": 0 (endless), "stall_file": ""}
// Events carry real time stamps; the payload is "pace <n>". Field: pace.n (u64).
#include <saker/sdk/plugin.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace {

using namespace saker::sdk;

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

class PaceStream {
 public:
  PaceStream(uint64_t interval_ms, uint64_t count, std::string stall_file)
      : interval_(std::chrono::milliseconds(interval_ms)),
        count_(count),
        stall_file_(std::move(stall_file)),
        next_at_(std::chrono::steady_clock::now()) {}

  BatchStatus next_batch(EventWriter& out, uint32_t timeout_ms) {
    while (!stall_file_.empty() && access(stall_file_.c_str(), F_OK) == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // stuck on purpose
    }
    if (count_ && n_ >= count_) return BatchStatus::kEof;
    const auto now = std::chrono::steady_clock::now();
    if (now < next_at_) {
      auto wait = std::min<std::chrono::steady_clock::duration>(
          next_at_ - now, std::chrono::milliseconds(timeout_ms));
      std::this_thread::sleep_for(wait);
      if (std::chrono::steady_clock::now() < next_at_) return BatchStatus::kTimeout;
    }
    text_ = "pace " + std::to_string(n_);
    out.add(0, now_ns(), text_);
    ++n_;
    next_at_ += interval_;
    return BatchStatus::kOk;
  }

 private:
  std::chrono::milliseconds interval_;
  uint64_t count_;
  std::string stall_file_;
  std::chrono::steady_clock::time_point next_at_;
  uint64_t n_ = 0;
  std::string text_;
};

class PaceSource {
 public:
  static constexpr const char* kName = "pace_source";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Test source: one event per interval, can stall";
  static constexpr const char* kContact = "saker tests";
  static constexpr const char* kInitSchema = R"({"type":"object"})";

  explicit PaceSource(const InitContext& ctx) {
    auto cfg = ctx.config.empty() ? nlohmann::json::object() : nlohmann::json::parse(ctx.config);
    source_ = cfg.value("source", "pace");
    interval_ms_ = cfg.value("interval_ms", 10ull);
    count_ = cfg.value("count", 0ull);
    stall_file_ = cfg.value("stall_file", "");
  }

  std::string event_source() { return source_; }
  std::vector<std::string> event_types() { return {"pace"}; }
  std::unique_ptr<PaceStream> open(const std::string&) {
    return std::make_unique<PaceStream>(interval_ms_, count_, stall_file_);
  }
  std::vector<FieldInfo> fields() {
    return {FieldInfo("pace.n", FieldType::kU64, "Event number within the stream")};
  }
  void extract(const Event& e, ExtractRequest& r) {
    std::string_view t = e.text();
    r.set(std::stoull(std::string(t.substr(5))));
  }

 private:
  std::string source_, stall_file_;
  uint64_t interval_ms_ = 10, count_ = 0;
};

}  // namespace

SAKER_PLUGIN(PaceSource)
