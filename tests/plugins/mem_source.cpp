// Test plugin: an in-memory event source with fields and a parser, written with the SDK.
// init_config: {"source": "mem", "count": 100, "payloads": ["user=alice pid=1 ..."],
//               "batch": 64, "inject": 0, "fail_init": false, "open_until_stop": false}
// open_until_stop: open spins (a long seeding) until the host's stop_requested (ABI 1.3),
// then fails "interrupted", as the syscall plugin does.
// Payloads are "key=value" words; events cycle through them. Fields: mem.n (u64, event
// number within the stream), mem.user, mem.pid (u64), mem.kv[key], mem.words (list),
// mem.seen (events parsed so far: proves parsers run before rules), mem.boom (throws).
#include <saker/sdk/plugin.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <string>
#include <vector>

namespace {

using namespace saker::sdk;

class MemStream {
 public:
  // With inject > 0, a background thread injects that many events through the host API
  // (thread-safe injection) while the stream runs; the stream ends once it is done.
  MemStream(const std::vector<std::string>* payloads, uint64_t count, uint32_t batch,
            Host host, std::string source, uint64_t inject)
      : payloads_(payloads), count_(count), batch_(batch) {
    if (inject == 0) return;
    injector_ = std::thread([this, host, source, inject] {
      for (uint64_t i = 0; i < inject;) {
        if (host.inject(source, 1, 1800000000000000000ull + i, "user=injected pid=99")) {
          ++i;
        } else {
          std::this_thread::sleep_for(std::chrono::microseconds(100));  // not running yet / full
        }
      }
      injected_ = true;
    });
  }
  ~MemStream() {
    if (injector_.joinable()) injector_.join();
  }
  BatchStatus next_batch(EventWriter& out, uint32_t) {
    for (uint32_t i = 0; i < batch_ && next_ < count_; ++i, ++next_) {
      const std::string& p = (*payloads_)[next_ % payloads_->size()];
      out.add_view(static_cast<uint16_t>(next_ % 2), 1700000000000000000ull + next_, p.data(),
                   p.size());
    }
    if (next_ < count_) return BatchStatus::kOk;
    if (injector_.joinable() && !injected_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return BatchStatus::kTimeout;
    }
    return BatchStatus::kEof;
  }
  bool progress(uint32_t& permille, std::string& text) {
    permille = count_ ? static_cast<uint32_t>(next_ * 1000 / count_) : 1000;
    text = std::to_string(next_);
    return true;
  }

 private:
  const std::vector<std::string>* payloads_;
  uint64_t count_;
  uint32_t batch_;
  uint64_t next_ = 0;
  std::thread injector_;
  std::atomic<bool> injected_{false};
};

std::string_view value_of(std::string_view text, std::string_view key) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view w = text.substr(pos, end - pos);
    if (w.size() > key.size() && w.substr(0, key.size()) == key && w[key.size()] == '=') {
      return w.substr(key.size() + 1);
    }
    pos = end + 1;
  }
  return {};
}

class MemSource {
 public:
  static constexpr const char* kName = "mem_source";
  static constexpr const char* kVersion = "1.2.3";
  static constexpr const char* kDescription = "In-memory test source";
  static constexpr const char* kContact = "saker tests";
  static constexpr const char* kInitSchema = R"({"type":"object"})";
  // What set_ref hands over is decoded once and kept: the host may keep pointers to the
  // values for the whole event (SAKER_EXTRACT_EVENT_LIFETIME).
  static constexpr bool kValuesLiveForEvent = true;

  explicit MemSource(const InitContext& ctx) : host_(ctx.host) {
    auto cfg = ctx.config.empty() ? nlohmann::json::object() : nlohmann::json::parse(ctx.config);
    if (cfg.value("fail_init", false)) throw PluginError("asked to fail in init");
    source_ = cfg.value("source", "mem");
    count_ = cfg.value("count", 100ull);
    batch_ = cfg.value("batch", 64u);
    inject_ = cfg.value("inject", 0ull);
    open_until_stop_ = cfg.value("open_until_stop", false);
    exit_report_ = cfg.value("exit_report", std::string());
    payloads_ = cfg.value("payloads", std::vector<std::string>{"user=alice pid=1 path=/etc/shadow"});
    if (payloads_.empty()) throw PluginError("payloads must not be empty");
    // Decode each payload once, as a real source decodes its binary format cheaply:
    // extraction then costs a lookup, and the benchmark measures the core, not parsing.
    for (const auto& p : payloads_) decoded_.push_back(decode(p));
  }

