/* fixed.h: events of a fixed size written straight into the ring (ring__reserve),
 * without the scratch area, its zeroing and the copy out: the path for the most frequent
 * small events (close, generic syscalls). The layout is the same scap event + CPU trailer
 * as helpers/event.h writes. */
#ifndef SAKER_BPF_FIXED_H
#define SAKER_BPF_FIXED_H

#include "event.h"

struct saker_fixed_header {
  __u64 ts;
  __u64 tid;
  __u32 len;
  __u16 type;
  __u32 nparams;
} __attribute__((packed));

struct saker_fixed_trailer {
  __u16 cpu;
  __u16 marker;
} __attribute__((packed));

static __always_inline void fixed__header_of(struct saker_fixed_header *h, __u64 ts, __u64 tid,
                                             __u16 type, __u32 len, __u32 nparams) {
  /* packed members: SAKER_PUT (helpers/event.h) keeps each store whole */
  SAKER_PUT(__u64, &h->ts, ts);
  SAKER_PUT(__u64, &h->tid, tid);
  SAKER_PUT(__u32, &h->len, len);
  SAKER_PUT(__u16, &h->type, type);
  SAKER_PUT(__u32, &h->nparams, nparams);
}

static __always_inline void fixed__header(struct saker_fixed_header *h, __u16 type, __u32 len,
                                          __u32 nparams) {
  fixed__header_of(h, event__now(), bpf_get_current_pid_tgid() & 0xffffffff, type, len, nparams);
}

static __always_inline void fixed__trailer(struct saker_fixed_trailer *t, __u32 cpu) {
  SAKER_PUT(__u16, &t->cpu, cpu);
  SAKER_PUT(__u16, &t->marker, SAKER_PAYLOAD_TRAILER_MARKER);
}

#endif
