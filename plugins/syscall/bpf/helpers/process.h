/* process.h: the parameters that describe the current process, shared by the exec and
 * clone exit events: program (exe, args), ids, cwd, limits, memory, comm, cgroups. */
#ifndef SAKER_BPF_PROCESS_H
#define SAKER_BPF_PROCESS_H

#include "exe.h"
#include "task.h"

/* tid, pid, ptid, cwd, fdlimit, pgft_maj, pgft_min, vm_size, vm_rss, vm_swap, comm — what
 * follows res, exe and args in clone and execve exit events. */
static __always_inline void event__push_process_ids(struct saker_scratch *s,
                                                    struct task_struct *t) {
  event__push_s64(s, t->pid);
  event__push_s64(s, t->tgid);
  event__push_s64(s, task__ptid(t));
  event__push_cwd(s, t);
  event__push_u64(s, task__fdlimit(t));
  event__push_u64(s, t->maj_flt);
  event__push_u64(s, t->min_flt);
  struct mm_struct *mm = t->mm;
  event__push_u32(s, task__vm_size_kb(mm));
  event__push_u32(s, task__vm_rss_kb(mm));
  event__push_u32(s, task__vm_swap_kb(mm));
  char comm[16];
  bpf_get_current_comm(comm, sizeof(comm));
  event__push_kernel_str(s, comm);
}

/* Kernels before 6.15 call a kernfs node's parent `parent`. */
struct kernfs_node___parent_before_6_15 {
  struct kernfs_node *parent;
} __attribute__((preserve_access_index));

static __always_inline __u64 cgroups__parent(struct kernfs_node *kn) {
  if (bpf_core_field_exists(kn->__parent)) return (__u64)kn->__parent;
  return (__u64)((struct kernfs_node___parent_before_6_15 *)kn)->parent;
}

struct cgroups__walk {
  __u64 kn; /* struct kernfs_node, kept as a number across the callback (helpers/kobj.h) */
  __u32 cursor;
  __u32 full;
};

/* One component of a cgroup path (a bpf_loop callback: checked once by the verifier). The
 * name is read into the path area's last part first (its length is only known then), then
 * moved in front of what the walk has. */
#define SAKER_CGROUP_NAME_TMP (SAKER_MAX_PARAM_SIZE * 2)
static long cgroups__step(__u32 i, void *data) {
  struct cgroups__walk *w = data;
  struct saker_scratch *s = event__scratch();
  if (!s || !w->kn) return 1;
  struct kernfs_node *kn = KOBJ(kernfs_node, w->kn);
  __u64 parent = cgroups__parent(kn);
  if (!parent) return 1; /* the root's name is not part of the path */
  long n = bpf_probe_read_kernel_str(&s->path[SAKER_CGROUP_NAME_TMP], 128, kn->name);
  if (n <= 1) return 1;
  __u32 len = (__u32)(n - 1) & 127;
  __u32 cursor = w->cursor;
  if (cursor < len + 1 + 32) {
    w->full = 1;
    return 1;
  }
  cursor -= len;
  bpf_probe_read_kernel(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], len,
                        &s->path[SAKER_CGROUP_NAME_TMP]);
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  w->cursor = cursor;
  w->kn = parent;
  return 0;
}

/* Writes the path of cgroup node `kn` so it ends at `cursor` in the path area (backwards);
 * its first byte, or 0 when the area is full. The hierarchy's root is "/". */
static __always_inline __u32 cgroups__path(struct saker_scratch *s, __u32 cursor, __u64 kn) {
  struct cgroups__walk w = {.kn = kn, .cursor = cursor, .full = 0};
  bpf_loop(32, cgroups__step, &w, 0);
  if (w.full) return 0;
  if (w.cursor == cursor) { /* the root itself */
    if (w.cursor < 33) return 0;
    w.cursor -= 1;
    s->path[saker_bound(w.cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  }
  return w.cursor;
}

struct cgroups__list {
  __u64 cset;    /* struct css_set */
  __u64 prev_kn; /* the previous entry's cgroup and where its path lies */
  __u32 prev_from;
  __u32 prev_len;
  __u32 cursor;
  __u32 written;
};

/* The controllers listed, last first (the list is written backwards), and their names with
 * the '=' that follows (struct cgroup_subsys.name: fixed by the kernel). */
static __always_inline int cgroups__subsys_id(__u32 i) {
  switch (i) {
    case 0: return bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
    case 1: return bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
    case 2: return bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id);
    default: return bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id);
  }
}
#define SAKER_CHARS8(a, b, c, d, e, f, g)                                                   \
  ((__u64)(a) | (__u64)(b) << 8 | (__u64)(c) << 16 | (__u64)(d) << 24 | (__u64)(e) << 32 | \
   (__u64)(f) << 40 | (__u64)(g) << 48)
