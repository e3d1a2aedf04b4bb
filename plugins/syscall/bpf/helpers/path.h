/* path.h: absolute paths from kernel objects (struct path / struct file), not from user
 * memory, as the process sees them (from its root directory). A path argument in user memory can be rewritten by another thread between the
 * kernel's copy and our read at exit (the TOCTOU "phantom" attack); the dentry chain of the
 * file the kernel really opened cannot. The walk goes from the dentry up to its mount's
 * root, then continues at the mount point in the parent mount, up to the global root;
 * components are written backwards into the scratch path area (a path longer than the area
 * is cut at the top and counted as truncated).
 */
#ifndef SAKER_BPF_PATH_H
#define SAKER_BPF_PATH_H

#include "event.h"
#include "kobj.h"

/* Steps of the walk: one per component or mount crossed. A 4096-byte path holds at most
 * 2048 components ("/x"), so the area, not this bound, is what cuts a path; bpf_loop makes
 * the count free for the verifier. */
#define SAKER_PATH_MAX_COMPONENTS SAKER_MAX_PARAM_SIZE
#define SAKER_PATH_END (SAKER_MAX_PARAM_SIZE - 1) /* offset of the terminating NUL */

struct saker_path_result {
  __u32 from; /* first byte in s->path */
  __u32 len;  /* bytes including the NUL; 0 when nothing could be read */
};

/* struct mount around a struct vfsmount (container_of), as a number. */
static __always_inline __u64 path__real_mount(__u64 vfs) {
  return vfs ? vfs - bpf_core_field_offset(struct mount, mnt) : 0;
}

/* Kernel pointers are kept as numbers (a bpf_loop callback sees them through the stack);
 * KOBJ() turns them back into typed pointers for direct loads (helpers/kobj.h). */
struct path__walk {
  struct saker_scratch *s; /* the CPU's scratch area, looked up once by the caller */
  __u64 dentry;
  __u64 mnt_root;
  __u64 mnt;          /* struct mount */
  __u64 root;         /* the current task's root (chroot, container): where paths start */
  __u64 root_mnt;
  __u64 pseudo_ino;   /* an unnamed pseudo file (a pipe): its inode and filesystem magic */
  __u64 pseudo_magic;
  __u32 cursor;
  __u32 done;
};

#define SAKER_PIPEFS_MAGIC 0x50495045
#define SAKER_SOCKFS_MAGIC 0x534F434B
/* The names the kernel gives unnamed pseudo files (d_dname), for bpf_snprintf (its format
 * must be read-only data). */
static const char path__pipe_fmt[] = "pipe:[%llu]";
static const char path__socket_fmt[] = "socket:[%llu]";

/* A name whose address lies this close after its dentry's is the dentry's inline name
 * store (struct dentry is ~200 bytes; its inline name starts at offset 56): the 32 bytes
 * before the name's end are then inside the dentry. Longer names live elsewhere. */
#define SAKER_DENTRY_INLINE_SPAN 256

/* Writes "/name" of `dentry` in front of what the walk has so far; false when it does not
 * fit (the path is then cut at the top). */
static __always_inline bool path__prepend(struct saker_scratch *s, struct path__walk *w,
                                          struct dentry *dentry) {
  __u32 len = dentry->d_name.len & 0xff;
  const unsigned char *name = dentry->d_name.name;
  __u32 cursor = w->cursor;
  if (cursor < len + 1) return false;
  if (len <= 32 && cursor >= 32 && (__u64)name - (__u64)dentry < SAKER_DENTRY_INLINE_SPAN) {
    /* A short name stored inside the dentry: the 32 bytes ending at its last byte, four
     * plain loads and stores, no branch per word (the verifier walks this for every
     * program that resolves a path: a loop with a branch per word tripled its work). The
     * bytes in front of the name are the dentry's own fields: they land where the '/' and
     * the parent components go next, or before the first byte sent, and are never sent. */
    const __u64 end = (__u64)name + len;
    const __u64 w0 = kobj__load_u64(end - 8), w1 = kobj__load_u64(end - 16);
    const __u64 w2 = kobj__load_u64(end - 24), w3 = kobj__load_u64(end - 32);
    SAKER_PUT(__u64, &s->path[saker_bound(cursor - 8, SAKER_MAX_PARAM_SIZE - 1)], w0);
    SAKER_PUT(__u64, &s->path[saker_bound(cursor - 16, SAKER_MAX_PARAM_SIZE - 1)], w1);
    SAKER_PUT(__u64, &s->path[saker_bound(cursor - 24, SAKER_MAX_PARAM_SIZE - 1)], w2);
    SAKER_PUT(__u64, &s->path[saker_bound(cursor - 32, SAKER_MAX_PARAM_SIZE - 1)], w3);
    cursor -= len;
  } else {
    cursor -= len;
    bpf_probe_read_kernel(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], len, name);
  }
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  w->cursor = cursor;
  return true;
}

