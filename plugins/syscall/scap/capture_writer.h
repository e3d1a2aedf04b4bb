// CaptureWriter: writes a .scap capture in the current block versions (section header,
// machine info, interface list v2, user list v2, process list v9 + fd lists v2, event
// blocks v2 / v2-with-flags / large variants), plain or gzip-compressed. Files it writes open
// in sysdig and Falco, and read back through CaptureReader into the same events.
//
// Usage: construct (opens the file), write_header(...) once, then write_event() per event,
// then close() (the destructor closes too, swallowing errors; call close() to see them).
// Errors throw CaptureError (offset = bytes written so far). One writer per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "capture_types.h"
#include "event_view.h"

namespace saker::syscall::scap {

struct WriterOptions {
  bool gzip = false;
};

// Everything written before the events.
struct CaptureTables {
  MachineInfo machine;
  std::vector<InterfaceEntry> interfaces;
  std::vector<UserEntry> users;
  std::vector<GroupEntry> groups;
  std::vector<ProcessEntry> processes;  // with their fds
};

class CaptureWriter {
 public:
  explicit CaptureWriter(const std::string& path, const WriterOptions& opts = {});
  ~CaptureWriter();
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;

  void write_header(const CaptureTables& tables);
  // `event` must be in the current layout (any EventView is).
  void write_event(const EventView& event, std::uint16_t cpu, std::uint32_t flags = 0);
  void close();

  std::uint64_t bytes_written() const noexcept { return written_; }

 private:
  void write_block(std::uint32_t type, const std::vector<std::uint8_t>& body);
  void write_raw(const void* p, std::size_t n);

  struct Sink;
  std::unique_ptr<Sink> sink_;
  std::uint64_t written_ = 0;
};

}  // namespace saker::syscall::scap
