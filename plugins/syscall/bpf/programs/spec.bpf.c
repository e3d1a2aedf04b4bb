/* spec.bpf.c: the table-driven exit program. Most syscalls' exit events are a return
 * value plus their arguments in scap encodings; userspace describes each such layout in
 * syscall_specs (one parameter kind and argument index per parameter) and this one program
 * writes them all, instead of a hundred near-identical programs. Syscalls that need kernel
 * objects beyond one fd's path (exec, clone, open, sockets, pipes, mmap) have their own. */

struct spec__loop_ctx {
  struct pt_regs *regs;
  long ret;
  struct saker_syscall_spec *spec;
  struct task_struct *task;
};

static long spec__param(__u32 i, void *data) {
  struct spec__loop_ctx *c = data;
  struct saker_scratch *s = event__scratch();
  if (!s || i >= SAKER_SPEC_MAX_PARAMS) return 1;
  __u8 kind = c->spec->kind[i];
  __u8 argi = c->spec->arg[i];
  unsigned long arg = syscall__arg(c->regs, argi);
  struct task_struct *task = c->task;
  switch (kind) {
    case SAKER_P_RES: event__push_s64(s, c->ret); break;
    case SAKER_P_ARG_S64: event__push_s64(s, (__s64)(__s32)arg); break;
    case SAKER_P_ARG_U64: event__push_u64(s, arg); break;
    case SAKER_P_ARG_U32: event__push_u32(s, (__u32)arg); break;
    case SAKER_P_ARG_U32_FROM_U64: event__push_u32(s, (__u32)arg); break;
    case SAKER_P_ARG_U16: event__push_u16(s, (__u16)arg); break;
    case SAKER_P_ARG_U8: event__push_u8(s, (__u8)arg); break;
    case SAKER_P_ARG_S32: event__push_s32(s, (__s32)arg); break;
    case SAKER_P_ARG_STR: event__push_user_str(s, (const void *)arg); break;
    case SAKER_P_ARG_OPEN_FLAGS: event__push_u32(s, flags__open(arg)); break;
    case SAKER_P_ARG_CLONE_FLAGS: event__push_u32(s, flags__clone(arg)); break;
    case SAKER_P_ARG_PROT: event__push_u32(s, flags__prot(arg)); break;
    case SAKER_P_ARG_MMAP_FLAGS: event__push_u32(s, flags__mmap(arg)); break;
    case SAKER_P_ARG_DATA:
      if (c->ret > 0)
        event__push_user_bytes(s, (const void *)arg, (__u64)c->ret, saker_config.snaplen);
      else
        event__push_empty(s);
      break;
    case SAKER_P_ARG_DATA_OUT:
      event__push_user_bytes(s, (const void *)arg,
                             c->ret > 0 ? (__u64)c->ret : syscall__arg(c->regs, argi + 1),
                             saker_config.snaplen);
      break;
    case SAKER_P_ARG_DATA_LEN:
      event__push_user_bytes(s, (const void *)arg, syscall__arg(c->regs, argi + 1),
                             saker_config.snaplen);
      break;
    case SAKER_P_ARG_FD_PATH:
      event__push_file_path(s, task__current_file((__s64)(__s32)arg));
      break;
    case SAKER_P_RES_FD_PATH:
      event__push_file_path(s, c->ret >= 0 ? task__current_file(c->ret) : 0);
      break;
    case SAKER_P_ARG_SOCKADDR:
      event__push_user_sockaddr(s, (const void *)arg, syscall__arg(c->regs, argi + 1));
      break;
    case SAKER_P_ARG_PTRACE_REQ: event__push_u16(s, flags__ptrace_request(arg)); break;
    case SAKER_P_VM_SIZE: event__push_u32(s, task__vm_size_kb(BPF_CORE_READ(task, mm))); break;
    case SAKER_P_VM_RSS: event__push_u32(s, task__vm_rss_kb(BPF_CORE_READ(task, mm))); break;
    case SAKER_P_VM_SWAP: event__push_u32(s, task__vm_swap_kb(BPF_CORE_READ(task, mm))); break;
    case SAKER_P_CAP_INHERITABLE:
      event__push_u64(s, BPF_CORE_READ(task, cred, cap_inheritable.val));
      break;
    case SAKER_P_CAP_PERMITTED:
      event__push_u64(s, BPF_CORE_READ(task, cred, cap_permitted.val));
      break;
    case SAKER_P_CAP_EFFECTIVE:
      event__push_u64(s, BPF_CORE_READ(task, cred, cap_effective.val));
      break;
    case SAKER_P_ARG_FD_PAIR0:
    case SAKER_P_ARG_FD_PAIR1: {
      __s32 fds[2] = {-1, -1};
      if (c->ret >= 0 && arg) bpf_probe_read_user(fds, sizeof(fds), (const void *)arg);
      event__push_s64(s, kind == SAKER_P_ARG_FD_PAIR0 ? fds[0] : fds[1]);
      break;
    }
    case SAKER_P_ARG_FCNTL_CMD: event__push_u8(s, flags__fcntl_cmd(arg)); break;
    case SAKER_P_ARG_FCHOWNAT_FLAGS: event__push_u32(s, flags__fchownat(arg)); break;
    case SAKER_P_ARG_DELETE_MODULE_FLAGS: event__push_u32(s, flags__delete_module(arg)); break;
    case SAKER_P_ARG_MOUNT_FLAGS: event__push_u32(s, flags__mount(arg)); break;
    case SAKER_P_ARG_FD_PAIR_INO: {
      __s32 fds[2] = {-1, -1};
      if (c->ret >= 0 && arg) bpf_probe_read_user(fds, sizeof(fds), (const void *)arg);
      struct file *f = task__current_file(fds[0]);
      event__push_u64(s, f ? file__ino(f) : 0);
      break;
    }
    case SAKER_P_RES_FD_DEV:
    case SAKER_P_RES_FD_INO: {
      struct file *f = c->ret >= 0 ? task__current_file(c->ret) : 0;
      if (kind == SAKER_P_RES_FD_DEV)
        event__push_u32(s, f ? file__dev(f) : 0);
      else
        event__push_u64(s, f ? file__ino(f) : 0);
      break;
    }
    case SAKER_P_ARG_USER_U64: {
      __u64 v = 0;
      if (arg) bpf_probe_read_user(&v, sizeof(v), (const void *)arg);
      event__push_u64(s, v);
      break;
    }
    case SAKER_P_ARG_USER_U32:
    case SAKER_P_IO_URING_SETUP_FLAGS: {
      /* the argument byte packs the index and, for USER_U32, the word of the struct */
      unsigned long base = syscall__arg(c->regs, SAKER_SPEC_ARG_INDEX(argi));
      __u32 word = kind == SAKER_P_IO_URING_SETUP_FLAGS ? 2 : SAKER_SPEC_ARG_WORD(argi);
      __u32 v = 0;
      if (base) bpf_probe_read_user(&v, sizeof(v), (const void *)(base + 4 * word));
      event__push_u32(s, kind == SAKER_P_IO_URING_SETUP_FLAGS ? flags__io_uring_setup(v) : v);
      break;
    }
    case SAKER_P_ARG_FD_TUPLE_OUT:
    case SAKER_P_ARG_FD_TUPLE_IN: {
      if (c->ret < 0) {
        event__push_empty(s);
        break;
      }
      const void *uaddr = (const void *)syscall__arg(c->regs, 4);
      unsigned long ulen = syscall__arg(c->regs, 5);
      if (kind == SAKER_P_ARG_FD_TUPLE_IN) { /* recvfrom: a pointer to the length */
        __u32 n = 0;
        if (ulen) bpf_probe_read_user(&n, sizeof(n), (const void *)ulen);
        ulen = n;
      }
      event__push_socktuple_addr(s, task__current_file((__s64)(__s32)arg),
                                 kind == SAKER_P_ARG_FD_TUPLE_IN, uaddr, ulen);
      break;
    }
    case SAKER_P_ARG_FD_PAIR_SK:
    case SAKER_P_ARG_FD_PAIR_PEER: {
      __s32 fds[2] = {-1, -1};
      if (c->ret >= 0 && arg) bpf_probe_read_user(fds, sizeof(fds), (const void *)arg);
      struct sock *sk = sockets__sock_of(task__current_file(fds[0]));
      if (sk && kind == SAKER_P_ARG_FD_PAIR_PEER) sk = BPF_CORE_READ((struct unix_sock *)sk, peer);
      event__push_u64(s, (__u64)sk);
      break;
    }
    case SAKER_P_PTRACE_ADDR:
      event__push_dyn(s, SAKER_PTRACE_IDX_UINT64, c->ret < 0 ? 0 : arg, 8);
      break;
    case SAKER_P_PTRACE_DATA: {
      unsigned long req = syscall__arg(c->regs, 0);
      if (c->ret < 0) {
        event__push_dyn(s, SAKER_PTRACE_IDX_UINT64, 0, 8); /* a failed call: 0 */
      } else if (req >= 1 && req <= 3) { /* PEEKTEXT, PEEKDATA, PEEKUSR: the word read */
        __u64 word = 0;
        if (arg) bpf_probe_read_user(&word, sizeof(word), (const void *)arg);
        event__push_dyn(s, SAKER_PTRACE_IDX_UINT64, word, 8);
      } else if (req == 7 || req == 9 || req == 17 || req == 24) {
        /* CONT, SINGLESTEP, DETACH, SYSCALL: data is the signal to deliver */
        event__push_dyn(s, SAKER_PTRACE_IDX_SIGTYPE, arg, 1);
      } else {
        event__push_dyn(s, SAKER_PTRACE_IDX_UINT64, arg, 8);
      }
      break;
    }
    case SAKER_P_PRCTL_ARG2_STR:
    case SAKER_P_PRCTL_ARG2_INT: {
      unsigned long option = syscall__arg(c->regs, 0);
      bool name = option == 15 || option == 16; /* PR_SET_NAME, PR_GET_NAME */
      if (kind == SAKER_P_PRCTL_ARG2_STR) {
        if (name)
          event__push_user_str(s, (const void *)arg);
        else
          event__push_empty(s);
        break;
      }
      if (name) {
        event__push_empty(s);
        break;
      }
      __s64 v = (__s64)arg;
      if (option == 37) { /* PR_GET_CHILD_SUBREAPER: the int the kernel wrote */
        __s32 r = 0;
        if (c->ret >= 0 && arg) bpf_probe_read_user(&r, sizeof(r), (const void *)arg);
        v = r;
      }
      event__push_s64(s, v);
      break;
    }
    default: event__push_empty(s); break;
  }
  return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_spec_exit, struct pt_regs *regs, long ret) {
  __u32 key = (__u32)syscall__nr(regs);
  struct saker_syscall_spec *spec = bpf_map_lookup_elem(&syscall_specs, &key);
  struct saker_syscall_action_entry *a = bpf_map_lookup_elem(&syscall_actions, &key);
  if (!spec || !a || spec->nparams == 0) return 0;
  __u32 n = spec->nparams;
  if (n > SAKER_SPEC_MAX_PARAMS) n = SAKER_SPEC_MAX_PARAMS;
  struct saker_scratch *s = event__begin(spec->event_type, n, a->drop_category);
  if (!s) return 0;
  struct spec__loop_ctx c = {regs, ret, spec, task__current()};
  bpf_loop(n, spec__param, &c, 0);
  s = event__scratch();
  if (!s) return 0;
  return event__submit(s);
}
