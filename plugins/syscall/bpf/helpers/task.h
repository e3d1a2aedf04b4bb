/* task.h: what the programs read from the current task_struct: ids in the initial and the
 * task's own pid namespace, credentials, limits, memory counters, the executable file, the
 * working directory, argv/env from the process's memory and open files by descriptor.
 * Every field offset is CO-RE relocated, so one object runs on any BTF kernel. Member
 * chains on the task from bpf_get_current_task_btf() are single guarded loads (a NULL on
 * the way reads as 0) where BPF_CORE_READ costs a helper call per step. The ids and
 * credentials keep BPF_CORE_READ: as direct loads they tripled the verifier's time for
 * the exec and clone programs (~1 s more at every start, measured with bpftool prog
 * loadall), for about a microsecond per exec event.
 */
#ifndef SAKER_BPF_TASK_H
#define SAKER_BPF_TASK_H

#include "path.h"

#define SAKER_RLIMIT_NOFILE 7

static __always_inline struct task_struct *task__current(void) {
  return (struct task_struct *)bpf_get_current_task_btf();
}

/* The id of `p` as seen in its innermost pid namespace. */
static __always_inline __s64 task__pid_vnr(struct pid *p) {
  if (!p) return 0;
  unsigned int level = BPF_CORE_READ(p, level);
  return BPF_CORE_READ(p, numbers[level & 31].nr);
}

static __always_inline __s64 task__vtid(struct task_struct *t) {
  return task__pid_vnr(BPF_CORE_READ(t, thread_pid));
}

static __always_inline __s64 task__vpid(struct task_struct *t) {
  return task__pid_vnr(BPF_CORE_READ(t, group_leader, thread_pid));
}

/* The parent *thread* (scap's ptid): a process forked by a secondary thread has that
 * thread as its real parent; a thread has its process's parent. */
static __always_inline __s64 task__ptid(struct task_struct *t) {
  return BPF_CORE_READ(t, real_parent, pid);
}

/* Process group id, in the task's own namespace. */
static __always_inline __s64 task__vpgid(struct task_struct *t) {
  return task__pid_vnr(BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]));
}

/* Process group id in the initial namespace. */
static __always_inline __s64 task__pgid(struct task_struct *t) {
  struct pid *p = BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]);
  return p ? BPF_CORE_READ(p, numbers[0].nr) : 0;
}

static __always_inline __u64 task__fdlimit(struct task_struct *t) {
  return BPF_CORE_READ(t, signal, rlim[SAKER_RLIMIT_NOFILE].rlim_cur);
}

static __always_inline __u32 task__euid(struct task_struct *t) {
  return BPF_CORE_READ(t, cred, euid.val);
}

static __always_inline __u32 task__egid(struct task_struct *t) {
  return BPF_CORE_READ(t, cred, egid.val);
}

static __always_inline __u32 task__loginuid(struct task_struct *t) {
  return BPF_CORE_READ(t, loginuid.val);
}

