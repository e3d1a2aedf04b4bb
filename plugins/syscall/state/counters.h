// Counters of the state tables, exported as plugin metrics (see plugin.cpp). Plain
// integers owned by the State; only the parsing thread writes them.
#pragma once

#include <cstdint>

namespace saker::syscall {

struct StateCounters {
  std::uint64_t threads_added = 0;
  std::uint64_t threads_removed = 0;
  std::uint64_t threads_evicted = 0;  // dropped because the thread table was full
  std::uint64_t thread_misses = 0;    // events of a thread the table did not know
  std::uint64_t fds_added = 0;
  std::uint64_t fds_removed = 0;
  std::uint64_t fds_dropped = 0;    // not stored because a process's fd table was full
  std::uint64_t fd_misses = 0;      // events on an fd the table did not know
  std::uint64_t users_dropped = 0;  // not stored because the user table was full
  std::uint64_t bad_events = 0;     // events that failed validation
};

}  // namespace saker::syscall
