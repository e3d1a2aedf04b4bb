// The modern_ebpf engine (see live_engine.h).
#include "live_engine.h"

#include <csignal>
#include <cstdio>

#include "event_header.h"
#include "generic_types.h"
#include "proc_scan.h"
#include "state.h"

namespace saker::syscall {
namespace {

constexpr const char* kDropNames[SAKER_DROP_CATEGORIES] = {"proc", "file", "net", "other",
                                                           "too_big"};

}  // namespace

LiveEngine::LiveEngine(const LiveEngineConfig& cfg, State& state, const sdk::Host& host)
    : cfg_(cfg), host_(host) {
  driver_ = std::make_unique<LiveDriver>(cfg_.driver);
  driver_->set_syscalls(cfg_.syscalls);
  // Attached first, scanned second: what changes during the scan is in the rings.
  ProcScanStats stats;
  const scap::CaptureTables tables = scan_host({}, &stats);
  state.seed(tables);
  if (cfg_.capture.enabled) capture_ = std::make_unique<LiveCapture>(cfg_.capture, tables, host_);
  host_.log(sdk::LogLevel::kInfo,
            "modern_ebpf: " + std::to_string(cfg_.syscalls.size()) + " syscalls traced, " +
                std::to_string(driver_->num_buffers()) + " ring buffer(s) of " +
                std::to_string(cfg_.driver.buffer_bytes >> 20) + " MiB for " +
                std::to_string(driver_->num_cpus()) + " CPUs; /proc: " +
                std::to_string(stats.threads) + " threads, " + std::to_string(stats.fds) +
                " fds");
  events_metric_ = host_.register_counter("syscall_kernel_events_total",
                                          "events the eBPF programs wrote to the rings");
  drops_metric_ = host_.register_counter("syscall_kernel_drops_total",
                                         "events lost in the kernel (ring full or too big)");
  truncated_metric_ = host_.register_counter("syscall_kernel_truncated_params_total",
                                             "parameters cut at the size limit");
  for (int i = 0; i < SAKER_DROP_CATEGORIES; ++i) {
    drop_metrics_[i] = host_.register_counter(
        std::string("syscall_kernel_drops_") + kDropNames[i] + "_total",
        std::string("events lost in the kernel: ") + kDropNames[i]);
  }
  last_check_ = std::chrono::steady_clock::now();
  tokens_ = cfg_.drops.max_burst;
}

LiveEngine::~LiveEngine() = default;

sdk::BatchStatus LiveEngine::next_batch(sdk::EventWriter& out, std::uint32_t timeout_ms) {
  records_.clear();
  driver_->next(records_, kBatchSize, static_cast<int>(timeout_ms));
  for (const auto& r : records_) {
    if (r.size < scap::kEventHeaderSize) continue;
    const auto type = host_event_type({r.data, r.size});
    const auto ts = scap::load_le<std::uint64_t>(r.data);
    out.add_view(type, ts, r.data, r.size);
    if (capture_) capture_->write({r.data, r.size});
  }
  delivered_ += records_.size();
  const auto now = std::chrono::steady_clock::now();
  if (now - last_check_ >= std::chrono::seconds(1)) check_drops();
  return records_.empty() ? sdk::BatchStatus::kTimeout : sdk::BatchStatus::kOk;
}

bool LiveEngine::progress(std::uint32_t& permille, std::string& text) {
  permille = 0;
  text = std::to_string(delivered_) + " events";
  return true;
}

// Publishes the kernel counters and applies syscall_event_drops once per second.
void LiveEngine::check_drops() {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - last_check_).count();
  last_check_ = now;
  const DriverCounters c = driver_->counters();
  const std::uint64_t events = c.events - last_counters_.events;
  const std::uint64_t drops = c.drops_total() - last_counters_.drops_total();
  host_.metric_add(events_metric_, events);
  host_.metric_add(drops_metric_, drops);
  host_.metric_add(truncated_metric_, c.truncated - last_counters_.truncated);
  if (c.ring_resyncs != last_counters_.ring_resyncs) {
    host_.log(sdk::LogLevel::kError,
              "modern_ebpf: a ring record stayed unfinished for over a second; the reader skipped "
              "to the newest record (" + std::to_string(c.ring_resyncs) + " times so far)");
  }
  for (int i = 0; i < SAKER_DROP_CATEGORIES; ++i) {
    host_.metric_add(drop_metrics_[i], c.drops[i] - last_counters_.drops[i]);
  }
  last_counters_ = c;
  tokens_ = std::min(cfg_.drops.max_burst, tokens_ + elapsed * cfg_.drops.rate);
  if (drops == 0) return;
  const double ratio = static_cast<double>(drops) / static_cast<double>(events + drops);
  if (ratio < cfg_.drops.threshold || tokens_ < 1) return;
  tokens_ -= 1;
  std::string msg = "syscall event drop: " + std::to_string(drops) + " of " +
                    std::to_string(events + drops) + " events lost in the kernel (";
  for (int i = 0; i < SAKER_DROP_CATEGORIES; ++i) {
    msg += std::string(i ? ", " : "") + kDropNames[i] + " " + std::to_string(c.drops[i]);
  }
  msg += " in total)";
  if (cfg_.drops.log) host_.log(sdk::LogLevel::kWarning, msg);
  if (cfg_.drops.alert) host_.log(sdk::LogLevel::kError, msg);
  if (cfg_.drops.exit) {
    host_.log(sdk::LogLevel::kError, msg + "; exiting (syscall_event_drops.actions: exit)");
    std::raise(SIGTERM);
  }
}

}  // namespace saker::syscall
