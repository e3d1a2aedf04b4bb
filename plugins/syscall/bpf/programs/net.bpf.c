/* net.bpf.c: exit events of connect, accept and accept4: the socket tuple is read from the
 * kernel's socket (both ends, as the connection really is), the address argument from user
 * memory, accept's queue figures from the listening socket. */

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_connect_exit, struct pt_regs *regs, long ret) {
  __s64 fd = syscall__fd_arg(regs, 0);
  struct file *f = task__current_file(fd);
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

/* The listening socket's accept queue after this accept: queued connections, the backlog
 * limit and the fill percentage (0 when unknown). */
struct accept__queue {
  __u32 len;
  __u32 max;
  __u8 pct;
};

static __always_inline struct accept__queue accept__queue_of(struct file *lf) {
  struct accept__queue q = {0, 0, 0};
  struct socket *sock = lf ? BPF_CORE_READ(lf, private_data) : 0;
  struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : 0;
  if (!sk) return q;
  q.len = BPF_CORE_READ(sk, sk_ack_backlog);
  q.max = BPF_CORE_READ(sk, sk_max_ack_backlog);
  if (q.max) q.pct = (__u8)((__u64)q.len * 100 / q.max);
  return q;
}

static __always_inline int accept__emit(struct pt_regs *regs, __u16 type, __u32 nparams,
                                        long ret, __s32 flags) {
  struct file *f = ret >= 0 ? task__current_file(ret) : 0;
  /* the queue figures describe a successful accept only (0 otherwise, as in scap) */
  struct accept__queue q = {0, 0, 0};
  if (ret >= 0) q = accept__queue_of(task__current_file(syscall__fd_arg(regs, 0)));
  struct saker_scratch *s = event__begin(type, nparams, SAKER_DROP_BUFFER_NET);
  if (!s) return 0;
  event__push_s64(s, ret);
  if (f)
    event__push_socktuple(s, f, true);
  else
    event__push_empty(s);
  event__push_u8(s, q.pct);
  event__push_u32(s, q.len);
  event__push_u32(s, q.max);
  if (nparams > 5) event__push_s32(s, flags);
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_accept_exit, struct pt_regs *regs, long ret) {
  return accept__emit(regs, SAKER_EVT_ACCEPT_5_X, 5, ret, 0);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_accept4_exit, struct pt_regs *regs, long ret) {
  return accept__emit(regs, SAKER_EVT_ACCEPT4_6_X, 6, ret, (__s32)syscall__arg(regs, 3));
}