/* The controlling terminal as a device number (new_encode_dev of major/minor), 0 if none. */
static __always_inline __u32 task__tty(struct task_struct *t) {
  struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
  if (!tty) return 0;
  __u32 major = BPF_CORE_READ(tty, driver, major);
  __u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* Memory counters in KiB, as the scap vm_* parameters carry them. */
static __always_inline __u32 task__vm_size_kb(struct mm_struct *mm) {
  if (!mm) return 0;
  return (__u32)(KOBJ(mm_struct, mm)->total_vm << 2); /* 4 KiB pages */
}

static __always_inline __u32 task__vm_rss_kb(struct mm_struct *mm) {
  if (!mm) return 0;
  /* rss_stat: MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES (approximate sums) */
  struct mm_struct *m = KOBJ(mm_struct, mm);
  __s64 file = m->rss_stat[0].count;
  __s64 anon = m->rss_stat[1].count;
  __s64 shm = m->rss_stat[3].count;
  __s64 pages = file + anon + shm;
  return pages > 0 ? (__u32)(pages << 2) : 0;
}

static __always_inline __u32 task__vm_swap_kb(struct mm_struct *mm) {
  if (!mm) return 0;
  __s64 swap = KOBJ(mm_struct, mm)->rss_stat[2].count;
  return swap > 0 ? (__u32)(swap << 2) : 0;
}

/* The open file behind descriptor `fd` of the current task, or NULL. Direct BTF loads down
 * to the descriptor array (the task from bpf_get_current_task_btf() is trusted, and so are
 * the pointers loaded from it), and a guarded load for the array element: no helper call. */
static __always_inline struct file *task__file(struct task_struct *t, __s64 fd) {
  if (fd < 0) return 0;
  struct files_struct *files = t->files;
  if (!files) return 0;
  struct fdtable *fdt = files->fdt;
  if (!fdt) return 0;
  if ((__u64)fd >= fdt->max_fds) return 0;
  __u64 f = kobj__load_ptr((__u64)fdt->fd + (__u64)fd * sizeof(struct file *));
  return f ? KOBJ(file, f) : 0;
}

static __always_inline struct file *task__current_file(__s64 fd) {
  return task__file(bpf_get_current_task_btf(), fd);
}

/* The inode number of the file. */
static __always_inline __u64 file__ino(struct file *f) {
  return KOBJ(file, f)->f_inode->i_ino;
}

/* The device of the file's filesystem as userspace sees it in st_dev: the kernel dev_t
 * (major << 20 | minor) re-encoded as new_encode_dev. */
static __always_inline __u32 file__dev(struct file *f) {
  __u32 dev = KOBJ(file, f)->f_inode->i_sb->s_dev;
  __u32 major = dev >> 20, minor = dev & 0xfffff;
  return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline struct file *task__exe_file(struct task_struct *t) {
  return t->mm->exe_file;
}

/* Pushes the current task's working directory (with the trailing '/' scap expects). */
static __always_inline void event__push_cwd(struct saker_scratch *s, struct task_struct *t) {
  struct saker_path_result r =
      path__resolve(s, t, (__u64)t->fs->pwd.dentry, (__u64)t->fs->pwd.mnt);
  if (r.len == 0) {
    event__push_empty(s);
    return;
  }
  event__push_scratch_path(s, r.from, r.len);
}

/* argv[0] alone (the scap "exe" parameter) and argv[1..] (the NUL-separated "args"). */
static __always_inline void event__push_exe_and_args(struct saker_scratch *s, struct task_struct *t) {
  struct mm_struct *mm = t->mm;
  unsigned long start = mm ? mm->arg_start : 0;
  unsigned long end = mm ? mm->arg_end : 0;
  if (!start || end <= start) {
    event__push_empty(s);
    event__push_empty(s);
    return;
  }
  __u64 total = end - start;
  if (total > SAKER_MAX_PARAM_SIZE) {
    total = SAKER_MAX_PARAM_SIZE;
    event__note_truncated();
  }
  /* read the whole area once, after the exe parameter's slot, then split it in place */
  __u64 off = s->pos;
  if (off > SAKER_DATA_LIMIT) {
    event__push_empty(s);
    event__push_empty(s);
    return;
  }
  if (bpf_probe_read_user(&s->data[SAKER_AT(off)], total & (SAKER_MAX_PARAM_SIZE * 2 - 1),
                          (void *)start) != 0) {
    event__push_empty(s);
    event__push_empty(s);
    return;
  }
  /* exe = argv[0] with its NUL, however long (a program given by a long path): its length
   * comes from a string read into the spare path area, the copy itself is discarded */
  long n = bpf_probe_read_user_str(&s->path[0], SAKER_MAX_PARAM_SIZE, (void *)start);
  __u32 exe_len = n > 0 ? (__u32)n : 0;
  if (exe_len > total) exe_len = (__u32)total;
  event__commit(s, exe_len);
  event__commit(s, (__u32)(total - exe_len));
}

/* A NULL-terminated array of user strings (argv, envp) as one NUL-separated parameter, from
 * element `first` on, cut at SAKER_MAX_PARAM_SIZE (counted). The strings are read one per
 * bpf_loop step, so the array's length costs the verifier nothing. */
struct argv__walk {
  unsigned long argv;
  __u64 base; /* event offset of the parameter */
  __u32 len;
  __u32 first;
  __u32 ptr_size; /* 8, or 4 for a compat-mode (ia32) caller's array */
};

/* Element `i` of a user pointer array, 64- or 32-bit pointers; 0 at the end or on a fault. */
static __always_inline unsigned long argv__element(unsigned long array, __u32 i, __u32 ptr_size) {
  if (ptr_size == 4) {
    __u32 p32 = 0;
    bpf_probe_read_user(&p32, sizeof(p32), (const void *)(array + 4ul * i));
    return p32;
  }
  unsigned long p = 0;
  bpf_probe_read_user(&p, sizeof(p), (const void *)(array + 8ul * i));
  return p;
}

static long argv__step(__u32 i, void *data) {
  struct argv__walk *w = data;
  struct saker_scratch *s = event__scratch();
  if (!s) return 1;
  const char *str = (const char *)argv__element(w->argv, w->first + i, w->ptr_size);
  if (!str) return 1;
  if (w->len >= SAKER_MAX_PARAM_SIZE) {
    event__note_truncated();
    return 1;
  }
  __u32 room = SAKER_MAX_PARAM_SIZE - w->len;
  if (room > SAKER_MAX_PARAM_SIZE) room = SAKER_MAX_PARAM_SIZE;
  long n = bpf_probe_read_user_str(&s->data[SAKER_AT(w->base + w->len)], room, str);
  if (n <= 0) return 1;
  w->len += (__u32)n;
  if ((__u32)n == room) {
    event__note_truncated();
    return 1;
  }
  return 0;
}

static __always_inline void event__push_user_argv(struct saker_scratch *s, unsigned long argv,
                                                  __u32 first) {
  __u64 off = s->pos;
  if (!argv || off > SAKER_DATA_LIMIT) return event__push_empty(s);
  struct argv__walk w = {.argv = argv, .base = off, .len = 0, .first = first,
                         .ptr_size = syscall__is_compat() ? 4 : 8};
  bpf_loop(SAKER_MAX_PARAM_SIZE / 2, argv__step, &w, 0);
  event__commit(s, w.len);
}

/* exe and args of a failed exec: the program it was asked to run (argv[0], argv[1..]). */
static __always_inline void event__push_user_exe_and_args(struct saker_scratch *s,
                                                          unsigned long argv) {
  const char *exe = argv ? (const char *)argv__element(argv, 0, syscall__is_compat() ? 4 : 8) : 0;
  event__push_user_str(s, exe);
  event__push_user_argv(s, argv, 1);
}

static __always_inline void event__push_env(struct saker_scratch *s, struct task_struct *t) {
  struct mm_struct *mm = t->mm;
  unsigned long start = mm ? mm->env_start : 0;
  unsigned long end = mm ? mm->env_end : 0;
  if (!start || end <= start) {
    event__push_empty(s);
    return;
  }
  if (end - start > SAKER_MAX_PARAM_SIZE) event__note_truncated();
  event__push_user_bytes(s, (void *)start, end - start, SAKER_MAX_PARAM_SIZE);
}

#endif