static __always_inline __u64 cgroups__name(__u32 i, __u32 *len) {
  switch (i) {
    case 0: *len = 5; return SAKER_CHARS8('p', 'i', 'd', 's', '=', 0, 0);
    case 1: *len = 7; return SAKER_CHARS8('m', 'e', 'm', 'o', 'r', 'y', '=');
    case 2: *len = 4; return SAKER_CHARS8('c', 'p', 'u', '=', 0, 0, 0);
    default: *len = 7; return SAKER_CHARS8('c', 'p', 'u', 's', 'e', 't', '=');
  }
}

/* One controller's entry "NAME=/path\0" (a bpf_loop callback, so the verifier checks it once).
 * On a cgroup v2 host the controllers usually share one cgroup: its path is then copied
 * from the entry before, not walked again. */
static long cgroups__entry(__u32 i, void *data) {
  struct cgroups__list *l = data;
  struct saker_scratch *s = event__scratch();
  if (!s || i > 3) return 1;
  __u64 css = kobj__load_ptr(l->cset + bpf_core_field_offset(struct css_set, subsys) +
                             8 * (__u64)(cgroups__subsys_id(i) & 15));
  if (!css) return 0;
  __u64 kn = (__u64)KOBJ(cgroup_subsys_state, css)->cgroup->kn;
  if (!kn) return 0;
  __u32 cursor = l->cursor;
  if (cursor < 64) return 1;
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = 0;
  __u32 from;
  if (kn == l->prev_kn && l->prev_len && l->prev_len + 16 < cursor) {
    __u32 len = l->prev_len & (SAKER_MAX_PARAM_SIZE - 1);
    from = cursor - len;
    bpf_probe_read_kernel(&s->path[saker_bound(from, SAKER_MAX_PARAM_SIZE - 1)], len,
                          &s->path[saker_bound(l->prev_from, SAKER_MAX_PARAM_SIZE - 1)]);
  } else {
    from = cgroups__path(s, cursor, kn);
    if (!from) return 1; /* the entry did not fit: the list ends with the previous one */
  }
  l->prev_kn = kn;
  l->prev_from = from;
  l->prev_len = cursor - from;
  /* "NAME=" in front: one store of the name moved to the word's high bytes (the low bytes
   * land where the next entry, or nothing sent, goes) */
  __u32 nlen = 0;
  __u64 word = cgroups__name(i, &nlen);
  if (from < 8) return 1;
  SAKER_PUT(__u64, &s->path[saker_bound(from - 8, SAKER_MAX_PARAM_SIZE - 1)], word << (8 * (8 - nlen)));
  l->cursor = from - nlen;
  l->written++;
  return 0;
}

/* The task's cgroups as the scap "cgroups" list, "NAME=/path\0" per controller, for the
 * controllers container runtimes always set (cpuset, cpu, memory, pids): on a cgroup v1 or
 * hybrid host their v1 paths hold the container id, on a v2 host all four show the unified
 * path. Written backwards into the path area, then copied as one parameter. */
static __always_inline void event__push_cgroups(struct saker_scratch *s, struct task_struct *t) {
  struct cgroups__list l = {.cset = (__u64)t->cgroups,
                            .prev_kn = 0,
                            .prev_from = 0,
                            .prev_len = 0,
                            .cursor = SAKER_PATH_END + 1,
                            .written = 0};
  if (!l.cset) {
    event__push_empty(s);
    return;
  }
  bpf_loop(4, cgroups__entry, &l, 0);
  if (!l.written) {
    event__push_empty(s);
    return;
  }
  event__push_scratch_path(s, l.cursor, SAKER_PATH_END + 1 - l.cursor);
}

/* Start time (epoch ns) of the init process of the task's pid namespace. */
static __always_inline __u64 task__pidns_init_start(struct task_struct *t) {
  struct pid *p = t->thread_pid;
  if (!p) return 0;
  unsigned int level = p->level;
  __u64 at = (__u64)p + bpf_core_field_offset(struct pid, numbers) +
             (__u64)(level & 31) * bpf_core_type_size(struct upid);
  struct pid_namespace *ns = KOBJ(upid, at)->ns;
  if (!ns) return 0;
  return ns->child_reaper->start_time + saker_config.boot_time_ns;
}

#endif
