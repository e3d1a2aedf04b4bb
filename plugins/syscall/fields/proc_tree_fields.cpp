// proc.* fields about relatives: parent (pname, pcmdline, ...), ancestors by level
// (aname[N] ...), session leader (sname), process group leader (vpgid.name) and the login
// shell (loginshellid).
#include <array>
#include <charconv>

#include "field_table.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

constexpr int kMaxDepth = 64;  // guards against parent cycles in inconsistent state

// Ancestor `level` of the event's thread (0 = the thread itself).
ThreadInfo* ancestor(const FieldCtx& c, std::uint32_t level) {
  ThreadInfo* t = c.thread();
  for (std::uint32_t i = 0; t && i < level && i < kMaxDepth; ++i) t = c.state.threads().parent(t);
  return t;
}

void p_name(const FieldCtx& c) {
  if (ThreadInfo* p = c.parent()) set_nonempty(c, p->comm);
}
void p_cmdline(const FieldCtx& c) {
  ThreadInfo* p = c.parent();
  if (p && !p->comm.empty()) c.req.set_ref(cmdline(*p));
}
void p_exe(const FieldCtx& c) {
  if (ThreadInfo* p = c.parent()) set_nonempty(c, p->exe);
}
void p_exepath(const FieldCtx& c) {
  if (ThreadInfo* p = c.parent()) set_nonempty(c, p->exepath);
}
void p_vpid(const FieldCtx& c) {
  ThreadInfo* p = c.parent();
  if (p && p->vpid >= 0) c.req.set(p->vpid);
}
// With an index (aname[N]) one ancestor; without, Falco's "any ancestor": every ancestor
// from the parent up, as a list the rule compiler tests with any-match semantics.
bool has_level(const FieldCtx& c) { return c.has_arg && !c.key.empty(); }
std::uint32_t level_of(const FieldCtx& c) {
  std::uint32_t level = 0;  // a malformed index reads as 0, the process itself
  std::from_chars(c.key.data(), c.key.data() + c.key.size(), level);
  return level;
}

// The ancestor names: one (indexed) or all from the parent up, empty names skipped.
void a_name(const FieldCtx& c) {
  if (has_level(c)) {
    if (ThreadInfo* a = ancestor(c, level_of(c))) set_nonempty(c, a->comm);
    return;
  }
  std::array<std::string_view, kMaxDepth> vals;
  std::size_t n = 0;
  ThreadInfo* a = c.parent();
  for (int i = 0; a && i < kMaxDepth; ++i, a = c.state.threads().parent(a)) {
    if (!a->comm.empty()) vals[n++] = a->comm;
    if (n && !c.list) break;  // single-valued: the parent
  }
  if (n) c.req.set_strings(vals.data(), n);
}
void a_pid(const FieldCtx& c) {
  if (has_level(c)) {
    if (ThreadInfo* a = ancestor(c, level_of(c))) c.req.set(a->pid);
    return;
  }
  std::array<std::uint64_t, kMaxDepth> pids;
  std::size_t n = 0;
  ThreadInfo* a = c.parent();
  for (int i = 0; a && i < kMaxDepth; ++i, a = c.state.threads().parent(a)) {
    pids[n++] = static_cast<std::uint64_t>(a->pid);
    if (!c.list) break;
  }
  if (n) c.req.set_numbers(pids.data(), n);
}
// aexe, aexepath, acmdline stay single-valued: without index, the parent.
ThreadInfo* one_ancestor(const FieldCtx& c) { return ancestor(c, has_level(c) ? level_of(c) : 1); }
void a_exe(const FieldCtx& c) {
  if (ThreadInfo* a = one_ancestor(c)) set_nonempty(c, a->exe);
}
void a_exepath(const FieldCtx& c) {
  if (ThreadInfo* a = one_ancestor(c)) set_nonempty(c, a->exepath);
}
void a_cmdline(const FieldCtx& c) {
  ThreadInfo* a = one_ancestor(c);
  if (a && !a->comm.empty()) c.req.set_ref(cmdline(*a));
}

