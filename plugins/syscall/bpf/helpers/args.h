/* args.h: syscall arguments and return value at sys_exit (x86_64).
 *
 * At sys_exit the saved registers still hold the arguments the syscall was called with
 * (the kernel does not write them back), which is how exit programs read the "enter"
 * parameters without a separate enter event. Exceptions: a successful execve replaces
 * the registers (the exec programs read the new program from the task instead).
 */
#ifndef SAKER_BPF_ARGS_H
#define SAKER_BPF_ARGS_H

static __always_inline unsigned long syscall__arg(struct pt_regs *regs, int i) {
  switch (i) {
    case 0: return BPF_CORE_READ(regs, di);
    case 1: return BPF_CORE_READ(regs, si);
    case 2: return BPF_CORE_READ(regs, dx);
    case 3: return BPF_CORE_READ(regs, r10);
    case 4: return BPF_CORE_READ(regs, r8);
    case 5: return BPF_CORE_READ(regs, r9);
    default: return 0;
  }
}

static __always_inline long syscall__nr(struct pt_regs *regs) { return BPF_CORE_READ(regs, orig_ax); }

/* File descriptor arguments are ints: sign-extend from 32 bits, as the kernel reads them. */
static __always_inline __s64 syscall__fd_arg(struct pt_regs *regs, int i) {
  return (__s64)(__s32)syscall__arg(regs, i);
}

#endif
