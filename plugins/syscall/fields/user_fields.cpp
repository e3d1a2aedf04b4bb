// user.* and group.* fields: the thread's (effective) user and group, and its login user.
#include "field_table.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

const scap::UserEntry* user_of(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  return t ? c.state.users().user(t->uid) : nullptr;
}

void uid(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(static_cast<std::uint64_t>(t->uid));
}
void name(const FieldCtx& c) {
  if (auto* u = user_of(c)) set_nonempty(c, u->name);
}
void homedir(const FieldCtx& c) {
  if (auto* u = user_of(c)) set_nonempty(c, u->home);
}
void shell(const FieldCtx& c) {
  if (auto* u = user_of(c)) set_nonempty(c, u->shell);
}
// Falco shows an unset login uid (UINT32_MAX) as -1.
void loginuid(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t) return;
  c.req.set(t->loginuid == UINT32_MAX ? std::int64_t{-1} : std::int64_t{t->loginuid});
}
void loginname(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t || t->loginuid == UINT32_MAX) return;
  if (auto* u = c.state.users().user(t->loginuid)) set_nonempty(c, u->name);
}
void gid(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(static_cast<std::uint64_t>(t->gid));
}
void group_name(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t) return;
  if (auto* g = c.state.users().group(t->gid)) set_nonempty(c, g->name);
}

}  // namespace

std::vector<FieldEntry> user_fields() {
  using FT = FieldType;
  return {
      field("user.uid", FT::kU64, "User id.", &uid),
      field("user.name", FT::kString, "User name.", &name),
      field("user.homedir", FT::kString, "Home directory of the user.", &homedir),
      field("user.shell", FT::kString, "Login shell of the user.", &shell),
      field("user.loginuid", FT::kS64, "Audit login user id (-1 when unset).", &loginuid),
      field("user.loginname", FT::kString, "Name of the audit login user.", &loginname),
      field("group.gid", FT::kU64, "Group id.", &gid),
      field("group.name", FT::kString, "Group name.", &group_name),
  };
}

}  // namespace saker::syscall::fields
