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

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_open_exit, struct pt_regs *regs, long ret) {
  struct file *f = ret >= 0 ? task__current_file(ret) : 0;
  __u64 raw = syscall__arg(regs, 1);
  struct saker_scratch *s = event__begin(SAKER_EVT_OPEN_X, 6, SAKER_DROP_BUFFER_FILE);
  if (!s) return 0;
  event__push_s64(s, ret);
  open__push_name(s, f, (const void *)syscall__arg(regs, 0));
  event__push_u32(s, open__flags(f, raw));
  event__push_u32(s, open__mode(raw, syscall__arg(regs, 2)));
  open__push_dev_ino(s, f);
  return event__submit(s);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_openat_exit, struct pt_regs *regs, long ret) {
  struct file *f = ret >= 0 ? task__current_file(ret) : 0;
  __u64 raw = syscall__arg(regs, 2);
  struct saker_scratch *s = event__begin(SAKER_EVT_OPENAT_2_X, 7, SAKER_DROP_BUFFER_FILE);
  if (!s) return 0;
  event__push_s64(s, ret);
  event__push_s64(s, syscall__fd_arg(regs, 0));
  open__push_name(s, f, (const void *)syscall__arg(regs, 1));
  event__push_u32(s, open__flags(f, raw));
  event__push_u32(s, open__mode(raw, syscall__arg(regs, 3)));
  open__push_dev_ino(s, f);
  return event__submit(s);
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
