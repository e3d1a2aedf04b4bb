/* exe.h: what the exec exit event says about the program's file (the task's exe_file):
 * the scap `flags` bits (PPM_EXE_*) and the executable path with the " (deleted)" mark
 * d_path() gives a file no longer linked in its directory.
 *
 * Semantics follow the scap drivers:
 * - EXE_WRITABLE: the task could open the file for writing (owner, mode bits for its
 *   fsuid/fsgid and supplementary groups, CAP_DAC_OVERRIDE or CAP_FOWNER with the file's ids
 *   mapped in its user namespace), unless the filesystem is read-only or the file immutable.
 * - EXE_UPPER_LAYER / EXE_LOWER_LAYER: the file is on overlayfs, and its overlay inode has
 *   an upper dentry with an inode (created or copied up in the container's writable layer),
 *   or not (the image's read-only layers).
 * - EXE_FROM_MEMFD: the file is a memfd (a self-parented dentry named "memfd:...").
 * All reads are plain guarded loads (KOBJ), a few per exec.
 */
#ifndef SAKER_BPF_EXE_H
#define SAKER_BPF_EXE_H

#include "event.h"
#include "kobj.h"
#include "path.h"

#define SAKER_EXE_WRITABLE (1u << 0)
#define SAKER_EXE_UPPER_LAYER (1u << 1)
#define SAKER_EXE_FROM_MEMFD (1u << 2)
#define SAKER_EXE_LOWER_LAYER (1u << 3)

#define SAKER_OVERLAYFS_MAGIC 0x794c7630
#define SAKER_SB_RDONLY 1ul
#define SAKER_S_IMMUTABLE 8u
#define SAKER_CAP_DAC_OVERRIDE 1
#define SAKER_CAP_FOWNER 3

/* overlayfs's inode wrapper (fs/overlayfs/ovl_entry.h), only the two members used. overlayfs
 * may be a module whose BTF is not vmlinux's, or be built without BTF: the offsets are
 * relocated against whatever BTF the loader finds, and when there is none the upper dentry
 * is taken right after the embedded VFS inode, where every kernel since 4.x keeps it. */
struct ovl_inode___saker {
  struct inode vfs_inode;
  struct dentry *__upperdentry;
} __attribute__((preserve_access_index));

/* Where __upperdentry lies relative to the VFS inode inside struct ovl_inode. */
static __always_inline __u64 exe__upper_offset(void) {
  if (bpf_core_field_exists(struct ovl_inode___saker, __upperdentry) &&
      bpf_core_field_exists(struct ovl_inode___saker, vfs_inode))
    return bpf_core_field_offset(struct ovl_inode___saker, __upperdentry) -
           bpf_core_field_offset(struct ovl_inode___saker, vfs_inode);
  return bpf_core_type_size(struct inode);
}

/* EXE_UPPER_LAYER, EXE_LOWER_LAYER or 0 (not on overlayfs). */
static __always_inline __u32 exe__overlay_layer(struct dentry *d) {
  if (d->d_sb->s_magic != SAKER_OVERLAYFS_MAGIC) return 0;
  __u64 vfs_inode = (__u64)d->d_inode;
  if (!vfs_inode) return SAKER_EXE_LOWER_LAYER;
  __u64 upper = kobj__load_ptr(vfs_inode + exe__upper_offset());
  if (upper && KOBJ(dentry, upper)->d_inode && KOBJ(dentry, upper)->d_inode->i_ino)
    return SAKER_EXE_UPPER_LAYER;
  return SAKER_EXE_LOWER_LAYER;
}

/* A memfd: the shmem pseudo file memfd_create made, a root dentry named "memfd:NAME". */
static __always_inline bool exe__is_memfd(struct dentry *d) {
  if ((__u64)d->d_parent != (__u64)d) return false;
  char head[8] = {};
  bpf_probe_read_kernel(head, 6, d->d_name.name);
  return head[0] == 'm' && head[1] == 'e' && head[2] == 'm' && head[3] == 'f' && head[4] == 'd' &&
         head[5] == ':';
}

/* The id maps up to the base extents (what scap checks): is kernel id `id` mapped? */
static __always_inline bool exe__id_mapped(struct uid_gid_map *map, __u32 id) {
  __u32 n = map->nr_extents;
#pragma unroll
  for (int j = 0; j < 5; j++) {
    if (j >= n) break;
    __u32 first = map->extent[j].lower_first;
    __u32 count = map->extent[j].count;
    if (id >= first && id - first < count) return true;
  }
  return false;
}

