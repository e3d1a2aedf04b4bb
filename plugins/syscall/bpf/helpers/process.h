/* process.h: the parameters that describe the current process, shared by the exec and
 * clone exit events: program (exe, args), ids, cwd, limits, memory, comm, cgroups. */
#ifndef SAKER_BPF_PROCESS_H
#define SAKER_BPF_PROCESS_H

#include "task.h"

#define SAKER_EXE_WRITABLE (1u << 0)
#define SAKER_EXE_UPPER_LAYER (1u << 1)
#define SAKER_EXE_FROM_MEMFD (1u << 2)
#define SAKER_EXE_LOWER_LAYER (1u << 3)

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

/* The unified (v2) cgroup of the task, as the scap "cgroups" list: "name=/path\0" per
 * controller. Only the v2 hierarchy's path is written (once, named "cpuset" like the first
 * v1 controller Falco lists), which is what container ids are parsed from. */
static __always_inline void event__push_cgroups(struct saker_scratch *s, struct task_struct *t) {
  struct kernfs_node *kn = BPF_CORE_READ(t, cgroups, dfl_cgrp, kn);
  /* Walk up into the path area from the end, like path__resolve. */
  __u32 cursor = SAKER_PATH_END;
  s->path[SAKER_PATH_END] = 0;
  for (int i = 0; i < 24 && kn; i++) {
    struct kernfs_node *parent = 0;
    if (bpf_core_field_exists(kn->__parent))
      parent = BPF_CORE_READ(kn, __parent);
    if (!parent) break; /* the root's name is not part of the path */
    const char *name = BPF_CORE_READ(kn, name);
    char buf[128];
    long n = bpf_probe_read_kernel_str(buf, sizeof(buf), name);
    if (n <= 1) break;
    __u32 len = (__u32)(n - 1) & 127;
    if (cursor < len + 1) break;
    cursor -= len;
    bpf_probe_read_kernel(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], len, buf);
    cursor -= 1;
    s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
    kn = parent;
  }
  if (cursor == SAKER_PATH_END) {
    cursor -= 1;
    s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)] = '/';
  }
  /* prefix "cpuset=" */
  const char prefix[7] = {'c', 'p', 'u', 's', 'e', 't', '='};
  if (cursor < 7) {
    event__push_empty(s);
    return;
  }
  cursor -= 7;
  __builtin_memcpy(&s->path[saker_bound(cursor, SAKER_MAX_PARAM_SIZE - 1)], prefix, 7);
  event__push_scratch_path(s, cursor, SAKER_MAX_PARAM_SIZE - cursor);
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