/* One step of the walk (a bpf_loop callback, so the verifier checks it once). */
static long path__step(__u32 i, void *data) {
  struct path__walk *w = data;
  struct saker_scratch *s = w->s;
  if (!s) return 1;
  if (w->dentry == w->root && w->mnt == w->root_mnt) { /* the process's own "/" */
    w->done = 1;
    return 1;
  }
  struct dentry *dentry = KOBJ(dentry, w->dentry);
  __u64 parent = (__u64)dentry->d_parent;
  if (w->dentry == w->mnt_root || w->dentry == parent) {
    if (w->dentry != w->mnt_root) {
      /* a root that is no mount's root: a detached or pseudo file, named by its own dentry
       * ("/memfd:NAME"), or when it has no name (pipes) by its inode, as the kernel does */
      if ((dentry->d_name.len & 0xff) == 0) {
        w->pseudo_ino = dentry->d_inode->i_ino;
        w->pseudo_magic = dentry->d_sb->s_magic;
        w->done = 1;
        return 1;
      }
      w->done = path__prepend(s, w, dentry);
      return 1;
    }
    struct mount *mnt = KOBJ(mount, w->mnt);
    __u64 up = (__u64)mnt->mnt_parent;
    if (up == w->mnt || !up) { /* global root reached */
      w->done = 1;
      return 1;
    }
    w->dentry = (__u64)mnt->mnt_mountpoint;
    w->mnt = up;
    w->mnt_root = (__u64)KOBJ(mount, up)->mnt.mnt_root;
    return 0;
  }
  if (!path__prepend(s, w, dentry)) return 1;
  w->dentry = parent;
  return 0;
}

static __always_inline struct saker_path_result path__resolve(struct saker_scratch *s,
                                                              struct task_struct *t,
                                                              __u64 dentry, __u64 vfs) {
  struct saker_path_result r = {0, 0};
  if (!dentry || !vfs) return r;
  /* Paths are the ones the process `t` sees: relative to its root directory (a chroot, a
   * container's root filesystem), as d_path() writes them. A file outside that root (opened
   * before a chroot, passed in) gets its path from the global root. */
  struct fs_struct *fs = KOBJ(fs_struct, t->fs);
  struct path__walk w = {
      .s = s,
      .dentry = dentry,
      .mnt_root = (__u64)KOBJ(vfsmount, vfs)->mnt_root,
      .mnt = path__real_mount(vfs),
      .root = (__u64)fs->root.dentry,
      .root_mnt = path__real_mount((__u64)fs->root.mnt),
      .pseudo_ino = 0,
      .pseudo_magic = 0,
      .cursor = SAKER_PATH_END,
      .done = 0,
  };
  s->path[SAKER_PATH_END] = 0;
  bpf_loop(SAKER_PATH_MAX_COMPONENTS, path__step, &w, 0);
  if (!w.done) event__note_truncated();
  if (w.pseudo_magic == SAKER_PIPEFS_MAGIC || w.pseudo_magic == SAKER_SOCKFS_MAGIC) {
    __u64 args[1] = {w.pseudo_ino};
    const __u32 at = SAKER_PATH_END - 31; /* "socket:[" + 20 digits + "]" + NUL fit */
    long n = w.pseudo_magic == SAKER_PIPEFS_MAGIC
                 ? bpf_snprintf((char *)&s->path[at], 32, path__pipe_fmt, args, sizeof(args))
                 : bpf_snprintf((char *)&s->path[at], 32, path__socket_fmt, args, sizeof(args));
    if (n > 0 && n <= 32) {
      r.from = at;
      r.len = (__u32)n;
      return r;
    }
  }
  __u32 cursor = w.cursor;
  if (cursor >= SAKER_PATH_END) { /* the root itself */
    cursor = SAKER_PATH_END - 1;
    s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  }
  r.from = cursor;
  r.len = SAKER_MAX_PARAM_SIZE - cursor;
  return r;
}

static __always_inline struct saker_path_result path__of_file(struct saker_scratch *s,
                                                              struct task_struct *t,
                                                              struct file *f) {
  struct saker_path_result none = {0, 0};
  if (!f) return none;
  struct file *kf = KOBJ(file, f);
  return path__resolve(s, t, (__u64)kf->f_path.dentry, (__u64)kf->f_path.mnt);
}

/* Copies the absolute path of `f`, as task `t` sees it, to data[off]; its length with the
 * NUL, 0 if none. */
static __always_inline __u32 path__copy_file(struct saker_scratch *s, struct task_struct *t,
                                             __u64 off, struct file *f) {
  struct saker_path_result r = path__of_file(s, t, f);
  return r.len ? event__copy_scratch_path(s, off, r.from, r.len) : 0;
}

/* Pushes the absolute path of `f`, or an empty parameter. */
static __always_inline void event__push_file_path(struct saker_scratch *s, struct file *f) {
  event__commit(s, path__copy_file(s, (struct task_struct *)bpf_get_current_task_btf(), s->pos, f));
}

#endif
