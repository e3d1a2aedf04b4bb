// proc.* fields about the process itself (its main thread's state) and its parent.
#include "field_table.h"
#include "state/paths.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

// Most proc.* fields read the event's thread: clone and execve keep the per-thread copy of
// the process data current, as libsinsp does.
#define SAKER_THREAD_OR_RETURN(t) \
  ThreadInfo* t = c.thread();     \
  if (!t) return

void proc_name(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  set_nonempty(c, t->comm);
}
void proc_exe(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  set_nonempty(c, t->exe);
}
// "" when the path is unknown, as libsinsp gives it.
void proc_exepath(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set_ref(t->exepath);
}
void proc_args(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(join(t->args, " "));
}
void proc_cmdline(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (!t->comm.empty()) c.req.set_ref(cmdline(*t));
}
void proc_exeline(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  std::string s = t->exe;
  for (const auto& a : t->args) s += " " + a;
  set_nonempty(c, std::string_view(s));  // a copy: `s` dies with this call
}
void proc_pid(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->pid);
}
// The process's parent pid (for a thread, its main thread's); no value when unknown (-1),
// 0 (the idle task, parent of init and kthreadd) or when the main thread is unknown, as
// libsinsp gives it.
void proc_ppid(const FieldCtx& c) {
  ThreadInfo* m = c.process();
  if (m && m->ptid > 0) c.req.set(m->ptid);
}
void proc_vpid(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->vpid >= 0) c.req.set(t->vpid);
}
// The main thread's directory ("" when unknown); "./" for a thread whose process is
// unknown (libsinsp's answer for a thread first met in the middle of a capture).
void proc_cwd(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  ThreadInfo* m = c.process();  // the thread itself when its main thread is unknown
  if (m == t && !t->is_main_thread()) return c.req.set_ref("./", 2);
  c.req.set_ref(m->cwd);
}
void proc_tty(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(static_cast<std::uint64_t>(t->tty));
}
// -1 when unknown, as libsinsp shows them.
void proc_sid(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->sid);
}
void proc_vpgid(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->vpgid);
}
void proc_is_vpgid_leader(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->vpgid >= 0 && t->vpid >= 0) c.req.set(t->vpid == t->vpgid);
}

// proc.env: the whole environment; proc.env[NAME]: one variable's value.
void proc_env(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  const std::vector<std::string>& env = t->env.empty() && c.process() ? c.process()->env : t->env;
  if (!c.has_arg) return c.req.set(join(env, " "));
  for (const auto& e : env) {
    if (e.size() > c.key.size() && e.compare(0, c.key.size(), c.key) == 0 &&
        e[c.key.size()] == '=') {
      return c.req.set(std::string_view(e).substr(c.key.size() + 1));
    }
  }
}

void proc_is_exe_writable(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->exe_writable);
}
void proc_is_exe_upper_layer(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->exe_upper_layer);
}
void proc_is_exe_from_memfd(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  c.req.set(t->exe_from_memfd);
}
void proc_exe_ino(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->exe_ino) c.req.set(t->exe_ino);
}
void proc_exe_ino_ctime(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->exe_ino_ctime) c.req.set(t->exe_ino_ctime);
}
void proc_exe_ino_mtime(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->exe_ino_mtime) c.req.set(t->exe_ino_mtime);
}
void proc_exe_ino_ctime_duration_proc_start(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->exe_ino_ctime && t->clone_ts >= t->exe_ino_ctime) {
    c.req.set(t->clone_ts - t->exe_ino_ctime);
  }
}
void proc_exe_ino_ctime_duration_pidns_start(const FieldCtx& c) {
  SAKER_THREAD_OR_RETURN(t);
  if (t->exe_ino_ctime && t->pidns_init_start_ts >= t->exe_ino_ctime) {
    c.req.set(t->pidns_init_start_ts - t->exe_ino_ctime);
  }
}
void proc_duration(const FieldCtx& c) {
  ThreadInfo* m = c.process();
  if (m && m->clone_ts && c.ec.evt.ts() >= m->clone_ts) c.req.set(c.ec.evt.ts() - m->clone_ts);
}
void proc_ppid_duration(const FieldCtx& c) {
  ThreadInfo* p = c.parent();
  if (p && p->clone_ts && c.ec.evt.ts() >= p->clone_ts) c.req.set(c.ec.evt.ts() - p->clone_ts);
}
void proc_vmsize(const FieldCtx& c) {
  if (ThreadInfo* m = c.process()) c.req.set(static_cast<std::uint64_t>(m->vmsize_kb));
}
void proc_vmrss(const FieldCtx& c) {
  if (ThreadInfo* m = c.process()) c.req.set(static_cast<std::uint64_t>(m->vmrss_kb));
}
void proc_vmswap(const FieldCtx& c) {
  if (ThreadInfo* m = c.process()) c.req.set(static_cast<std::uint64_t>(m->vmswap_kb));
}
void proc_fdlimit(const FieldCtx& c) {
  if (ThreadInfo* m = c.process()) c.req.set(m->fdlimit);
}

}  // namespace

