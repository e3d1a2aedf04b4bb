// Parsers of process life-cycle events: clone/fork/vfork/clone3 (new threads and
// processes), execve/execveat (a new program), procexit, chdir/fchdir.
#include "../paths.h"
#include "parsers.h"

namespace saker::syscall::parsers {
namespace {

// The parameters these parsers read, their indexes per event type found once.
const ParamKey kArg_args{"args"};
const ParamKey kArg_cap_effective{"cap_effective"};
const ParamKey kArg_cap_inheritable{"cap_inheritable"};
const ParamKey kArg_cap_permitted{"cap_permitted"};
const ParamKey kArg_cgroups{"cgroups"};
const ParamKey kArg_comm{"comm"};
const ParamKey kArg_dirfd{"dirfd"};
const ParamKey kArg_env{"env"};
const ParamKey kArg_exe{"exe"};
const ParamKey kArg_exe_ino{"exe_ino"};
const ParamKey kArg_exe_ino_ctime{"exe_ino_ctime"};
const ParamKey kArg_exe_ino_mtime{"exe_ino_mtime"};
const ParamKey kArg_fdlimit{"fdlimit"};
const ParamKey kArg_filename{"filename"};
const ParamKey kArg_flags{"flags"};
const ParamKey kArg_gid{"gid"};
const ParamKey kArg_loginuid{"loginuid"};
const ParamKey kArg_path{"path"};
const ParamKey kArg_pathname{"pathname"};
const ParamKey kArg_pid{"pid"};
const ParamKey kArg_pidns_init_start_ts{"pidns_init_start_ts"};
const ParamKey kArg_ptid{"ptid"};
const ParamKey kArg_reaper_tid{"reaper_tid"};
const ParamKey kArg_tid{"tid"};
const ParamKey kArg_trusted_exepath{"trusted_exepath"};
const ParamKey kArg_tty{"tty"};
const ParamKey kArg_uid{"uid"};
const ParamKey kArg_vm_rss{"vm_rss"};
const ParamKey kArg_vm_size{"vm_size"};
const ParamKey kArg_vm_swap{"vm_swap"};
const ParamKey kArg_vpgid{"vpgid"};
const ParamKey kArg_vpid{"vpid"};
const ParamKey kArg_vtid{"vtid"};


constexpr std::uint32_t kCloneFiles = 1u << 0;    // PPM_CL_CLONE_FILES
constexpr std::uint32_t kCloneThread = 1u << 13;  // PPM_CL_CLONE_THREAD
constexpr std::uint32_t kExeWritable = 1u << 0;
constexpr std::uint32_t kExeUpperLayer = 1u << 1;
constexpr std::uint32_t kExeFromMemfd = 1u << 2;

// The list parameter `name` into `l`, kept as it is when it holds the same bytes (a fork's
// child event, an execve keeping its environment). Returns whether it changed; an absent
// parameter gives an empty list.
bool assign_list(const EventContext& ctx, const ParamKey& name, StringList& l) {
  std::string_view s;
  if (ArgRef a = ctx.arg(name)) {
    auto raw = a.view->param(a.index);
    s = std::string_view(reinterpret_cast<const char*>(raw.data()), raw.size());
  }
  if (l.same_bytes(s)) return false;
  l = StringList::from_nul_list(s);
  return true;
}

// Fill the program-related members of `t` from a clone or execve exit event. The events'
// cwd parameter is not used, as libsinsp does not: a process's directory is inherited at
// clone and changed by chdir/fchdir; one first met at its execve has none ("").
void apply_program(const EventContext& ctx, ThreadInfo& t) {
  if (auto exe = ctx.arg_str(kArg_exe)) t.exe.assign(*exe);
  bool cmdline_changed = assign_list(ctx, kArg_args, t.args);
  if (auto comm = ctx.arg_str(kArg_comm); comm && t.comm != *comm) {
    t.comm.assign(*comm);
    cmdline_changed = true;
  }
  // The command line is comm and args: rebuilt only when either changed (or was never built).
  if (cmdline_changed || t.cmdline.empty()) t.update_cmdline();
  if (auto v = ctx.arg_uint(kArg_fdlimit)) t.fdlimit = *v;
  if (ctx.arg(kArg_env)) assign_list(ctx, kArg_env, t.env);
  if (auto v = ctx.arg_uint(kArg_vm_size)) t.vmsize_kb = static_cast<std::uint32_t>(*v);
  if (auto v = ctx.arg_uint(kArg_vm_rss)) t.vmrss_kb = static_cast<std::uint32_t>(*v);
  if (auto v = ctx.arg_uint(kArg_vm_swap)) t.vmswap_kb = static_cast<std::uint32_t>(*v);
  if (ArgRef a = ctx.arg(kArg_cgroups); a && !a.view->param(a.index).empty()) {
    auto raw = a.view->param(a.index);
    t.cgroups.assign(reinterpret_cast<const char*>(raw.data()), raw.size());
  }
  if (auto v = ctx.arg_uint(kArg_pidns_init_start_ts)) t.pidns_init_start_ts = *v;
}

// The child of a clone, as seen from the parent's exit event (res = child tid).
void add_child_from_parent(State& st, EventContext& ctx, std::int64_t child_tid) {
  ThreadInfo* parent = ctx.thread;
  if (!parent || st.threads().find(child_tid)) return;
  const std::uint32_t flags = static_cast<std::uint32_t>(ctx.arg_uint(kArg_flags).value_or(0));
  auto c = std::make_unique<ThreadInfo>(*parent);
  c->tid = child_tid;
  c->exited = false;
  if (flags & kCloneThread) {
    c->pid = parent->pid;
    c->ptid = parent->ptid;
  } else {
    c->pid = child_tid;
    c->ptid = parent->pid;
  }
  c->fds = (flags & kCloneFiles) ? parent->fds : parent->fds->clone();
  c->clone_ts = ctx.evt.ts();
  c->last_ts = ctx.evt.ts();
  st.threads().add(std::move(c));
}

// The child's own exit event of the clone (res = 0): the parameters describe the child.
void init_child(State& st, EventContext& ctx) {
  auto tid = ctx.arg_int(kArg_tid).value_or(static_cast<std::int64_t>(ctx.evt.tid()));
  ThreadInfo* t = ctx.thread;
  const bool fresh = !t || t->clone_ts == 0;
  if (!t) t = st.ensure_thread(tid, ctx.evt.ts());
  t->pid = ctx.arg_int(kArg_pid).value_or(t->pid);
  st.threads().set_ptid(t, ctx.arg_int(kArg_ptid).value_or(t->ptid));
  ThreadInfo* parent = st.threads().find(t->ptid);
  if (fresh && parent && parent != t) {
    const std::uint32_t flags = static_cast<std::uint32_t>(ctx.arg_uint(kArg_flags).value_or(0));
    if (t->fds->size() == 0) t->fds = (flags & kCloneFiles) ? parent->fds : parent->fds->clone();
    t->sid = parent->sid;
    t->vpgid = parent->vpgid;
    t->loginuid = parent->loginuid;
    t->tty = parent->tty;
    t->exepath = parent->exepath;
    t->cwd = std::string(st.cwd_of(parent));
    t->env = parent->env;
    t->cap_effective = parent->cap_effective;
    t->cap_permitted = parent->cap_permitted;
    t->cap_inheritable = parent->cap_inheritable;
  }
  apply_program(ctx, *t);
  t->uid = static_cast<std::uint32_t>(ctx.arg_uint(kArg_uid).value_or(t->uid));
  t->gid = static_cast<std::uint32_t>(ctx.arg_uint(kArg_gid).value_or(t->gid));
  t->vtid = ctx.arg_int(kArg_vtid).value_or(t->vtid);
  t->vpid = ctx.arg_int(kArg_vpid).value_or(t->vpid);
  if (t->clone_ts == 0) t->clone_ts = ctx.evt.ts();
  ctx.thread = t;
}

void parse_clone(State& st, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0) return;
  if (*res == 0) {
    init_child(st, ctx);
  } else {
    add_child_from_parent(st, ctx, *res);
  }
}

// Only the exit event's flags are the PPM_EXE_* bits (execveat's enter flags are AT_*).
void apply_exec_flags(const EventContext& ctx, ThreadInfo& t) {
  auto i = ctx.param_index(ctx.evt, "flags");
  auto flags = i ? ctx.evt.param_uint(*i) : std::nullopt;
  if (!flags) return;
  t.exe_writable = *flags & kExeWritable;
  t.exe_upper_layer = *flags & kExeUpperLayer;
  t.exe_from_memfd = *flags & kExeFromMemfd;
}

// The executable's full path: the driver's trusted path when present, else the enter
// event's filename resolved against the cwd (execveat: against its dirfd).
std::string exec_path(State& st, const EventContext& ctx) {
  if (auto p = ctx.arg_str(kArg_trusted_exepath); p && !p->empty()) return std::string(*p);
  if (auto f = ctx.arg_str(kArg_filename); f && !f->empty()) {
    return resolve_path(st.cwd_of(ctx.thread), *f);
  }
  if (auto f = ctx.arg_str(kArg_pathname); f && !f->empty()) {
    const std::string_view base = st.dirfd_path(ctx, ctx.arg_int(kArg_dirfd).value_or(-100));
    return resolve_path(base, *f);
  }
  return ctx.thread ? ctx.thread->exepath : std::string();
}

void parse_execve(State& st, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res != 0 || !ctx.thread) return;
  ThreadInfo& t = *ctx.thread;
  t.exepath = exec_path(st, ctx);
  // A thread first met at its execve learns its process from the event; without
  // namespace ids in the event, its virtual ids are its ids (as libsinsp assumes).
  if (t.pid < 0) {
    if (auto i = ctx.param_index(ctx.evt, "pid"); i && ctx.evt.has_param(*i)) {
      t.pid = ctx.evt.param_int(*i).value_or(t.pid);
    }
  }
  if (t.vtid < 0 && !ctx.arg(kArg_vtid)) t.vtid = t.tid;
  if (t.vpid < 0 && !ctx.arg(kArg_vpid) && t.pid >= 0) t.vpid = t.pid;
  // The exit event's own pid/ptid (a thread first met at its execve learns its parent).
  if (auto i = ctx.param_index(ctx.evt, "ptid"); i && ctx.evt.has_param(*i)) {
    if (auto v = ctx.evt.param_int(*i); v && *v > 0) st.threads().set_ptid(&t, *v);
  }
  apply_program(ctx, t);
  if (auto v = ctx.arg_uint(kArg_tty)) t.tty = static_cast<std::uint32_t>(*v);
  // The group id in the process's own pid namespace; captures of the first execve 19 layout
  // have it at the same position under the name "pgid" (the table now names it "vpgid", and
  // "pgid" is the initial-namespace id that current drivers append).
  if (auto v = ctx.arg_int(kArg_vpgid)) t.vpgid = *v;
  if (auto v = ctx.arg_uint(kArg_loginuid)) t.loginuid = static_cast<std::uint32_t>(*v);
  if (auto v = ctx.arg_uint(kArg_uid); v && ctx.param_index(ctx.evt, "uid")) {
    t.uid = static_cast<std::uint32_t>(*v);
  }
  if (auto v = ctx.arg_uint(kArg_gid); v && ctx.param_index(ctx.evt, "gid")) {
    t.gid = static_cast<std::uint32_t>(*v);
  }
  if (auto v = ctx.arg_uint(kArg_cap_inheritable)) t.cap_inheritable = *v;
  if (auto v = ctx.arg_uint(kArg_cap_permitted)) t.cap_permitted = *v;
  if (auto v = ctx.arg_uint(kArg_cap_effective)) t.cap_effective = *v;
  if (auto v = ctx.arg_uint(kArg_exe_ino)) t.exe_ino = *v;
  if (auto v = ctx.arg_uint(kArg_exe_ino_ctime)) t.exe_ino_ctime = *v;
  if (auto v = ctx.arg_uint(kArg_exe_ino_mtime)) t.exe_ino_mtime = *v;
  apply_exec_flags(ctx, t);
  t.fds->remove_cloexec();
}

