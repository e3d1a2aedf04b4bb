// Parsers for the list blocks of a capture (machine info, process list in versions 1-9,
// fd lists, interface lists, user lists). Each takes a cursor over one block body and throws
// CaptureError on anything malformed. Internal to CaptureReader.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "block_types.h"
#include "byte_cursor.h"
#include "capture_types.h"

namespace saker::syscall::scap::lists {

MachineInfo parse_machine_info(ByteCursor& c);
void parse_proclist(ByteCursor& c, int version, std::vector<ProcessEntry>& out);
// Appends the fds to the process with the block's tid (via `index`: tid -> position in
// procs); fds of an unknown tid are dropped, as other readers do.
void parse_fdlist(ByteCursor& c, bool v2, std::vector<ProcessEntry>& procs,
                  const std::unordered_map<std::uint64_t, std::size_t>& index);
void parse_iflist(ByteCursor& c, bool v2, std::vector<InterfaceEntry>& out);
void parse_userlist(ByteCursor& c, bool v2, std::vector<UserEntry>& users,
                    std::vector<GroupEntry>& groups);

}  // namespace saker::syscall::scap::lists
