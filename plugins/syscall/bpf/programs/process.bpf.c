/* process.bpf.c: exit events of execve/execveat (the new program, read from the task and
 * its executable file, never from argv alone) and of clone/fork/vfork/clone3 (sent by both
 * the parent, res = child tid, and the child, res = 0). */

/* Kernels with multigrain timestamps (6.13+) keep a flag (I_CTIME_QUERIED, bit 31) in the
 * top of i_ctime_nsec; valid nanoseconds fit in 30 bits, so the high bits are dropped. */
static __always_inline __u64 exec__time_ns(__s64 sec, __u32 nsec) {
  return (__u64)sec * 1000000000ull + (nsec & 0x3fffffffu);
}

/* `argv_arg`: the argument index of argv (envp follows it). A successful exec describes the
 * new program from the task; a failed one the program it was asked to run, from the
 * argv/envp arguments (the task still runs the old one), as scap does. */
static __always_inline int exec__emit(struct pt_regs *regs, __u16 type, long ret, int argv_arg) {
  struct task_struct *t = task__current();
  const bool execve = type == SAKER_EVT_EXECVE_19_X;
  struct saker_scratch *s = event__begin(type, execve ? 31 : 30, SAKER_DROP_BUFFER_PROC);
  if (!s) return 0;
  unsigned long envp = 0;
  event__push_s64(s, ret);
  if (ret == 0) {
    event__push_exe_and_args(s, t);
  } else {
    event__push_user_exe_and_args(s, syscall__arg(regs, argv_arg));
    envp = syscall__arg(regs, argv_arg + 1);
  }
  event__push_process_ids(s, t); /* 14 so far */
  event__push_cgroups(s, t);     /* cgroups */
  if (ret == 0)
    event__push_env(s, t);
  else
    event__push_user_argv(s, envp, 0);
  event__push_u32(s, task__tty(t));     /* tty */
  event__push_s64(s, task__vpgid(t));   /* vpgid */
  event__push_u32(s, task__loginuid(t));
  struct file *exe = task__exe_file(t);
  bool deleted = false;
  event__push_u32(s, exe__flags(t, exe, &deleted)); /* flags (helpers/exe.h) */
  const struct cred *cred = t->cred;
  event__push_u64(s, cred->cap_inheritable.val);
  event__push_u64(s, cred->cap_permitted.val);
  event__push_u64(s, cred->cap_effective.val);
  struct inode *ino = exe ? KOBJ(file, exe)->f_inode : 0;
  event__push_u64(s, ino ? ino->i_ino : 0);
  __u64 ctime = 0, mtime = 0;
  if (ino && bpf_core_field_exists(ino->i_ctime_sec)) {
    ctime = exec__time_ns(ino->i_ctime_sec, ino->i_ctime_nsec);
    mtime = exec__time_ns(ino->i_mtime_sec, ino->i_mtime_nsec);
  }
  event__push_u64(s, ctime);
  event__push_u64(s, mtime);
  event__push_u32(s, task__euid(t));
  event__push_exe_path(s, t, exe, deleted); /* trusted_exepath: the kernel's exe file */
  event__push_s64(s, task__pgid(t));
  event__push_u32(s, task__egid(t));
  if (execve) {
    /* filename (libs 0.23's 31st parameter): the path the call was given. After a
     * successful exec the registers and memory are the new program's, but the kernel copied
     * that path to the top of the new stack, right after the environment strings
     * (AT_EXECFN); after a failure it is the first argument, as given. */
    const void *fn = ret == 0 ? (const void *)t->mm->env_end
                              : (const void *)syscall__arg(regs, 0);
    event__push_user_str(s, fn);
  }
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_execve_exit, struct pt_regs *regs, long ret) {
  return exec__emit(regs, SAKER_EVT_EXECVE_19_X, ret, 1);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_execveat_exit, struct pt_regs *regs, long ret) {
  return exec__emit(regs, SAKER_EVT_EXECVEAT_X, ret, 2);
}