// The session leader: the closest ancestor (or self) whose pid is the session id.
ThreadInfo* session_leader(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t || t->sid < 0) return nullptr;
  for (int i = 0; t && i < kMaxDepth; ++i, t = c.state.threads().parent(t)) {
    if (t->pid == t->sid) return t;
  }
  return c.state.threads().find(c.thread()->sid);
}
void s_name(const FieldCtx& c) {
  if (ThreadInfo* s = session_leader(c)) set_nonempty(c, s->comm);
}
void s_exe(const FieldCtx& c) {
  if (ThreadInfo* s = session_leader(c)) set_nonempty(c, s->exe);
}

ThreadInfo* group_leader(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t || t->vpgid < 0) return nullptr;
  for (int i = 0; t && i < kMaxDepth; ++i, t = c.state.threads().parent(t)) {
    if (t->vpid == c.thread()->vpgid || t->pid == c.thread()->vpgid) return t;
  }
  return nullptr;
}
void vpgid_name(const FieldCtx& c) {
  if (ThreadInfo* g = group_leader(c)) set_nonempty(c, g->comm);
}
void vpgid_exe(const FieldCtx& c) {
  if (ThreadInfo* g = group_leader(c)) set_nonempty(c, g->exe);
}

// The pid of the outermost ancestor (or self) that is a shell: a comm ending in "sh".
void loginshellid(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  std::int64_t found = -1;
  for (int i = 0; t && i < kMaxDepth; ++i, t = c.state.threads().parent(t)) {
    std::string_view n = t->comm;
    if (n.size() >= 2 && n.substr(n.size() - 2) == "sh") found = t->pid;
  }
  if (found >= 0) c.req.set(found);
}

FieldEntry indexed(FieldEntry f) {
  f.info.with_arg(sdk::ArgKind::kIndex);
  return f;
}

}  // namespace

std::vector<FieldEntry> proc_tree_fields() {
  using FT = FieldType;
  return {
      field("proc.pname", FT::kString, "Name of the parent process.", &p_name),
      field("proc.pcmdline", FT::kString, "Command line of the parent process.", &p_cmdline),
      field("proc.pexe", FT::kString, "argv[0] of the parent process.", &p_exe),
      field("proc.pexepath", FT::kString, "Executable path of the parent process.", &p_exepath),
      field("proc.pvpid", FT::kS64, "Parent process id in its pid namespace.", &p_vpid),
      indexed(field("proc.aname", FT::kString,
                    "Name of an ancestor: proc.aname[1] is the parent, [2] the grandparent, "
                    "[0] the process itself; without index, every ancestor as a "
                    "list with fields.any_match_lists (any-match), else the parent.",
                    &a_name))
          .with_list(),
      indexed(field("proc.apid", FT::kS64,
                    "Pid of an ancestor (same levels and list as proc.aname).", &a_pid))
          .with_list(),
      indexed(field("proc.aexe", FT::kString, "argv[0] of an ancestor.", &a_exe)),
      indexed(field("proc.aexepath", FT::kString, "Executable path of an ancestor.", &a_exepath)),
      indexed(field("proc.acmdline", FT::kString, "Command line of an ancestor.", &a_cmdline)),
      field("proc.sname", FT::kString, "Name of the session leader.", &s_name),
      field("proc.sid.exe", FT::kString, "argv[0] of the session leader.", &s_exe),
      field("proc.vpgid.name", FT::kString, "Name of the process group leader.", &vpgid_name),
      field("proc.vpgid.exe", FT::kString, "argv[0] of the process group leader.", &vpgid_exe),
      field("proc.loginshellid", FT::kS64,
            "Pid of the outermost shell among the process and its ancestors.", &loginshellid),
  };
}

}  // namespace saker::syscall::fields
