/* ring.h: the event rings (layout in driver_shared.h), written without a lock.
 *
 *   __u64 tag;
 *   __u8 *rec = ring__reserve(cpu, len, SAKER_DROP_BUFFER_FILE, &tag);  // len: event + trailer
 *   if (!rec) return 0;                                                 // full: drop counted
 *   ... write the len bytes at rec + SAKER_RING_HEADER_SIZE ...
 *   ring__commit(rec, len, tag);
 *
 * Why not BPF_MAP_TYPE_RINGBUF: its reserve takes a spin lock with interrupts off and its
 * commit an atomic exchange, both helper calls: about 45 ns per open+close pair here, a
 * fifth of the driver's cost. A reservation here is one compare-and-swap on a cache line
 * the CPU usually owns already, and the commit one store. The reader is never woken: it
 * polls (engine/live_driver.cpp), as it did for the BPF rings past the first event.
 *
 * Every reserve is followed by its commit (no failure path in between), so a reader that
 * finds a header without its position's tag knows the record is being written and waits.
 */
#ifndef SAKER_BPF_RING_H
#define SAKER_BPF_RING_H

#include "maps.h"

/* Per-CPU counters: each CPU owns its entry (programs do not migrate), plain increments. */
static __always_inline void ring__count(bool sent, __u32 category) {
  struct saker_counters *c = counters__this_cpu();
  if (!c) return;
  if (sent)
    c->events++;
  else if (category < SAKER_DROP_CATEGORIES)
    c->drops[category]++;
}

/* The ring of a CPU's group (maps.h: cpu_rings). One ring (the default: all CPUs share
 * it) is known at load time, and the verifier drops the lookup. */
static __always_inline __u32 ring__of_cpu(__u32 cpu) {
  if (saker_config.num_rings == 1) return 0;
  __u32 *ring = bpf_map_lookup_elem(&cpu_rings, &cpu);
  return ring ? *ring : 0;
}

/* Byte `pos` of ring `ring`, inside its chunk (the caller keeps [pos, pos + n) inside one
 * chunk; the verifier sees SAKER_RING_CHUNK_SPARE bytes past any offset). */
static __always_inline __u8 *ring__at(__u32 ring, __u64 pos) {
  __u32 chunks = saker_config.ring_chunks;
  __u32 idx = ring * chunks + ((__u32)(pos >> SAKER_RING_CHUNK_SHIFT) & (chunks - 1));
  __u8 *chunk = bpf_map_lookup_elem(&ring_data, &idx);
  if (!chunk) return 0;
  return chunk + (pos & (SAKER_RING_CHUNK - 1));
}

static __always_inline __u64 ring__load(volatile __u64 *p) { return *p; }

/* The tag of a header at `pos` (driver_shared.h). */
static __always_inline __u64 ring__tag(__u64 pos) {
  return ((__u64)((__u32)(pos >> SAKER_RING_CHUNK_SHIFT) ^ saker_config.ring_secret)) << 32;
}

/* Reserves room for a record of `len` bytes (rounded up to 8) plus its header in the ring
 * of `cpu`; the header's address and in `*tag` what ring__commit needs, or 0 (the drop
 * counted in `category`) when the ring is full or, three times in a row, another CPU of
 * the group reserved first. */
static __always_inline __u8 *ring__reserve(__u32 cpu, __u32 len, __u32 category, __u64 *tag) {
  __u32 ring = ring__of_cpu(cpu);
  struct saker_ring_ctl *c = bpf_map_lookup_elem(&ring_ctl, &ring);
  if (!c) {
    ring__count(false, category);
    return 0;
  }
  const __u64 size = SAKER_RING_HEADER_SIZE + (((__u64)len + 7) & ~7ull);
  __u64 head = 0, pad = 0;
  bool won = false;
#pragma unroll
  for (int i = 0; i < 3 && !won; i++) {
    head = ring__load(&c->head);
    __u64 tail = ring__load(&c->tail);
    __u64 off = head & (SAKER_RING_CHUNK - 1);
    pad = off + size > SAKER_RING_CHUNK ? SAKER_RING_CHUNK - off : 0;
    __u64 next = head + pad + size;
    if (next - tail > saker_config.ring_bytes) break;
    won = __sync_val_compare_and_swap(&c->head, head, next) == head;
  }
  if (!won) {
    ring__count(false, category);
    return 0;
  }
  if (pad) {
    /* the chunk's end is skipped: a padding record the reader steps over */
    __u8 *p = ring__at(ring, head);
    if (p) *(volatile __u64 *)p = ring__tag(head) | SAKER_RING_PAD_BIT | (pad - SAKER_RING_HEADER_SIZE);
  }
  *tag = ring__tag(head + pad);
  __u8 *rec = ring__at(ring, head + pad);
  if (!rec) ring__count(false, category);
  return rec;
}

/* Publishes a record of `len` bytes reserved at `rec`: the header is written last. x86 keeps
 * stores in order, so a compiler barrier is enough; elsewhere the exchange orders them. */
static __always_inline void ring__commit(__u8 *rec, __u32 len, __u64 tag) {
  __u64 h = tag | len;
#if defined(__TARGET_ARCH_x86)
  asm volatile("" ::: "memory");
  *(volatile __u64 *)rec = h;
#else
  __sync_lock_test_and_set((__u64 *)rec, h);
#endif
  ring__count(true, 0);
}

/* Events up to this size are copied into the ring word by word. */
#define SAKER_RING_WORD_COPY 192

/* Copies `len` bytes built elsewhere (the scratch area) into a new record of the ring of
 * `cpu`'s group: reserve, copy, commit (or the drop counted in `category`). */
static __always_inline void ring__output(__u32 cpu, const void *src, __u32 len, __u32 category) {
  __u64 tag;
  __u8 *rec = ring__reserve(cpu, len, category, &tag);
  if (!rec) return;
  if (len <= SAKER_RING_WORD_COPY) {
    /* a small event (most of them): plain 8-byte loads and stores, no helper call; the
     * last word fills the record's rounding with zeros, not with what lies past the event */
    const __u32 words = (len + 7) / 8;
    const __u64 last = ~0ull >> (((8 - (len & 7)) & 7) * 8);
    __u64 *to = (__u64 *)(rec + SAKER_RING_HEADER_SIZE);
    const __u64 *from = (const __u64 *)src;
#pragma unroll
    for (__u32 i = 0; i < SAKER_RING_WORD_COPY / 8; i++) {
      if (i + 1 >= words) {
        if (i + 1 == words) to[i] = from[i] & last;
        break;
      }
      to[i] = from[i];
    }
  } else {
    bpf_probe_read_kernel(rec + SAKER_RING_HEADER_SIZE, len, src);
  }
  ring__commit(rec, len, tag);
}

#endif