/* Is gid `g` one of the task's supplementary groups (a sorted array: binary search)? */
static __always_inline bool exe__in_groups(const struct cred *cred, __u32 g) {
  struct group_info *gi = cred->group_info;
  if (!gi) return false;
  __u32 left = 0, right = gi->ngroups;
  for (int j = 0; j < 16; j++) {
    if (left >= right) break;
    __u32 mid = (left + right) / 2;
    __u32 v = 0; /* an element at a variable index: not a plain load */
    bpf_probe_read_kernel(&v, sizeof(v), &gi->gid[mid]);
    if (g > v)
      left = mid + 1;
    else if (g < v)
      right = mid;
    else
      return true;
  }
  return false;
}

static __always_inline bool exe__writable(const struct cred *cred, struct inode *ino) {
  __u16 mode = ino->i_mode;
  __u16 type = mode & 0170000;
  if ((ino->i_sb->s_flags & SAKER_SB_RDONLY) &&
      (type == 0100000 || type == 0040000 || type == 0120000))
    return false;
  if (ino->i_flags & SAKER_S_IMMUTABLE) return false;
  __u32 uid = ino->i_uid.val, gid = ino->i_gid.val;
  if (uid == (__u32)-1 || gid == (__u32)-1) return false;
  __u32 fsuid = cred->fsuid.val;
  if (fsuid == uid) return true; /* the owner may always make it writable */
  __u32 bits = mode;
  if (gid == cred->fsgid.val || exe__in_groups(cred, gid)) bits >>= 3;
  if (bits & 0002) return true;
  __u64 caps = cred->cap_effective.val;
  if (!(caps & ((1ull << SAKER_CAP_DAC_OVERRIDE) | (1ull << SAKER_CAP_FOWNER)))) return false;
  struct user_namespace *ns = cred->user_ns;
  if (!ns) return false;
  bool uid_mapped = exe__id_mapped(&ns->uid_map, uid);
  if ((caps & (1ull << SAKER_CAP_DAC_OVERRIDE)) && uid_mapped &&
      exe__id_mapped(&ns->gid_map, gid))
    return true;
  return (caps & (1ull << SAKER_CAP_FOWNER)) && uid_mapped;
}

/* The exec event's `flags` of executable `exe` run by `t`; *deleted tells whether d_path()
 * would mark its path " (deleted)" (unlinked, or a memfd: the kernel names those
 * "/memfd:NAME (deleted)"). */
static __always_inline __u32 exe__flags(struct task_struct *t, struct file *exe, bool *deleted) {
  *deleted = false;
  if (!exe) return 0;
  struct file *f = KOBJ(file, exe);
  struct dentry *d = f->f_path.dentry;
  struct inode *ino = f->f_inode;
  __u32 flags = 0;
  if (!d || !ino) return 0;
  const struct cred *cred = KOBJ(task_struct, t)->cred;
  if (cred && exe__writable(cred, ino)) flags |= SAKER_EXE_WRITABLE;
  flags |= exe__overlay_layer(d);
  if (exe__is_memfd(d)) {
    flags |= SAKER_EXE_FROM_MEMFD;
    *deleted = true;
  } else if (!d->d_hash.pprev && (__u64)d->d_parent != (__u64)d) {
    *deleted = true; /* d_unlinked(): unhashed and not a root */
  }
  return flags;
}

/* Pushes the absolute path of `exe` as `t` sees it, with " (deleted)" appended when
 * `deleted` (as the kernel's d_path, /proc/PID/exe and the scap drivers show it). */
static __always_inline void event__push_exe_path(struct saker_scratch *s, struct task_struct *t,
                                                 struct file *exe, bool deleted) {
  struct saker_path_result r = path__of_file(s, t, exe);
  __u64 off = s->pos;
  __u32 len = r.len ? event__copy_scratch_path(s, off, r.from, r.len) : 0;
  if (len && deleted && len + 10 <= SAKER_MAX_PARAM_SIZE) {
    /* overwrite the NUL: " (deleted)" and a new NUL, 11 bytes */
    __u8 *p = &s->data[SAKER_AT(off + len - 1)];
    p[0] = ' ';
    p[1] = '(';
    p[2] = 'd';
    p[3] = 'e';
    p[4] = 'l';
    p[5] = 'e';
    p[6] = 't';
    p[7] = 'e';
    p[8] = 'd';
    p[9] = ')';
    p[10] = 0;
    len += 10;
  }
  event__commit(s, len);
}

#endif
