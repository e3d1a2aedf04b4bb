/* dispatch.bpf.c: the one program attached to sys_exit. Decides from syscall_actions
 * whether the syscall is sent at all (kernel-side filtering), then tail-calls the
 * syscall's own program, or the table-driven one, or writes a generic event. Events of
 * saker itself and, when a target process is configured (tests), of other processes are
 * never built. */

static __always_inline bool dispatch__traced(void) {
  __u32 tgid = bpf_get_current_pid_tgid() >> 32;
  if (saker_config.target_tgid && tgid != saker_config.target_tgid) {
    /* a forked child has its own tgid; its parent is the target */
    if (!saker_config.target_children) return false;
    if (BPF_CORE_READ(task__current(), real_parent, tgid) != saker_config.target_tgid)
      return false;
  }
  if (saker_config.self_tgid && tgid == saker_config.self_tgid) return false;
  return true;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_sys_exit, struct pt_regs *regs, long ret) {
  long nr = syscall__nr(regs);
  if (nr < 0 || nr >= SAKER_MAX_SYSCALLS) return 0;
  __u32 key = (__u32)nr;
  struct saker_syscall_action_entry *a = bpf_map_lookup_elem(&syscall_actions, &key);
  if (!a || a->action == SAKER_SC_SKIP) return 0;
  if (!dispatch__traced()) return 0;
  if (saker_config.drop_failed && ret < 0) return 0;
  if (a->action == SAKER_SC_PROGRAM) bpf_tail_call(ctx, &exit_programs, key);
  if (a->action == SAKER_SC_SPEC) {
    __u32 spec_slot = SAKER_MAX_SYSCALLS - 1; /* the table-driven program's slot */
    bpf_tail_call(ctx, &exit_programs, spec_slot);
  }
  /* generic event: no program, or the tail call failed */
  return fixed__generic(a->ppm_sc, (__u16)nr);
}
