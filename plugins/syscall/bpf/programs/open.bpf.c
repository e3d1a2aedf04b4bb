/* open.bpf.c: exit events of open, openat, openat2 and creat. On success the name is the
 * path of the file the kernel opened (from the new fd's dentry chain), so a racing thread
 * that rewrites the user buffer after the kernel copied it cannot change what rules see;
 * dev and ino come from the same inode. The argument as the caller wrote it ("../x",
 * "rel/path") is kept too, behind the kernel's path and its NUL: the parameter holds
 * "KERNEL_PATH\0RAW\0". A reader of scap strings (sysdig, Falco) sees the kernel's path;
 * saker also reads the raw one (fd.nameraw). On failure there is no kernel object: the
 * name is the user argument alone. */

/* Reads the user's path argument to s->path[at] (at <= SAKER_MAX_PARAM_SIZE); its length
 * with the NUL, 0 if unreadable; a cut one is counted. */
static __always_inline __u32 open__read_user(struct saker_scratch *s, __u32 at, const void *uname) {
  if (!uname) return 0;
  long n = bpf_probe_read_user_str(&s->path[saker_bound(at, SAKER_MAX_PARAM_SIZE * 2 - 1)],
                                   SAKER_MAX_PARAM_SIZE, uname);
  if (n <= 0) return 0;
  if (n == SAKER_MAX_PARAM_SIZE) event__note_truncated();
  return (__u32)n;
}

/* The caller's argument, read right behind the kernel's path ending at s->path[at] when
 * engine.modern_ebpf.raw_open_path is on; its length, 0 when off or unreadable. */
static __always_inline __u32 open__read_raw(struct saker_scratch *s, __u32 at, const void *uname) {
  return saker_config.raw_open_path ? open__read_user(s, at, uname) : 0;
}

static __always_inline void open__push_name(struct saker_scratch *s, struct file *f,
                                            const void *uname) {
  if (!f) return event__push_user_str(s, uname);
  struct saker_path_result r =
      path__of_file(s, (struct task_struct *)bpf_get_current_task_btf(), f);
  __u32 from = saker_bound(r.from, SAKER_MAX_PARAM_SIZE - 1);
  __u32 len = saker_bound(r.len, SAKER_MAX_PARAM_SIZE * 2 - 1);
  if (len == 0 || len > SAKER_MAX_PARAM_SIZE - from) return event__push_empty(s);
  len += open__read_raw(s, from + len, uname);
  /* a parameter holds SAKER_MAX_PARAM_SIZE bytes at most: the raw argument is cut first */
  if (len > SAKER_MAX_PARAM_SIZE) len = SAKER_MAX_PARAM_SIZE;
  event__push_scratch_path(s, from, len);
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

/* open and openat, the most frequent events of all, written without the per-parameter
 * bookkeeping of event__push_* and without copying the name: it stays where it was built,
 * in the scratch path area (walked from the file's dentries, or read from user memory on
 * failure), and the event is laid out around it: the header, lengths, res and dirfd just
 * before it, flags, mode, dev and ino right after it. The task and the syscall's mode are
 * read once; `at` is a constant in each caller, so every offset but the tail's folds. */
static __always_inline int open__emit(struct pt_regs *regs, long ret, __u16 type, bool at) {
  __u64 ts = event__now();
  struct task_struct *t = task__current();
  bool compat = task__is_compat(t);
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

  __u32 from = 0, name_len = 0, raw_len = 0;
  if (f) {
    struct saker_path_result r = path__of_file(s, t, f);
    from = r.from;
    name_len = r.len;
    if (name_len && from + name_len <= SAKER_MAX_PARAM_SIZE)
      raw_len = open__read_raw(s, from + name_len, uname);
  } else {
    name_len = open__read_user(s, 0, uname);
  }
  /* bounds the verifier can see: the name lies inside the path area */
  from = saker_bound(from, SAKER_MAX_PARAM_SIZE - 1);
  name_len = saker_bound(name_len, SAKER_MAX_PARAM_SIZE * 2 - 1);
  if (name_len > SAKER_MAX_PARAM_SIZE - from) name_len = 0;
  if (name_len > SAKER_MAX_PARAM_SIZE) return 0;
  if (raw_len > SAKER_MAX_PARAM_SIZE) raw_len = 0;
  if (name_len) name_len += raw_len; /* the raw argument lies right behind the path */
  __u8 *ev = &s->path[from] - name_at;

  event__header_of(ev, ts, t->pid, type, nparams);
  SAKER_PUT(__u16, ev + lens, 8); /* res */
  SAKER_PUT(__s64, ev + data, ret);
  if (at) {
    SAKER_PUT(__u16, ev + lens + 2, 8); /* dirfd */
    SAKER_PUT(__s64, ev + data + 8, (__s64)(__s32)syscall__arg_of(regs, compat, 0));
  }
  const __u32 tail_lens = lens + 2 * (first + 2);
  SAKER_PUT(__u16, ev + tail_lens - 2, name_len);
  SAKER_PUT(__u16, ev + tail_lens, 4);      /* flags */
  SAKER_PUT(__u16, ev + tail_lens + 2, 4);  /* mode */
  SAKER_PUT(__u16, ev + tail_lens + 4, 4);  /* dev */
  SAKER_PUT(__u16, ev + tail_lens + 6, 8);  /* ino */
  __u8 *tail = ev + name_at + name_len;
  SAKER_PUT(__u32, tail, open__flags(f, raw));
  SAKER_PUT(__u32, tail + 4, open__mode(raw, mode));
  SAKER_PUT(__u32, tail + 8, f ? file__dev(f) : 0);
  SAKER_PUT(__u64, tail + 12, f ? file__ino(f) : 0);
  __u32 len = name_at + name_len + 20;
  SAKER_PUT(__u32, ev + 16, len);
  return event__send_at(s, ev, len, SAKER_DROP_BUFFER_FILE);
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
