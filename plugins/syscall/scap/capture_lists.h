// Parsers for the list blocks of a capture (machine info, process list in versions 1-9,
// fd lists, interface lists, user lists). Each takes a cursor over one block body and throws
// CaptureError on anything malformed. Internal to CaptureReader.
//
// Every entry a parser keeps (thread, fd, user, group, interface) is taken from an
// EntryBudget: once it is spent the parser stops, leaving the rest of the block unread (the
// reader warns). The budget also polls the stop check every kStopEvery entries.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "block_types.h"
#include "byte_cursor.h"
#include "capture_types.h"

namespace saker::syscall::scap::lists {

struct EntryBudget {
  static constexpr std::uint64_t kStopEvery = 4096;
  std::uint64_t left = 0;                      // entries that may still be kept
  const std::function<bool()>* stop = nullptr;  // polled; true throws CaptureInterrupted
  std::uint64_t seen = 0;                      // entries met (kept or not)
  bool spent = false;                          // an entry was refused

  // One more entry met at stream offset `at`: polls the stop check now and then.
  void tick(std::uint64_t at) {
    if ((++seen % kStopEvery) == 0 && stop && *stop && (*stop)()) {
      throw CaptureInterrupted("interrupted (stop requested) while reading the capture's lists",
                               at);
    }
  }
  // tick(), then true if the entry may be kept (false, once spent: stop parsing the block).
  bool take(std::uint64_t at) {
    tick(at);
    if (left == 0) {
      spent = true;
      return false;
    }
    --left;
    return true;
  }
};

MachineInfo parse_machine_info(ByteCursor& c);
void parse_proclist(ByteCursor& c, int version, std::vector<ProcessEntry>& out,
                    EntryBudget& budget);
// Appends the fds to the process with the block's tid (via `index`: tid -> position in
// procs); fds of an unknown tid are dropped, as other readers do.
void parse_fdlist(ByteCursor& c, bool v2, std::vector<ProcessEntry>& procs,
                  const std::unordered_map<std::uint64_t, std::size_t>& index,
                  EntryBudget& budget);
// The same after the block's tid (read by the caller): its entries, or some of them.
void parse_fd_entries(ByteCursor& c, bool v2, std::uint64_t tid, std::vector<ProcessEntry>& procs,
                      const std::unordered_map<std::uint64_t, std::size_t>& index,
                      EntryBudget& budget);
void parse_iflist(ByteCursor& c, bool v2, std::vector<InterfaceEntry>& out,
                  EntryBudget& budget);
void parse_userlist(ByteCursor& c, bool v2, std::vector<UserEntry>& users,
                    std::vector<GroupEntry>& groups, EntryBudget& budget);

}  // namespace saker::syscall::scap::lists
