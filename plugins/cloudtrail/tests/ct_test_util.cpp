// Helpers for the cloudtrail tests; see ct_test_util.h.
#include "ct_test_util.h"

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "output_format.h"
#include "rules/runtime/rule_engine.h"
#include "test_util.h"

namespace saker::cttest {
namespace fs = std::filesystem;

namespace {
const char* const kCounters[] = {"records",
                                 "records_malformed",
                                 "records_oversized",
                                 "files_read",
                                 "files_not_cloudtrail",
                                 "files_truncated",
                                 "timestamp_invalid",
                                 "extract_errors",
                                 "objects_listed",
                                 "objects_failed",
                                 "http_retries",
                                 "sqs_messages",
                                 "sqs_deleted",
                                 "sqs_visibility_extended",
                                 "sqs_ignored"};

std::map<std::string, uint64_t> counters(core::Engine& e) {
  std::map<std::string, uint64_t> out;
  for (const char* c : kCounters) out[c] = e.metrics().value_of(std::string("ct_") + c);
  return out;
}
}  // namespace

std::string stratus_dir() {
  return std::string(SAKER_TESTDATA_DIR) + "/cloudtrail/stratus-red-team";
}

std::vector<std::string> stratus_files() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(stratus_dir())) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

Replay replay_rules(const std::string& params, const std::string& rules_file,
                    const std::string& init) {
  Replay r;
  test::TempDir dir;
  {
    auto e = test::make_engine();
    e->plugins().load({"ct", "libcloudtrail.so", init, params});
    auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
    e->register_fields();
    e->open_output(out, (dir.path() / "alerts.jsonl").string());
    rules::RuleSet set(rules::engine_host(*e), {});
    auto res = set.load_file(rules_file);
    REQUIRE_MESSAGE(res.successful, res.to_text());
    for (const auto& d : res.errors) r.load_errors.push_back(d.message);
    for (const auto& d : res.warnings) r.load_warnings.push_back(d.message);
    rules::RuleEngineOptions all;
    all.match_all = true;
    rules::RuleEngine engine(set, all);
    engine.activate();
    e->set_sink(&engine);
    std::atomic<bool> stop{false};
    e->run({"aws_cloudtrail"}, stop);
    r.events = e->metrics().value_of("source_aws_cloudtrail_num_evts");
    r.metrics = counters(*e);
  }
  for (const auto& l : test::read_lines(dir.path() / "alerts.jsonl")) {
    auto j = nlohmann::json::parse(l);
    Alert a{j["rule"], j["message"].is_string() ? j["message"].get<std::string>() : "", {}};
    for (auto& [k, v] : j["fields"].items())
      a.fields[k] = v.is_string() ? v.get<std::string>() : v.dump();
    r.alerts.push_back(std::move(a));
  }
  return r;
}

std::vector<std::string> render(const std::string& params, const std::string& format,
                                std::map<std::string, uint64_t>* metrics, const std::string& init) {
  auto e = test::make_engine();
  e->plugins().load({"ct", "libcloudtrail.so", init, params});
  e->register_fields();
  struct Sink : core::EventSink {
    Sink(core::Engine& e, const std::string& f)
        : fmt(core::OutputFormat::compile(f, "aws_cloudtrail", e.fields(), e.slots())) {}
    void on_event(core::EventContext& ctx) noexcept override {
      std::string msg;
      std::vector<core::RenderedField> fields;
      fmt.render(ctx, &msg, &fields);
      lines.push_back(std::move(msg));
    }
    core::OutputFormat fmt;
    std::vector<std::string> lines;
  } sink(*e, format);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"aws_cloudtrail"}, stop);
  if (metrics) *metrics = counters(*e);
  return sink.lines;
}

struct LiveRender::Impl : core::EventSink {
  Impl(const std::string& params, const std::string& format, const std::string& init,
       std::function<void()> each)
      : engine(test::make_engine()), per_event(std::move(each)) {
    engine->plugins().load({"ct", "libcloudtrail.so", init, params});
    engine->register_fields();
    fmt = std::make_unique<core::OutputFormat>(
        core::OutputFormat::compile(format, "aws_cloudtrail", engine->fields(), engine->slots()));
    engine->set_sink(this);
    thread = std::thread([this] { engine->run({"aws_cloudtrail"}, stopping); });
  }
  void on_event(core::EventContext& ctx) noexcept override {
    std::string msg;
    std::vector<core::RenderedField> fields;
    fmt->render(ctx, &msg, &fields);
    {
      std::lock_guard lock(mu);
      out.push_back(std::move(msg));
    }
    if (per_event) per_event();
  }
  std::unique_ptr<core::Engine> engine;
  std::function<void()> per_event;
  std::unique_ptr<core::OutputFormat> fmt;
  std::atomic<bool> stopping{false};
  mutable std::mutex mu;
  std::vector<std::string> out;
  std::thread thread;
  bool stopped = false;
  std::map<std::string, uint64_t> final_metrics;
};

LiveRender::LiveRender(const std::string& params, const std::string& format,
                       const std::string& init, std::function<void()> per_event)
    : impl_(std::make_unique<Impl>(params, format, init, std::move(per_event))) {}

LiveRender::~LiveRender() { stop(); }

bool LiveRender::wait_for(size_t n, int timeout_ms) const {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->out.size() >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::vector<std::string> LiveRender::lines() const {
  std::lock_guard lock(impl_->mu);
  return impl_->out;
}

std::map<std::string, uint64_t> LiveRender::metrics() const { return counters(*impl_->engine); }

std::map<std::string, uint64_t> LiveRender::stop() {
  if (!impl_->stopped) {
    impl_->stopping = true;
    if (impl_->thread.joinable()) impl_->thread.join();
    impl_->final_metrics = counters(*impl_->engine);
    impl_->stopped = true;
  }
  return impl_->final_metrics;
}

void write_gz(const std::string& path, const std::string& data) {
  fs::create_directories(fs::path(path).parent_path());
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f != nullptr);
  REQUIRE(gzwrite(f, data.data(), static_cast<unsigned>(data.size())) ==
          static_cast<int>(data.size()));
  gzclose(f);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace saker::cttest
