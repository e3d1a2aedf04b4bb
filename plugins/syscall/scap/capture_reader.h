// CaptureReader: reads a .scap capture (plain, or gzip-compressed: detected by its magic
// bytes) and exposes its tables and its events.
//
// Format, in short: a sequence of blocks, each "u32 type, u32 total length, body, u32 total
// length". The section header block comes first; then list blocks (machine info, interfaces,
// users, processes, fds: their versions are in block_types.h); then event blocks, each a u16
// CPU id, for "flags" blocks a u32 of flags, and one event (event_header.h). Old captures use
// v1 event blocks whose events lack the nparams header field; the reader rebuilds it so that
// every event it hands out has the current layout.
//
// The whole (decompressed) capture is held in memory; events are views into it, except
// converted v1 events, which live in a scratch buffer. A view returned by next() stays valid
// until the following call to next() (or the reader's destruction).
//
// Errors: a malformed or truncated capture throws CaptureError whose offset() is the position
// in the decompressed stream. Reading never goes outside the buffer.
// Thread-safety: one reader per thread; distinct readers are independent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture_types.h"
#include "event_view.h"

namespace saker::syscall::scap {

struct ReaderOptions {
  // Upper bound on the decompressed size of a gzip capture (protects against gzip bombs).
  std::uint64_t max_decompressed_bytes = std::uint64_t{4} << 30;
};

// One event as read from the capture.
struct CapturedEvent {
  EventView view;
  std::uint16_t cpu = 0;
  std::uint32_t flags = 0;   // from "event with flags" blocks, else 0
  std::uint64_t offset = 0;  // stream offset of the event's block
};

class CaptureReader {
 public:
  // Reads and parses the file's header and list blocks. Throws CaptureError.
  static CaptureReader open(const std::string& path, const ReaderOptions& opts = {});
  // Same, from bytes in memory (copied; plain or gzip).
  static CaptureReader from_bytes(std::span<const std::uint8_t> bytes,
                                  const ReaderOptions& opts = {});

  // The next event, or nullopt at the end of the capture. List blocks met between events
  // update the tables below. Throws CaptureError on malformed input.
  std::optional<CapturedEvent> next();

  // Header information.
  std::uint16_t major_version() const noexcept { return major_; }
  std::uint16_t minor_version() const noexcept { return minor_; }
  bool was_gzip() const noexcept { return gzip_; }

  // Tables from the list blocks (complete once the first event is read; they are filled in
  // by open() for captures whose lists all precede the events, i.e. all usual ones).
  const std::optional<MachineInfo>& machine_info() const noexcept { return machine_; }
  const std::vector<ProcessEntry>& processes() const noexcept { return procs_; }
  const ProcessEntry* find_process(std::uint64_t tid) const noexcept;
  const std::vector<UserEntry>& users() const noexcept { return users_; }
  const std::vector<GroupEntry>& groups() const noexcept { return groups_; }
  const std::vector<InterfaceEntry>& interfaces() const noexcept { return ifaces_; }

  // Events read so far and events skipped because their type is beyond the event table.
  std::uint64_t events_read() const noexcept { return events_read_; }
  std::uint64_t events_skipped() const noexcept { return events_skipped_; }

 private:
  CaptureReader() = default;
  void parse_section_header();
  void parse_metadata();
  // Parses the block at pos_ if it is a list block; returns false for event blocks.
  bool consume_list_block();
  std::optional<CapturedEvent> decode_event_block(std::uint32_t type,
                                                  std::span<const std::uint8_t> body,
                                                  std::uint64_t at);
  std::span<const std::uint8_t> convert_v1_event(std::span<const std::uint8_t> ev,
                                                 std::uint64_t at);

  std::vector<std::uint8_t> data_;
  std::size_t pos_ = 0;
  bool gzip_ = false;
  std::uint16_t major_ = 0, minor_ = 0;
  std::optional<MachineInfo> machine_;
  std::vector<ProcessEntry> procs_;
  std::unordered_map<std::uint64_t, std::size_t> proc_index_;
  std::vector<UserEntry> users_;
  std::vector<GroupEntry> groups_;
  std::vector<InterfaceEntry> ifaces_;
  std::vector<std::uint8_t> scratch_;
  std::uint64_t events_read_ = 0, events_skipped_ = 0;
};

}  // namespace saker::syscall::scap
