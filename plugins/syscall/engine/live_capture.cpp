// Recording the live engine's events into rotating .scap files (see live_capture.h).
#include "live_capture.h"

#include <unistd.h>

#include <ctime>
#include <filesystem>

#include "event_payload.h"
#include "event_types.h"
#include "event_view.h"
#include "proc_scan.h"

namespace saker::syscall {

std::string capture_file_name(const std::string& prefix, std::uint64_t epoch_ns) {
  const std::time_t secs = static_cast<std::time_t>(epoch_ns / 1000000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char when[64];
  const std::size_t n = std::strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
  std::snprintf(when + n, sizeof when - n, ".%09lluZ",
                static_cast<unsigned long long>(epoch_ns % 1000000000));
  return prefix + "_" + when + ".scap";
}

LiveCapture::LiveCapture(const LiveCaptureConfig& cfg, const scap::CaptureTables& first_tables,
                         const sdk::Host& host, TablesSource later_tables)
    : cfg_(cfg), host_(host), later_tables_(std::move(later_tables)) {
  if (!later_tables_) later_tables_ = [] { return scan_host(); };
  if (cfg_.inlet) cfg_.inlet->capture_ = this;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  open_file(first_tables, static_cast<std::uint64_t>(
                              std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()));
}

LiveCapture::~LiveCapture() {
  if (cfg_.inlet && cfg_.inlet->capture_ == this) cfg_.inlet->capture_ = nullptr;
  close();
}

void CaptureInlet::write(std::span<const std::uint8_t> event) noexcept {
  if (capture_) capture_->write_event(event);
}

bool recorded_from_stream(std::uint16_t type) {
  using scap::EventType;
  return type == EventType::kAsynceventE || type == EventType::kContainerE ||
         type == EventType::kContainerJsonE || type == EventType::kContainerJsonV2E;
}

namespace {

// The process table as written into a capture's header:
// - saker's own process without the descriptors of its eBPF driver (maps, programs,
//   links): saker does not trace itself, so they never meet an event;
// - descriptor kinds newer than the classic scap set (bpf, userfaultfd, io_uring, pidfd,
//   memfd: types 17-21) written in the form older readers know: a memfd as a file (its
//   name, "/memfd:NAME (deleted)", kept), the others as "unsupported" with their name.
//   sysdig 0.29 refuses a whole capture at the first descriptor of a type it does not know
//   ("wrong fd type 21"), and any host with systemd holds pidfds. Replayed, such a
//   descriptor reads fd.type "file" or "unsupported" instead of its own kind; the events
//   that create these descriptors carry their kind as usual.
scap::CaptureTables for_capture_header(const scap::CaptureTables& tables) {
  scap::CaptureTables out = tables;
  const auto self = static_cast<std::uint64_t>(getpid());
  for (auto& p : out.processes) {
    if (p.pid == self) {
      std::erase_if(p.fds, [](const scap::FdEntry& f) { return f.type == scap::FdType::kBpf; });
    }
    for (auto& f : p.fds) {
      switch (f.type) {
        case scap::FdType::kMemfd:
          f.type = scap::FdType::kFileV2;
          break;
        case scap::FdType::kBpf:
        case scap::FdType::kUserfaultfd:
        case scap::FdType::kIoUring:
        case scap::FdType::kPidfd:
          f.type = scap::FdType::kUnsupported;
          break;
        default:
          break;
      }
    }
  }
  return out;
}

}  // namespace

void LiveCapture::open_file(const scap::CaptureTables& tables, std::uint64_t first_ts_ns) {
  std::string path = capture_file_name(cfg_.path_prefix, first_ts_ns);
  for (int i = 1; std::filesystem::exists(path); ++i) {  // two files in one nanosecond
    path = capture_file_name(cfg_.path_prefix, first_ts_ns) + "." + std::to_string(i);
  }
  auto writer = std::make_unique<scap::CaptureWriter>(path);
  writer->write_header(for_capture_header(tables));
  writer_ = std::move(writer);
  files_.push_back(path);
  file_first_ts_ = 0;
  host_.log(sdk::LogLevel::kInfo, "capture: recording to " + path);
}

bool LiveCapture::due_for_rotation(std::uint64_t ts) const {
  if (file_first_ts_ == 0) return false;  // every file gets at least one event
  if (cfg_.max_file_bytes && writer_->bytes_written() >= cfg_.max_file_bytes) return true;
  const auto span = std::chrono::nanoseconds(ts > file_first_ts_ ? ts - file_first_ts_ : 0);
  return cfg_.duration.count() > 0 && span >= cfg_.duration;
}

void LiveCapture::write(std::span<const std::uint8_t> record) noexcept {
  if (!writer_) return;
  const PayloadParts parts = split_payload(record);
  std::optional<scap::EventView> view = scap::EventView::make(parts.event);
  if (!view) {
    ++skipped_;
    return;
  }
  write_view(*view, parts.cpu.value_or(0));
}

void LiveCapture::write_event(std::span<const std::uint8_t> event) noexcept {
  if (!writer_) return;
  std::optional<scap::EventView> view = scap::EventView::make(event);
  if (!view) {
    ++skipped_;
    return;
  }
  write_view(*view, 0);
  try {
    if (carried_.size() == kCarriedEvents) carried_.pop_front();
    carried_.emplace_back(event.begin(), event.end());
  } catch (const std::exception&) {  // out of memory: later files go without them
    carried_.clear();
  }
}

void LiveCapture::write_view(const scap::EventView& view, std::uint16_t cpu) noexcept {
  try {
    if (due_for_rotation(view.ts())) {
      writer_->close();
      writer_.reset();
      open_file(later_tables_(), view.ts());
      for (const auto& ev : carried_) {  // checked when they were first written
        writer_->write_event(*scap::EventView::make(ev), 0);
        ++events_;
      }
    }
    writer_->write_event(view, cpu);
    if (file_first_ts_ == 0) file_first_ts_ = view.ts();
    ++events_;
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void LiveCapture::close() noexcept {
  if (!writer_) return;
  try {
    writer_->close();
  } catch (const std::exception& e) {
    fail(e.what());
    return;
  }
  writer_.reset();
  host_.log(sdk::LogLevel::kInfo, "capture: " + std::to_string(events_) + " events in " +
                                      std::to_string(files_.size()) + " file(s), last " +
                                      files_.back());
}

void LiveCapture::fail(const std::string& what) noexcept {
  try {
    host_.log(sdk::LogLevel::kError,
              "capture: stopped after " + std::to_string(events_) + " events: " + what);
  } catch (...) {
  }
  writer_.reset();  // the destructor swallows its own errors
}

}  // namespace saker::syscall
