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
  return (__u64)KOBJ(timespec64, addr)->tv_sec;
}

#endif