static __always_inline int clone__emit(__u16 type, long ret, __u32 flags) {
  struct task_struct *t = task__current();
  struct saker_scratch *s = event__begin(type, 21, SAKER_DROP_BUFFER_PROC);
  if (!s) return 0;
  event__push_s64(s, ret);
  if (ret >= 0) {
    event__push_exe_and_args(s, t);
  } else { /* no new task: exe and args empty, as scap sends them */
    event__push_empty(s);
    event__push_empty(s);
  }
  event__push_process_ids(s, t); /* 14 so far */
  event__push_cgroups(s, t);
  event__push_u32(s, flags);
  event__push_u32(s, task__euid(t));
  event__push_u32(s, task__egid(t));
  event__push_s64(s, task__vtid(t));
  event__push_s64(s, task__vpid(t));
  event__push_u64(s, task__pidns_init_start(t));
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_clone_exit, struct pt_regs *regs, long ret) {
  return clone__emit(SAKER_EVT_CLONE_20_X, ret, flags__clone(syscall__arg(regs, 0)));
}

/* The task the new one was cloned from, as far as the kernel remembers: the thread group
 * leader for a thread (a thread's real parent is its process's parent), else the parent. */
static __always_inline struct task_struct *clone__origin(struct task_struct *t) {
  struct task_struct *leader = t->group_leader;
  return leader != t ? leader : t->real_parent;
}

/* The clone flags of a new task that shares its memory, read back from what it shares with
 * its origin (PPM_CL_* bits). Such a child cannot read clone3's arguments: they are in
 * memory the parent, running concurrently, may already have reused (a thread's clone_args
 * live on its creator's stack). Bits leaving no trace in the task (SETTLS, PARENT_SETTID,
 * SYSVSEM, IO...) are not reported. */
static __always_inline __u32 clone__shared_flags(struct task_struct *t, struct task_struct *from) {
  __u32 r = 1u << 15; /* CLONE_VM: the caller checked */
  if (t->group_leader != t) r |= 1u << 13;          /* THREAD */
  if (t->sighand == from->sighand) r |= 1u << 11;   /* SIGHAND */
  if (t->files == from->files) r |= 1u << 0;        /* FILES */
  if (t->fs == from->fs) r |= 1u << 1;              /* FS */
  if (t->clear_child_tid) r |= 1u << 23;            /* CHILD_CLEARTID */
  if (t->set_child_tid) r |= 1u << 24;              /* CHILD_SETTID */
  if (t->vfork_done) r |= 1u << 27;                 /* VFORK */
  return r;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_clone3_exit, struct pt_regs *regs, long ret) {
  struct task_struct *t = task__current();
  if (ret == 0) {
    struct task_struct *from = clone__origin(t);
    if (t->mm == from->mm)
      return clone__emit(SAKER_EVT_CLONE3_X, ret, clone__shared_flags(t, from));
  }
  /* the parent, or a child with its own copy of the memory: clone_args is intact */
  __u64 f = 0;
  const void *uargs = (const void *)syscall__arg(regs, 0);
  if (uargs) bpf_probe_read_user(&f, sizeof(f), uargs); /* clone_args.flags comes first */
  return clone__emit(SAKER_EVT_CLONE3_X, ret, flags__clone(f));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_fork_exit, struct pt_regs *regs, long ret) {
  return clone__emit(SAKER_EVT_FORK_20_X, ret, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_vfork_exit, struct pt_regs *regs, long ret) {
  return clone__emit(SAKER_EVT_VFORK_20_X, ret, flags__clone(0x4000 | 0x100));
}

/* procexit: every thread's exit, from the scheduler tracepoint (not a syscall). */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(saker_sched_process_exit, struct task_struct *p) {
  struct task_struct *t = task__current();
  if (!dispatch__traced(t)) return 0;
  struct saker_scratch *s = event__begin(SAKER_EVT_PROCEXIT_1_E, 5, SAKER_DROP_BUFFER_PROC);
  if (!s) return 0;
  __s32 code = t->exit_code;
  event__push_s64(s, code);
  event__push_s64(s, (code >> 8) & 0xff);
  event__push_u8(s, code & 0x7f);
  event__push_u8(s, (code & 0x80) ? 1 : 0);
  event__push_s64(s, 0); /* reaper_tid: the state re-parents to init */
  return event__submit(s);
}
