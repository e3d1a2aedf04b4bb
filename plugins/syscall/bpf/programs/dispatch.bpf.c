/* dispatch.bpf.c: the one program attached to sys_exit. Decides from the wanted set (one
 * bit per syscall number) and syscall_actions whether the syscall is sent at all
 * (kernel-side filtering), then tail-calls the
 * syscall's own program, or the table-driven one, or writes a generic event. Events of
 * saker itself and, when a target process is configured (tests), of other processes are
 * never built. */

static __always_inline bool dispatch__traced(struct task_struct *t) {
  __u32 tgid = t->tgid;
  if (saker_config.target_tgid && tgid != saker_config.target_tgid) {
    /* a forked child has its own tgid; its parent is the target */
    if (!saker_config.target_children) return false;
    if (BPF_CORE_READ(t, real_parent, tgid) != saker_config.target_tgid)
      return false;
  }
  if (saker_config.self_tgid && tgid == saker_config.self_tgid) return false;
  return true;
}

/* Tail calls with a constant slot are direct jumps the JIT patches in place; a slot known
 * only at run time is an indirect jump, a retpoline on CPUs with Spectre v2 mitigations
 * (tens of nanoseconds per event). Every syscall with its own program gets its constant
 * slot here; the list is checked against engine/live_syscalls.cpp by live_layout_test. */
#define SAKER_DIRECT(NR)                               \
  case NR:                                             \
    bpf_tail_call_static(ctx, &exit_programs, NR);     \
    break;

static __always_inline void dispatch__program(void *ctx, __u32 nr) {
  switch (nr) {
    SAKER_DIRECT(SAKER_NR_OPEN)
    SAKER_DIRECT(SAKER_NR_CLOSE)
    SAKER_DIRECT(SAKER_NR_CLONE)
    SAKER_DIRECT(SAKER_NR_FORK)
    SAKER_DIRECT(SAKER_NR_VFORK)
    SAKER_DIRECT(SAKER_NR_EXECVE)
    SAKER_DIRECT(SAKER_NR_CREAT)
    SAKER_DIRECT(SAKER_NR_CONNECT)
    SAKER_DIRECT(SAKER_NR_ACCEPT)
    SAKER_DIRECT(SAKER_NR_OPENAT)
    SAKER_DIRECT(SAKER_NR_ACCEPT4)
    SAKER_DIRECT(SAKER_NR_EXECVEAT)
    SAKER_DIRECT(SAKER_NR_CLONE3)
    SAKER_DIRECT(SAKER_NR_OPENAT2)
    default:
      bpf_tail_call(ctx, &exit_programs, nr);
  }
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_sys_exit, struct pt_regs *regs, long ret) {
  /* most syscalls of a host are never sent: they leave here, after one word of the set */
  __u64 raw = regs->orig_ax;
  if (raw >= SAKER_MAX_SYSCALLS || !((saker_wanted.bits[raw / 64] >> (raw % 64)) & 1))
    return 0;
  /* the task is read once: its mode (compat or not) and its process id */
  struct task_struct *t = task__current();
  long nr = syscall__nr_of(regs, task__is_compat(t));
  if (nr < 0 || nr >= SAKER_MAX_SYSCALLS) return 0;
  __u32 key = (__u32)nr;
  struct saker_syscall_action_entry *a = bpf_map_lookup_elem(&syscall_actions, &key);
  if (!a || a->action == SAKER_SC_SKIP) return 0;
  if (!dispatch__traced(t)) return 0;
  if (saker_config.drop_failed && ret < 0) return 0;
  if (a->action == SAKER_SC_PROGRAM) dispatch__program(ctx, key);
  if (a->action == SAKER_SC_SPEC) /* the table-driven program's slot */
    bpf_tail_call_static(ctx, &exit_programs, SAKER_MAX_SYSCALLS - 1);
  /* generic event: no program, or the tail call failed */
  return fixed__generic(a->ppm_sc, (__u16)nr);
}
