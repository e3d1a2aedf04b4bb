// LiveEngine: the modern_ebpf engine. Starts the eBPF driver (live_driver.h) with the chosen
// syscalls, seeds the State from a /proc scan once the programs are attached (so nothing
// that happens during the scan is missed: those events wait in the rings), and then hands
// the host batches of events as zero-copy views into the rings. Kernel drops are published
// as plugin metrics and acted upon (syscall_event_drops: log, alert, exit). With a capture
// configured, every record is also written to .scap files (live_capture.h), headed by the
// same /proc scan the state was seeded from.
//
// Ownership: owns its driver; borrows the State and the Host (the plugin owns both and
// outlives the engine). One thread: the source loop's.
#pragma once

#include <saker/sdk/host.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "live_capture.h"
#include "live_driver.h"
#include "syscall_engine.h"

namespace saker::syscall {

class State;

// Falco's syscall_event_drops: what to do when the kernel drops events.
struct DropPolicy {
  double threshold = 0.1;  // fraction of dropped events in one check interval that acts
  bool log = true;
  bool alert = false;  // reported through a log line at error level (no internal alerts yet)
  bool exit = false;
  double rate = 1.0 / 30;  // actions per second (token bucket)
  double max_burst = 1;
};

struct LiveEngineConfig {
  LiveDriverOptions driver;
  std::vector<std::uint32_t> syscalls;  // native numbers sent by the kernel
  DropPolicy drops;
  LiveCaptureConfig capture;
};

class LiveEngine : public SyscallEngine {
 public:
  static constexpr std::size_t kBatchSize = 512;

  LiveEngine(const LiveEngineConfig& cfg, State& state, const sdk::Host& host);
  ~LiveEngine() override;

  sdk::BatchStatus next_batch(sdk::EventWriter& out, std::uint32_t timeout_ms) override;
  bool progress(std::uint32_t& permille, std::string& text) override;

  LiveDriver& driver() { return *driver_; }
  const LiveCapture* capture() const { return capture_.get(); }

 private:
  void check_drops();

  LiveEngineConfig cfg_;
  sdk::Host host_;
  std::unique_ptr<LiveDriver> driver_;
  std::unique_ptr<LiveCapture> capture_;  // null unless capture.enabled
  std::vector<RingRecord> records_;
  std::uint64_t delivered_ = 0;
  // drop accounting
  std::chrono::steady_clock::time_point last_check_;
  DriverCounters last_counters_;
  double tokens_ = 1;
  std::uint32_t events_metric_ = 0, drops_metric_ = 0, truncated_metric_ = 0;
  std::uint32_t drop_metrics_[SAKER_DROP_CATEGORIES] = {};
};

}  // namespace saker::syscall
