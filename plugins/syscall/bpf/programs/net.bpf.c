/* net.bpf.c: exit events of connect, accept and accept4: the socket tuple is read from the
 * kernel's socket (both ends, as the connection really is), the address argument from user
 * memory. */

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_connect_exit, struct pt_regs *regs, long ret) {
  __s64 fd = syscall__fd_arg(regs, 0);
  struct file *f = task__file(task__current(), fd);
  struct saker_scratch *s = event__begin(SAKER_EVT_CONNECT_X, 4, SAKER_DROP_BUFFER_NET);
  if (!s) return 0;
  event__push_s64(s, ret);
  /* EINPROGRESS (non-blocking connect) still has both ends set */
  if (ret == 0 || ret == -115)
    event__push_socktuple(s, f, false);
  else
    event__push_empty(s);
  event__push_s64(s, fd);
  event__push_user_sockaddr(s, (const void *)syscall__arg(regs, 1), syscall__arg(regs, 2));
  return event__submit(s);
}

static __always_inline int accept__emit(__u16 type, __u32 nparams, long ret, __s32 flags) {
  struct task_struct *t = task__current();
  struct file *f = ret >= 0 ? task__file(t, ret) : 0;
  struct saker_scratch *s = event__begin(type, nparams, SAKER_DROP_BUFFER_NET);
  if (!s) return 0;
  event__push_s64(s, ret);
  if (f)
    event__push_socktuple(s, f, true);
  else
    event__push_empty(s);
  /* queuepct, queuelen, queuemax: the listening socket's backlog is not known here */
  event__push_u8(s, 0);
  event__push_u32(s, 0);
  event__push_u32(s, 0);
  if (nparams > 5) event__push_s32(s, flags);
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_accept_exit, struct pt_regs *regs, long ret) {
  return accept__emit(SAKER_EVT_ACCEPT_5_X, 5, ret, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_accept4_exit, struct pt_regs *regs, long ret) {
  return accept__emit(SAKER_EVT_ACCEPT4_6_X, 6, ret, (__s32)syscall__arg(regs, 3));
}
