/* args.h: syscall arguments and return value at sys_exit (x86_64).
 *
 * At sys_exit the saved registers still hold the arguments the syscall was called with
 * (the kernel does not write them back), which is how exit programs read the "enter"
 * parameters without a separate enter event. Exceptions: a successful execve replaces
 * the registers (the exec programs read the new program from the task instead).
 * Compat-mode (ia32) syscalls are translated to their x86_64 number and registers here,
 * so the programs see every syscall the same way.
 */
#ifndef SAKER_BPF_ARGS_H
#define SAKER_BPF_ARGS_H

#include "maps.h"

/* A syscall made in compat mode (a 32-bit program, or `int $0x80` from a 64-bit one) has
 * the i386 number and argument registers, 32 bits wide. The kernel marks the task with
 * TS_COMPAT in thread_info.status for the duration of such a syscall; a successful exec of
 * a 64-bit program clears it (and reports the exec as execve). */
#define SAKER_TS_COMPAT 0x0002

/* Direct (CO-RE relocated) loads, not bpf_probe_read: the task from
 * bpf_get_current_task_btf() and the tracepoint's pt_regs are trusted BTF pointers, and a
 * plain load costs a few nanoseconds where a helper call costs tens, on every syscall of
 * the host, traced or not. */
static __always_inline bool task__is_compat(struct task_struct *t) {
  return (t->thread_info.status & SAKER_TS_COMPAT) != 0;
}

static __always_inline bool syscall__is_compat(void) {
  return task__is_compat((struct task_struct *)bpf_get_current_task_btf());
}

/* Argument i of a syscall whose mode (compat or not) the caller already knows. */
static __always_inline unsigned long syscall__arg_of(struct pt_regs *regs, bool compat, int i) {
  if (compat) {
    /* the upper halves are not part of a 32-bit argument and may hold anything */
    switch (i) {
      case 0: return (__u32)regs->bx;
      case 1: return (__u32)regs->cx;
      case 2: return (__u32)regs->dx;
      case 3: return (__u32)regs->si;
      case 4: return (__u32)regs->di;
      case 5: return (__u32)regs->bp;
      default: return 0;
    }
  }
  switch (i) {
    case 0: return regs->di;
    case 1: return regs->si;
    case 2: return regs->dx;
    case 3: return regs->r10;
    case 4: return regs->r8;
    case 5: return regs->r9;
    default: return 0;
  }
}

static __always_inline unsigned long syscall__arg(struct pt_regs *regs, int i) {
  return syscall__arg_of(regs, syscall__is_compat(), i);
}

/* The x86_64 number of the syscall, also for a compat one (translated through
 * ia32_syscalls); -1 for a compat syscall with no x86_64 counterpart (not reported). */
static __always_inline long syscall__nr_of(struct pt_regs *regs, bool compat) {
  long nr = regs->orig_ax;
  if (!compat) return nr;
  if (nr < 0 || nr >= SAKER_MAX_SYSCALLS) return -1;
  __u32 key = (__u32)nr;
  __u32 *x64 = bpf_map_lookup_elem(&ia32_syscalls, &key);
  if (!x64 || *x64 == SAKER_NO_SYSCALL) return -1;
  return *x64;
}

static __always_inline long syscall__nr(struct pt_regs *regs) {
  return syscall__nr_of(regs, syscall__is_compat());
}

/* File descriptor arguments are ints: sign-extend from 32 bits, as the kernel reads them. */
static __always_inline __s64 syscall__fd_arg(struct pt_regs *regs, int i) {
  return (__s64)(__s32)syscall__arg(regs, i);
}

#endif
