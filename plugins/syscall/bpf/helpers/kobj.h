/* kobj.h: reading kernel objects with plain loads instead of helper calls.
 *
 * A pointer that came through bpf_probe_read_kernel, or that is kept as a number across a
 * bpf_loop callback, is a bare number to the verifier; KOBJ() gives it back its kernel
 * type (bpf_rdonly_cast, 6.2+, inlined by the verifier: no call at run time). Member
 * accesses on the result are then single loads that the kernel guards against faults
 * (BPF_PROBE_MEM: a bad pointer reads as 0), where BPF_CORE_READ would cost a helper call
 * and a copy per field. Field offsets stay CO-RE relocated (vmlinux.h types carry
 * preserve_access_index). Only for reading: such pointers cannot be passed to helpers
 * that need trusted arguments.
 */
#ifndef SAKER_BPF_KOBJ_H
#define SAKER_BPF_KOBJ_H

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

#define KOBJ(type, ptr) \
  ((struct type *)bpf_rdonly_cast((const void *)(unsigned long)(ptr), \
                                  bpf_core_type_id_kernel(struct type)))

/* The 8 bytes at kernel address `addr` (an element of an array of pointers, such as a
 * descriptor table, which BTF cannot type), with one guarded load: callback_head's first
 * member is a pointer at offset 0, so it stands for "a pointer stored here". */
static __always_inline __u64 kobj__load_ptr(__u64 addr) {
  return addr ? (__u64)KOBJ(callback_head, addr)->next : 0;
}

/* The 8 bytes at kernel address `addr` as a number (one guarded load; 0 when refused):
 * timespec64's first member is a plain 64-bit integer at offset 0. */
static __always_inline __u64 kobj__load_u64(__u64 addr) {
  return addr ? (__u64)KOBJ(timespec64, addr)->tv_sec : 0;
}

/* The length of the NUL-terminated kernel string at `addr` when it is shorter than
 * 8 * SAKER_KSTR_WORDS bytes, found with guarded 8-byte loads; -1 when it is longer, or when
 * a word reads as all zeros: a refused load (a string ending next to a guard page) reads as
 * 0 too, so the caller falls back to a helper that reads byte by byte. */
#define SAKER_KSTR_WORDS 16
static __always_inline int kobj__strlen(__u64 addr) {
  if (!addr) return -1;
#pragma unroll
  for (int i = 0; i < SAKER_KSTR_WORDS; i++) {
    __u64 v = kobj__load_u64(addr + 8 * i);
    if (v == 0) return -1;
    /* the high bit of each zero byte (exact for the lowest one) */
    __u64 z = (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
    if (z) {
      /* lowest flagged byte k: (z & -z) >> 7 is 1 << 8k; the multiplier's byte 7 - k is k */
      __u64 low = (z & -z) >> 7;
      return 8 * i + (int)((low * 0x0001020304050607ull) >> 56);
    }
  }
  return -1;
}

#endif
