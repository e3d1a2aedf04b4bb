// user.* and group.* fields: the thread's (effective) user and group, and its login user.
#include "field_table.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

// A user or group the tables do not know is named "<NA>" (libsinsp's placeholder entry);
// there is no value only when the thread itself is unknown.
constexpr const char* kUnknownName = "<NA>";

void set_known(const FieldCtx& c, const std::string* s) {
  if (s) return c.req.set_ref(*s);
  c.req.set_ref(kUnknownName);
}

const scap::UserEntry* user_of(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  return t ? c.state.users().user(t->uid) : nullptr;
}

void uid(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(static_cast<std::uint64_t>(t->uid));
}
void name(const FieldCtx& c) {
  if (!c.thread()) return;
  auto* u = user_of(c);
  set_known(c, u ? &u->name : nullptr);
}
void homedir(const FieldCtx& c) {
  if (!c.thread()) return;
  auto* u = user_of(c);
  set_known(c, u ? &u->home : nullptr);
}
void shell(const FieldCtx& c) {
  if (!c.thread()) return;
  auto* u = user_of(c);
  set_known(c, u ? &u->shell : nullptr);
}
// Falco shows an unset login uid (UINT32_MAX) as -1.
void loginuid(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t) return;
  c.req.set(t->loginuid == UINT32_MAX ? std::int64_t{-1} : std::int64_t{t->loginuid});
}
void loginname(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t) return;
  auto* u = t->loginuid == UINT32_MAX ? nullptr : c.state.users().user(t->loginuid);
  set_known(c, u ? &u->name : nullptr);
}
void gid(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(static_cast<std::uint64_t>(t->gid));
}
void group_name(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t) return;
  auto* g = c.state.users().group(t->gid);
  set_known(c, g ? &g->name : nullptr);
}

}  // namespace

std::vector<FieldEntry> user_fields() {
  using FT = FieldType;
  return {
      field("user.uid", FT::kU64, "User id.", &uid),
      field("user.name", FT::kString, "User name (<NA> for a user the tables do not know).", &name),
      field("user.homedir", FT::kString, "Home directory of the user.", &homedir),
      field("user.shell", FT::kString, "Login shell of the user.", &shell),
      field("user.loginuid", FT::kS64, "Audit login user id (-1 when unset).", &loginuid),
      field("user.loginname", FT::kString, "Name of the audit login user (<NA> when unset).",
            &loginname),
      field("group.gid", FT::kU64, "Group id.", &gid),
      field("group.name", FT::kString, "Group name (<NA> for a group the tables do not know).",
            &group_name),
  };
}

}  // namespace saker::syscall::fields