std::vector<FieldEntry> proc_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("proc.name", FT::kString, "Name of the executable (the kernel's comm).", &proc_name),
      field("proc.exe", FT::kString, "First command-line argument (argv[0]) as given.", &proc_exe),
      field("proc.exepath", FT::kString, "Full path of the executable (\"\" when unknown).",
            &proc_exepath),
      field("proc.args", FT::kString, "Command-line arguments after argv[0], space-separated.",
            &proc_args),
      field("proc.cmdline", FT::kString, "proc.name followed by the arguments.", &proc_cmdline),
      field("proc.exeline", FT::kString, "proc.exe followed by the arguments.", &proc_exeline),
      field("proc.pid", FT::kS64,
            "Process id (-1 for a thread first met mid-capture whose process is unknown).",
            &proc_pid),
      field("proc.ppid", FT::kS64, "Parent process id (no value when unknown or 0).", &proc_ppid),
      field("proc.vpid", FT::kS64, "Process id in its pid namespace.", &proc_vpid),
      field("proc.cwd", FT::kString,
            "Current working directory, with a trailing / (\"\" when unknown).", &proc_cwd),
      field("proc.tty", FT::kU64, "Controlling terminal (0 when none).", &proc_tty),
      field("proc.sid", FT::kS64, "Session id (-1 when unknown).", &proc_sid),
      field("proc.vpgid", FT::kS64, "Process group id in the pid namespace (-1 when unknown).",
            &proc_vpgid),
      field("proc.is_vpgid_leader", FT::kBool, "True if the process leads its process group.",
            &proc_is_vpgid_leader),
      field("proc.env", FT::kString,
            "Environment variables, space-separated; proc.env[NAME] gives one value.", &proc_env),
      field("proc.is_exe_writable", FT::kBool,
            "True if the executable is writable by the process's user.", &proc_is_exe_writable),
      field("proc.is_exe_upper_layer", FT::kBool,
            "True if the executable lives in the upper layer of an overlay filesystem.",
            &proc_is_exe_upper_layer),
      field("proc.is_exe_from_memfd", FT::kBool, "True if the executable is a memfd file.",
            &proc_is_exe_from_memfd),
      field("proc.exe_ino", FT::kU64, "Inode number of the executable.", &proc_exe_ino),
      field("proc.exe_ino.ctime", FT::kAbsTime, "Last status change time of the executable.",
            &proc_exe_ino_ctime),
      field("proc.exe_ino.mtime", FT::kAbsTime, "Last modification time of the executable.",
            &proc_exe_ino_mtime),
      field("proc.exe_ino.ctime_duration_proc_start", FT::kRelTime,
            "Time between the executable's ctime and the process start.",
            &proc_exe_ino_ctime_duration_proc_start),
      field("proc.exe_ino.ctime_duration_pidns_start", FT::kRelTime,
            "Time between the executable's ctime and the start of the pid namespace.",
            &proc_exe_ino_ctime_duration_pidns_start),
      field("proc.duration", FT::kRelTime, "Time since the process started (ns).", &proc_duration),
      field("proc.ppid.duration", FT::kRelTime, "Time since the parent process started (ns).",
            &proc_ppid_duration),
      field("proc.vmsize", FT::kU64, "Virtual memory size (kB).", &proc_vmsize),
      field("proc.vmrss", FT::kU64, "Resident memory size (kB).", &proc_vmrss),
      field("proc.vmswap", FT::kU64, "Swapped memory size (kB).", &proc_vmswap),
      field("proc.fdlimit", FT::kU64, "Maximum number of descriptors the process may open.",
            &proc_fdlimit),
  };
  for (auto& f : v) {
    if (f.info.name == "proc.env") f.info.with_arg(sdk::ArgKind::kKey);
  }
  return v;
}

}  // namespace saker::syscall::fields