  // exit_report: a file that gets "process_exiting=0" or "=1" (ABI 1.5) at destruction.
  ~MemSource() {
    if (exit_report_.empty()) return;
    std::ofstream(exit_report_) << "process_exiting=" << (host_.process_exiting() ? 1 : 0) << "\n";
  }

  std::string event_source() { return source_; }
  std::vector<std::string> event_types() { return {"even", "odd"}; }
  std::unique_ptr<MemStream> open(const std::string& params) {
    if (open_until_stop_) {
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!host_.stop_requested() && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      throw PluginError(host_.stop_requested() ? "open interrupted" : "stop never came");
    }
    uint64_t n = params.empty() ? count_ : std::stoull(params);
    return std::make_unique<MemStream>(&payloads_, n, batch_, host_, source_, inject_);
  }

  std::vector<FieldInfo> fields() {
    return {FieldInfo("mem.n", FieldType::kU64, "Event number within the stream"),
            FieldInfo("mem.user", FieldType::kString, "The user= word"),
            FieldInfo("mem.pid", FieldType::kU64, "The pid= word"),
            FieldInfo("mem.kv", FieldType::kString, "Any key=value word")
                .with_arg(ArgKind::kKey, true),
            FieldInfo("mem.words", FieldType::kString, "Every word").as_list(),
            FieldInfo("mem.seen", FieldType::kU64, "Events parsed so far"),
            FieldInfo("mem.boom", FieldType::kString, "Always throws")};
  }
  void extract(const Event& e, ExtractRequest& r) {
    std::string_view t = e.text();
    const Decoded* d = find_decoded(e);
    switch (r.field_id()) {
      case 0: r.set(e.ts() - 1700000000000000000ull); break;
      case 1:
        if (d && !d->user.empty()) {
          r.set_ref(d->user);  // decoded once, stable: no copy
        } else if (!d) {
          set_if(r, value_of(t, "user"));
        }
        break;
      case 2: {
        if (d) {
          if (d->has_pid) r.set(d->pid);
          break;
        }
        auto v = value_of(t, "pid");
        if (!v.empty()) r.set(static_cast<uint64_t>(std::stoull(std::string(v))));
        break;
      }
      case 3: {
        std::string_view v;
        if (d) {
          for (const auto& [k, val] : d->kv) {
            if (k == r.arg_key()) r.set_ref(val);
          }
          break;
        } else {
          v = value_of(t, r.arg_key());
        }
        set_if(r, v);
        break;
      }
      case 4: words(t, r); break;
      case 5: r.set(seen_); break;
      case 6: throw std::runtime_error("boom: extraction failed on purpose");
    }
  }
  void parse(const Event&) { ++seen_; }

 private:
  struct Decoded {
    const char* data;
    std::string user;
    bool has_pid = false;
    uint64_t pid = 0;
    std::vector<std::pair<std::string, std::string>> kv;
  };
  Decoded decode(const std::string& p) {
    Decoded d{p.data(), std::string(value_of(p, "user")), false, 0, {}};
    size_t pos = 0;
    while (pos < p.size()) {
      size_t end = std::min(p.find(' ', pos), p.size());
      size_t eq = p.find('=', pos);
      if (eq < end) d.kv.emplace_back(p.substr(pos, eq - pos), p.substr(eq + 1, end - eq - 1));
      pos = end + 1;
    }
    auto pid = value_of(p, "pid");
    if (!pid.empty()) {
      d.has_pid = true;
      d.pid = std::stoull(std::string(pid));
    }
    return d;
  }
  const Decoded* find_decoded(const Event& e) const {
    for (const auto& d : decoded_) {
      if (reinterpret_cast<const char*>(e.data()) == d.data) return &d;
    }
    return nullptr;
  }
  static void set_if(ExtractRequest& r, std::string_view v) {
    if (!v.empty()) r.set(v);
  }
  static void words(std::string_view t, ExtractRequest& r) {
    std::vector<std::string_view> w;
    size_t pos = 0;
    while (pos <= t.size()) {
      size_t end = std::min(t.find(' ', pos), t.size());
      if (end > pos) w.push_back(t.substr(pos, end - pos));
      pos = end + 1;
    }
    r.set_strings(w.data(), w.size());
  }
  Host host_;
  std::string source_;
  uint64_t inject_ = 0;
  bool open_until_stop_ = false;
  std::string exit_report_;
  uint64_t count_;
  uint32_t batch_;
  std::vector<std::string> payloads_;
  std::vector<Decoded> decoded_;
  uint64_t seen_ = 0;
};

}  // namespace

SAKER_PLUGIN(MemSource)