void parse_procexit(State& st, EventContext& ctx) {
  if (!ctx.thread) return;
  auto reaper = ctx.arg_int(kArg_reaper_tid);
  // Children of the exiting thread are re-parented, to the reaper the kernel named when
  // the event says so, else to init.
  std::int64_t new_parent = (reaper && *reaper > 0) ? *reaper : 1;
  st.threads().reparent_children(ctx.thread->tid, new_parent);
  st.mark_exited(ctx.thread);
}

void set_cwd(State& st, ThreadInfo* t, const std::string& path) {
  if (!t || path.empty()) return;
  std::string cwd = path.back() == '/' ? path : path + "/";
  t->cwd = cwd;
  if (ThreadInfo* m = st.threads().main_thread(t)) m->cwd = cwd;
}

void parse_chdir(State& st, EventContext& ctx) {
  auto res = ctx.res();
  auto path = ctx.arg_str(kArg_path);
  if (!res || *res != 0 || !path) return;
  set_cwd(st, ctx.thread, resolve_path(st.cwd_of(ctx.thread), *path));
}

void parse_fchdir(State& st, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res != 0 || !ctx.fd) return;
  set_cwd(st, ctx.thread, ctx.fd->name);
}

}  // namespace

void register_process(ParserTable& t) {
  for (auto name : {"clone", "fork", "vfork", "clone3"}) on_event(t, name, &parse_clone);
  for (auto name : {"execve", "execveat"}) on_event(t, name, &parse_execve);
  on_event(t, "procexit", &parse_procexit, /*enter=*/true);
  on_event(t, "chdir", &parse_chdir);
  on_event(t, "fchdir", &parse_fchdir);
}

}  // namespace saker::syscall::parsers
