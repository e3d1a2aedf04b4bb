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
// The fd entries of an fd list after its tid (read by the caller), or some of them (the
// budget), appended to `out`; with a null `out` (an unknown tid) they are parsed (checked)
// and dropped, as other readers do.
void parse_fd_entries(ByteCursor& c, bool v2, std::vector<FdEntry>* out, EntryBudget& budget);
void parse_iflist(ByteCursor& c, bool v2, std::vector<InterfaceEntry>& out,
                  EntryBudget& budget);
void parse_userlist(ByteCursor& c, bool v2, std::vector<UserEntry>& users,
                    std::vector<GroupEntry>& groups, EntryBudget& budget);

}  // namespace saker::syscall::scap::lists
