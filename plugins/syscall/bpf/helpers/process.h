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
  event__push_s64(s, BPF_CORE_READ(t, pid));
  event__push_s64(s, BPF_CORE_READ(t, tgid));
  event__push_s64(s, task__ptid(t));
  event__push_cwd(s, t);
  event__push_u64(s, task__fdlimit(t));
  event__push_u64(s, BPF_CORE_READ(t, maj_flt));
  event__push_u64(s, BPF_CORE_READ(t, min_flt));
  struct mm_struct *mm = BPF_CORE_READ(t, mm);
  event__push_u32(s, task__vm_size_kb(mm));
  event__push_u32(s, task__vm_rss_kb(mm));
  event__push_u32(s, task__vm_swap_kb(mm));
  char comm[16];
  bpf_get_current_comm(comm, sizeof(comm));
  event__push_kernel_str(s, comm);
}

struct cgroups__walk {
  struct kernfs_node *kn;
  __u32 cursor;
  __u32 full;
};

/* One component of a cgroup path (a bpf_loop callback: checked once by the verifier). */
static long cgroups__step(__u32 i, void *data) {
  struct cgroups__walk *w = data;
  struct saker_scratch *s = event__scratch();
  struct kernfs_node *kn = w->kn;
  if (!s || !kn) return 1;
  struct kernfs_node *parent = 0;
  if (bpf_core_field_exists(kn->__parent)) parent = BPF_CORE_READ(kn, __parent);
  if (!parent) return 1; /* the root's name is not part of the path */
  char buf[128];
  long n = bpf_probe_read_kernel_str(buf, sizeof(buf), BPF_CORE_READ(kn, name));
  if (n <= 1) return 1;
  __u32 len = (__u32)(n - 1) & 127;
  __u32 cursor = w->cursor;
  if (cursor < len + 1 + 32) {
    w->full = 1;
    return 1;
  }
  cursor -= len;
  bpf_probe_read_kernel(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], len, buf);
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  w->cursor = cursor;
  w->kn = parent;
  return 0;
}

/* Prepends "NAME=/path" of cgroup node `kn` at `cursor` in the path area (writing
 * backwards; the caller has written the entry's terminating NUL). Returns the new cursor,
 * or 0 when the area is full. The hierarchy's root is "/". */
static __always_inline __u32 cgroups__prepend(struct saker_scratch *s, __u32 cursor,
                                              struct kernfs_node *kn, const char *ss_name) {
  struct cgroups__walk w = {.kn = kn, .cursor = cursor, .full = 0};
  bpf_loop(32, cgroups__step, &w, 0);
  if (w.full) return 0;
  if (w.cursor == cursor) { /* the root itself */
    if (w.cursor < 33) return 0;
    w.cursor -= 1;
    s->path[saker_bound(w.cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  }
  cursor = w.cursor;
  /* "NAME=" */
  char name[16] = {};
  long n = bpf_probe_read_kernel_str(name, sizeof(name), ss_name);
  if (n <= 1) return cursor;
  __u32 len = (__u32)(n - 1) & 15;
  if (cursor < len + 2) return 0;
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '=';
  cursor -= len;
  bpf_probe_read_kernel(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], len, name);
  return cursor;
}

struct cgroups__list {
  struct css_set *cset;
  __u32 cursor;
  __u32 written;
};

/* The controllers listed, last first (the list is written backwards). */
static __always_inline int cgroups__subsys_id(__u32 i) {
  switch (i) {
    case 0: return bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
    case 1: return bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
    case 2: return bpf_core_enum_value(enum cgroup_subsys_id, cpu_cgrp_id);
    default: return bpf_core_enum_value(enum cgroup_subsys_id, cpuset_cgrp_id);
  }
}

/* One controller's entry (a bpf_loop callback, so the verifier checks it once). */
static long cgroups__entry(__u32 i, void *data) {
  struct cgroups__list *l = data;
  struct saker_scratch *s = event__scratch();
  if (!s) return 1;
  struct css_set *cset = l->cset;
  struct cgroup_subsys_state *css = 0;
  bpf_probe_read_kernel(&css, sizeof(css), &cset->subsys[cgroups__subsys_id(i) & 15]);
  if (!css) return 0;
  struct kernfs_node *kn = BPF_CORE_READ(css, cgroup, kn);
  const char *ss_name = BPF_CORE_READ(css, ss, name);
  if (!kn || !ss_name) return 0;
  __u32 cursor = l->cursor;
  if (cursor < 64) return 1;
  cursor -= 1;
  s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = 0;
  __u32 c = cgroups__prepend(s, cursor, kn, ss_name);
  if (!c) return 1; /* the entry did not fit: the list ends with the previous one */
  l->cursor = c;
  l->written++;
  return 0;
}

/* The task's cgroups as the scap "cgroups" list, "NAME=/path\0" per controller, for the
 * controllers container runtimes always set (cpuset, cpu, memory, pids): on a cgroup v1 or
 * hybrid host their v1 paths hold the container id, on a v2 host all four show the unified
 * path. Written backwards into the path area, then copied as one parameter. */
static __always_inline void event__push_cgroups(struct saker_scratch *s, struct task_struct *t) {
  struct cgroups__list l = {.cset = BPF_CORE_READ(t, cgroups),
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
  struct pid *p = BPF_CORE_READ(t, thread_pid);
  if (!p) return 0;
  unsigned int level = BPF_CORE_READ(p, level);
  struct pid_namespace *ns = BPF_CORE_READ(p, numbers[level & 31].ns);
  struct task_struct *reaper = ns ? BPF_CORE_READ(ns, child_reaper) : 0;
  if (!reaper) return 0;
  return BPF_CORE_READ(reaper, start_time) + saker_config.boot_time_ns;
}

#endif
