// Users and groups (see user_table.h).
#include "user_table.h"

namespace saker::syscall {

void UserTable::add_user(const scap::UserEntry& u) {
  if (users_.size() >= max_ && !users_.count(u.uid)) {
    counters_->users_dropped++;
    return;
  }
  users_[u.uid] = u;
}

void UserTable::add_group(const scap::GroupEntry& g) {
  if (groups_.size() >= max_ && !groups_.count(g.gid)) {
    counters_->users_dropped++;
    return;
  }
  groups_[g.gid] = g;
}

const scap::UserEntry* UserTable::user(std::uint32_t uid) const {
  auto it = users_.find(uid);
  return it == users_.end() ? nullptr : &it->second;
}

const scap::GroupEntry* UserTable::group(std::uint32_t gid) const {
  auto it = groups_.find(gid);
  return it == groups_.end() ? nullptr : &it->second;
}

}  // namespace saker::syscall
