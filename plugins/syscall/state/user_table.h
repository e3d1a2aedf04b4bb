// UserTable: users and groups by id, seeded from a capture's user list (live engines will
// read /etc/passwd and /etc/group). Bounded like the other tables. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "capture_types.h"
#include "counters.h"

namespace saker::syscall {

class UserTable {
 public:
  UserTable(std::size_t max_entries, StateCounters* counters)
      : max_(max_entries), counters_(counters) {}
  void add_user(const scap::UserEntry& u);
  void add_group(const scap::GroupEntry& g);
  void remove_user(std::uint32_t uid) { users_.erase(uid); }
  void remove_group(std::uint32_t gid) { groups_.erase(gid); }
  const scap::UserEntry* user(std::uint32_t uid) const;
  const scap::GroupEntry* group(std::uint32_t gid) const;
  std::size_t num_users() const { return users_.size(); }

 private:
  std::size_t max_;
  StateCounters* counters_;
  std::unordered_map<std::uint32_t, scap::UserEntry> users_;
  std::unordered_map<std::uint32_t, scap::GroupEntry> groups_;
};

}  // namespace saker::syscall
