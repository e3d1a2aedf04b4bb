/* open.bpf.c: exit events of open, openat, openat2 and creat. On success the name is the
 * path of the file the kernel opened (from the new fd's dentry chain), so a racing thread
 * that rewrites the user buffer after the kernel copied it cannot change what rules see;
 * dev and ino come from the same inode. On failure there is no kernel object: the name is
 * the user argument. */

static __always_inline void open__push_name(struct saker_scratch *s, struct file *f,
                                            const void *uname) {
  if (f)
    event__push_file_path(s, f);
  else
    event__push_user_str(s, uname);
}

/* flags with O_F_CREATED when the call created the file */
static __always_inline __u32 open__flags(struct file *f, __u64 raw) {
  __u32 flags = flags__open(raw);
  if (f && (KOBJ(file, f)->f_mode & SAKER_FMODE_CREATED)) flags |= SAKER_O_F_CREATED;
  return flags;
}

/* mode only matters with O_CREAT / O_TMPFILE */
static __always_inline __u32 open__mode(__u64 raw_flags, __u64 mode) {
  return (raw_flags & (0100 | 020000000)) ? (__u32)(mode & 07777) : 0;
}

static __always_inline void open__push_dev_ino(struct saker_scratch *s, struct file *f) {
  event__push_u32(s, f ? file__dev(f) : 0);
  event__push_u64(s, f ? file__ino(f) : 0);
}

/* open and openat, the most frequent events of all: written at fixed offsets, without the
 * per-parameter bookkeeping of event__push_* (lengths, then res, [dirfd], name, then flags,
 * mode, dev, ino right after the name), with the task and the syscall's mode read once.
 * `at` is a constant in each caller, so every offset but the tail's folds. */
static __always_inline int open__emit(struct pt_regs *regs, long ret, __u16 type, bool at) {
  __u64 ts = event__now();
  struct task_struct *t = task__current();
  bool compat = (t->thread_info.status & SAKER_TS_COMPAT) != 0;
  struct file *f = ret >= 0 ? task__file(t, ret) : 0;
  const int first = at ? 1 : 0; /* argument index of the path */
  const void *uname = (const void *)syscall__arg_of(regs, compat, first);
  __u64 raw = syscall__arg_of(regs, compat, first + 1);
  __u64 mode = syscall__arg_of(regs, compat, first + 2);
  struct saker_scratch *s = event__scratch();
  if (!s) return 0;
  const __u32 nparams = at ? 7 : 6;
  const __u32 lens = SAKER_EVENT_HEADER_SIZE;
  const __u32 data = lens + 2 * nparams;
  const __u32 name_at = data + (at ? 16 : 8);
  __u32 name_len = f ? path__copy_file(s, t, name_at, f) : event__copy_user_str(s, name_at, uname);
  event__header_of(s, ts, t->pid, type, nparams);
  SAKER_PUT(__u16, &s->data[lens], 8); /* res */
  SAKER_PUT(__s64, &s->data[data], ret);
  if (at) {
    SAKER_PUT(__u16, &s->data[lens + 2], 8); /* dirfd */
    SAKER_PUT(__s64, &s->data[data + 8], (__s64)(__s32)syscall__arg_of(regs, compat, 0));
  }
  const __u32 tail_lens = lens + 2 * (first + 2);
  SAKER_PUT(__u16, &s->data[tail_lens - 2], name_len);
  SAKER_PUT(__u16, &s->data[tail_lens], 4);      /* flags */
  SAKER_PUT(__u16, &s->data[tail_lens + 2], 4);  /* mode */
  SAKER_PUT(__u16, &s->data[tail_lens + 4], 4);  /* dev */
  SAKER_PUT(__u16, &s->data[tail_lens + 6], 8);  /* ino */
  __u64 tail = name_at + name_len;
  SAKER_PUT(__u32, &s->data[SAKER_AT(tail)], open__flags(f, raw));
  SAKER_PUT(__u32, &s->data[SAKER_AT(tail + 4)], open__mode(raw, mode));
  SAKER_PUT(__u32, &s->data[SAKER_AT(tail + 8)], f ? file__dev(f) : 0);
  SAKER_PUT(__u64, &s->data[SAKER_AT(tail + 12)], f ? file__ino(f) : 0);
  return event__send(s, tail + 20, SAKER_DROP_BUFFER_FILE);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_open_exit, struct pt_regs *regs, long ret) {
  return open__emit(regs, ret, SAKER_EVT_OPEN_X, false);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_openat_exit, struct pt_regs *regs, long ret) {
  return open__emit(regs, ret, SAKER_EVT_OPENAT_2_X, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_openat2_exit, struct pt_regs *regs, long ret) {
  struct file *f = ret >= 0 ? task__current_file(ret) : 0;
  struct open_how how = {};
  const void *uhow = (const void *)syscall__arg(regs, 2);
  if (uhow) bpf_probe_read_user(&how, sizeof(how), uhow);
  struct saker_scratch *s = event__begin(SAKER_EVT_OPENAT2_X, 6, SAKER_DROP_BUFFER_FILE);
  if (!s) return 0;
  event__push_s64(s, ret);
  event__push_s64(s, syscall__fd_arg(regs, 0));
  open__push_name(s, f, (const void *)syscall__arg(regs, 1));
  event__push_u32(s, open__flags(f, how.flags));
  event__push_u32(s, open__mode(how.flags, how.mode));
  event__push_u32(s, flags__openat2_resolve(how.resolve));
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_creat_exit, struct pt_regs *regs, long ret) {
  struct file *f = ret >= 0 ? task__current_file(ret) : 0;
  struct saker_scratch *s = event__begin(SAKER_EVT_CREAT_X, 6, SAKER_DROP_BUFFER_FILE);
  if (!s) return 0;
  event__push_s64(s, ret);
  open__push_name(s, f, (const void *)syscall__arg(regs, 0));
  event__push_u32(s, (__u32)(syscall__arg(regs, 1) & 07777));
  open__push_dev_ino(s, f);
  event__push_u16(s, 0); /* creat_flags: overlayfs layer bits, not detected yet */
  return event__submit(s);
}
