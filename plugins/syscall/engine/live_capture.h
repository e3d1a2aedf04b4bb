// LiveCapture: records what the live engine sees into .scap files (Falco's `capture` with
// mode all_rules, taken as "record every event"), so that a live session can be replayed
// later with `saker -e FILE` or opened in sysdig/Falco. Each ring record (scap event | cpu |
// marker, engine/event_payload.h) becomes one event block; each file starts with the
// machine, interface, user, group and process tables (the /proc scan the engine seeded its
// state from, for the first file; a fresh scan for each later one). saker's own eBPF
// descriptors are left out of the tables: saker does not trace itself, so no event refers
// to them, and readers older than the bpf descriptor type (sysdig 0.29) refuse a capture
// listing one (those of other processes are kept: they are part of the machine).
//
// Files are named PATH_PREFIX + "_" + the UTC time they start (ns) + ".scap", e.g.
// /tmp/saker_20261206T123456.123456789Z.scap: the time the engine opened for the first file,
// the time of its first event for each later one. A new file starts when the current one has
// reached `max_file_bytes` or spans `duration` of event time (0 disables either).
//
// Errors: opening the first file throws scap::CaptureError (the configuration asked for a
// capture that cannot be made). Later failures (disk full, a rotation that cannot open its
// file) are logged once and end the capture; the engine carries on. Malformed records are
// skipped and counted.
//
// Events that reach the syscall stream from elsewhere than the driver (other plugins inject
// them through the host: container metadata, async events; see recorded_from_stream) are
// handed over through a CaptureInlet the plugin keeps, on the source loop's thread too, and
// written as they come (after the driver's events of the batch they followed). They are also
// repeated at the start of every later file (the last kCarriedEvents of them), so that each
// file replays on its own: a container started before the rotation keeps its metadata.
//
// Ownership: owns its writer and file; borrows nothing. One thread: the source loop's.
#pragma once

#include <saker/sdk/host.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "capture_writer.h"

namespace saker::syscall {

class LiveCapture;

// The plugin's end of the capture, for events of the stream that did not come from the
// driver: a LiveCapture made with this inlet in its config attaches itself to it while it
// lives. Writing to an inlet with no capture attached does nothing. One thread.
class CaptureInlet {
 public:
  void write(std::span<const std::uint8_t> event) noexcept;
  bool attached() const { return capture_ != nullptr; }

 private:
  friend class LiveCapture;
  LiveCapture* capture_ = nullptr;
};

// The event types no driver produces that a live capture takes from the stream: async
// events and the container events other plugins inject (recorded as they are; their meaning
// is the injecting plugin's business).
bool recorded_from_stream(std::uint16_t type);

struct LiveCaptureConfig {
  bool enabled = false;
  std::string path_prefix = "/tmp/saker";
  std::chrono::milliseconds duration{5000};  // Falco's default_duration; 0 = no time limit
  std::uint64_t max_file_bytes = 0;          // Falco's max_file_size_mb in bytes; 0 = none
  std::shared_ptr<CaptureInlet> inlet;       // may be null
};

class LiveCapture {
 public:
  // How many of the stream's own events (see above) each new file repeats.
  static constexpr std::size_t kCarriedEvents = 4096;

  // Tables for the files after the first (by default: scan_host()).
  using TablesSource = std::function<scap::CaptureTables()>;

  LiveCapture(const LiveCaptureConfig& cfg, const scap::CaptureTables& first_tables,
              const sdk::Host& host, TablesSource later_tables = {});
  ~LiveCapture();
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  // Appends one ring record. Never throws.
  void write(std::span<const std::uint8_t> record) noexcept;
  // Appends one scap event (no ring trailer: cpu 0). Never throws.
  void write_event(std::span<const std::uint8_t> event) noexcept;
  // Closes the current file (the destructor does it too); logs what was written.
  void close() noexcept;

  const std::vector<std::string>& files() const { return files_; }
  std::uint64_t events_written() const { return events_; }
  std::uint64_t records_skipped() const { return skipped_; }
  bool active() const { return writer_ != nullptr; }

 private:
  void open_file(const scap::CaptureTables& tables, std::uint64_t first_ts_ns);
  bool due_for_rotation(std::uint64_t ts) const;
  void fail(const std::string& what) noexcept;
  void write_view(const scap::EventView& view, std::uint16_t cpu) noexcept;

  LiveCaptureConfig cfg_;
  sdk::Host host_;
  std::deque<std::vector<std::uint8_t>> carried_;  // stream events, repeated in later files
  TablesSource later_tables_;
  std::unique_ptr<scap::CaptureWriter> writer_;
  std::vector<std::string> files_;
  std::uint64_t file_first_ts_ = 0;  // 0 until the current file has an event
  std::uint64_t events_ = 0, skipped_ = 0;
};

// The file name for a capture starting at `epoch_ns` (see above).
std::string capture_file_name(const std::string& prefix, std::uint64_t epoch_ns);

}  // namespace saker::syscall
