/* fixed.bpf.c: the small, frequent exit events of a fixed layout, written directly in the
 * ring: close (res, fd) and generic syscalls (ID, nativeID). */

struct close_event {
  struct saker_fixed_header h;
  __u16 lens[2];
  __s64 res;
  __s64 fd;
  struct saker_fixed_trailer t;
} __attribute__((packed));

SEC("tp_btf/sys_exit")
int BPF_PROG(saker_close_exit, struct pt_regs *regs, long ret) {
  __u64 ts = event__now();
  struct task_struct *t = task__current();
  bool compat = task__is_compat(t);
  __u32 cpu = bpf_get_smp_processor_id();
  __u64 tag;
  __u8 *rec = ring__reserve(cpu, sizeof(struct close_event), SAKER_DROP_BUFFER_FILE, &tag);
  if (!rec) return 0;
  struct close_event *e = (void *)(rec + SAKER_RING_HEADER_SIZE);
  fixed__header_of(&e->h, ts, t->pid, SAKER_EVT_CLOSE_X, sizeof(*e) - sizeof(e->t), 2);
  SAKER_PUT(__u16, &e->lens[0], 8);
  SAKER_PUT(__u16, &e->lens[1], 8);
  SAKER_PUT(__s64, &e->res, ret);
  SAKER_PUT(__s64, &e->fd, (__s64)(__s32)syscall__arg_of(regs, compat, 0));
  fixed__trailer(&e->t, cpu);
  ring__commit(rec, sizeof(*e), tag);
  return 0;
}

struct generic_event {
  struct saker_fixed_header h;
  __u16 lens[2];
  __u16 id;
  __u16 native_id;
  struct saker_fixed_trailer t;
} __attribute__((packed));

static __always_inline int fixed__generic(__u16 ppm_sc, __u16 nr) {
  __u32 cpu = bpf_get_smp_processor_id();
  __u64 tag;
  __u8 *rec = ring__reserve(cpu, sizeof(struct generic_event), SAKER_DROP_BUFFER_OTHER, &tag);
  if (!rec) return 0;
  struct generic_event *e = (void *)(rec + SAKER_RING_HEADER_SIZE);
  fixed__header(&e->h, SAKER_EVT_GENERIC_X, sizeof(*e) - sizeof(e->t), 2);
  SAKER_PUT(__u16, &e->lens[0], 2);
  SAKER_PUT(__u16, &e->lens[1], 2);
  SAKER_PUT(__u16, &e->id, ppm_sc);
  SAKER_PUT(__u16, &e->native_id, nr);
  fixed__trailer(&e->t, cpu);
  ring__commit(rec, sizeof(*e), tag);
  return 0;
}
