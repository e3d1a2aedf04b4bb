/* event.h: building one scap event in the CPU's scratch area and sending it.
 *
 *   struct saker_scratch *s = event__begin(SAKER_EVT_CLOSE_X, 2, SAKER_DROP_BUFFER_FILE);
 *   if (!s) return 0;
 *   event__push_s64(s, ret);  ... one push per declared parameter, in order ...
 *   event__submit(s);
 *
 * Layout written (scap format): header {ts, tid, len, type, nparams}, then one u16 length
 * per parameter, then the parameter bytes; after the event, the 4-byte CPU trailer of
 * engine/event_payload.h. Every offset is masked so the verifier can prove it stays inside
 * the scratch buffer; a parameter that would not fit is written empty. Parameters not
 * pushed before submit are sent empty (length 0), never as garbage.
 */
#ifndef SAKER_BPF_EVENT_H
#define SAKER_BPF_EVENT_H

#include "ring.h"

/* An offset the verifier can see is inside the event area. The empty asm keeps clang from
 * folding the mask away when it can prove the bound itself (the verifier cannot). */
static __always_inline __u64 saker_bound(__u64 off, __u64 mask) {
  asm volatile("" : "+r"(off));
  return off & mask;
}
#define SAKER_AT(off) saker_bound((off), SAKER_EVENT_MASK)

/* One store of a TYPE at an arbitrary byte address. Scap fields sit at odd offsets; through
 * a byte array clang assumes alignment 1 and splits every store into single bytes (eight
 * stores and seven shifts for a u64). Going through a void pointer makes it one store,
 * which x86_64 and arm64 do unaligned at no cost (the verifier allows it there). */
#define SAKER_PUT(TYPE, addr, v)     \
  do {                               \
    void *saker_p__ = (void *)(addr); \
    *(TYPE *)saker_p__ = (TYPE)(v);  \
  } while (0)

#define SAKER_DATA_LIMIT (SAKER_MAX_EVENT_SIZE - SAKER_MAX_PARAM_SIZE - SAKER_PAYLOAD_TRAILER_SIZE)

static __always_inline struct saker_scratch *event__scratch(void) {
  __u32 cpu = bpf_get_smp_processor_id();
  struct saker_scratch *s = bpf_map_lookup_elem(&scratch, &cpu);
  if (s) s->cpu = cpu;
  return s;
}

static __always_inline void event__put_u16(struct saker_scratch *s, __u64 off, __u16 v) {
  SAKER_PUT(__u16, &s->data[SAKER_AT(off)], v);
}

/* The event's timestamp. Read it before touching memory that may miss the cache: the clock
 * read waits for loads in flight. */
static __always_inline __u64 event__now(void) {
  return bpf_ktime_get_boot_ns() + saker_config.boot_time_ns;
}

/* The scap header of an event of thread `tid` taken at `ts` (its total length is written
 * when it is sent). */
static __always_inline void event__header_of(__u8 *ev, __u64 ts, __u64 tid, __u16 type,
                                             __u32 nparams) {
  SAKER_PUT(__u64, ev, ts);
  SAKER_PUT(__u64, ev + 8, tid);
  SAKER_PUT(__u16, ev + 20, type);
  SAKER_PUT(__u32, ev + 22, nparams);
}

static __always_inline void event__header(struct saker_scratch *s, __u16 type, __u32 nparams) {
  event__header_of(s->data, event__now(), bpf_get_current_pid_tgid() & 0xffffffff, type, nparams);
}

static __always_inline struct saker_scratch *event__begin(__u16 type, __u32 nparams,
                                                         __u32 category) {
  struct saker_scratch *s = event__scratch();
  if (!s) return 0;
  if (nparams > SAKER_MAX_PARAMS) nparams = SAKER_MAX_PARAMS;
  event__header(s, type, nparams);
  /* every length starts at 0: parameters not pushed are sent empty */
#pragma unroll
  for (int i = 0; i < 2 * SAKER_MAX_PARAMS; i += 8)
    SAKER_PUT(__u64, &s->data[SAKER_EVENT_HEADER_SIZE + i], 0);
  s->nparams = nparams;
  s->param = 0;
  s->pos = SAKER_EVENT_HEADER_SIZE + 2 * nparams;
  s->category = category;
  return s;
}

/* Records that the current parameter took `len` bytes at s->pos and moves on. */
static __always_inline void event__commit(struct saker_scratch *s, __u32 len) {
  __u32 i = s->param;
  if (i >= s->nparams || i >= SAKER_MAX_PARAMS) return;
  event__put_u16(s, SAKER_EVENT_HEADER_SIZE + 2 * i, (__u16)len);
  s->pos += len;
  s->param = i + 1;
}

static __always_inline void event__push_empty(struct saker_scratch *s) { event__commit(s, 0); }

#define SAKER_DEFINE_PUSH(NAME, TYPE)                                       \
  static __always_inline void event__push_##NAME(struct saker_scratch *s, TYPE v) { \
    __u64 off = s->pos;                                                     \
    if (off > SAKER_DATA_LIMIT) return event__push_empty(s);                \
    SAKER_PUT(TYPE, &s->data[SAKER_AT(off)], v);                            \
    event__commit(s, sizeof(TYPE));                                         \
  }
SAKER_DEFINE_PUSH(u8, __u8)
SAKER_DEFINE_PUSH(u16, __u16)
SAKER_DEFINE_PUSH(u32, __u32)
SAKER_DEFINE_PUSH(u64, __u64)
SAKER_DEFINE_PUSH(s32, __s32)
SAKER_DEFINE_PUSH(s64, __s64)

/* A PT_DYN parameter: the selector, then `size` (1 or 8) bytes of value. */
static __always_inline void event__push_dyn(struct saker_scratch *s, __u8 idx, __u64 v, __u32 size) {
  __u64 off = s->pos;
  if (off > SAKER_DATA_LIMIT) return event__push_empty(s);
  s->data[SAKER_AT(off)] = idx;
  if (size == 1)
    s->data[SAKER_AT(off + 1)] = (__u8)v;
  else
    SAKER_PUT(__u64, &s->data[SAKER_AT(off + 1)], v);
  event__commit(s, size == 1 ? 2 : 9);
}

static __always_inline void event__note_truncated(void) {
  struct saker_counters *c = counters__this_cpu();
  if (c) c->truncated++;
}

/* Copies a NUL-terminated string from user memory to data[off]; its length with the NUL,
 * or 0 on a bad pointer. */
static __always_inline __u32 event__copy_user_str(struct saker_scratch *s, __u64 off,
                                                  const void *ptr) {
  if (!ptr || off > SAKER_DATA_LIMIT) return 0;
  long n = bpf_probe_read_user_str(&s->data[SAKER_AT(off)], SAKER_MAX_PARAM_SIZE, ptr);
  if (n <= 0) return 0;
  if (n == SAKER_MAX_PARAM_SIZE) event__note_truncated();
  return (__u32)n;
}

/* A NUL-terminated string from user memory (PT_CHARBUF / PT_FSPATH); empty on a bad pointer. */
static __always_inline void event__push_user_str(struct saker_scratch *s, const void *ptr) {
  event__commit(s, event__copy_user_str(s, s->pos, ptr));
}

static __always_inline void event__push_kernel_str(struct saker_scratch *s, const void *ptr) {
  __u64 off = s->pos;
  if (!ptr || off > SAKER_DATA_LIMIT) return event__push_empty(s);
  long n = bpf_probe_read_kernel_str(&s->data[SAKER_AT(off)], SAKER_MAX_PARAM_SIZE, ptr);
  if (n <= 0) return event__push_empty(s);
  event__commit(s, (__u32)n);
}

/* `len` bytes of user memory (PT_BYTEBUF), cut at `max` (<= SAKER_MAX_PARAM_SIZE). */
static __always_inline void event__push_user_bytes(struct saker_scratch *s, const void *ptr,
                                                   __u64 len, __u32 max) {
  __u64 off = s->pos;
  if (!ptr || off > SAKER_DATA_LIMIT) return event__push_empty(s);
  if (len > max) len = max;
  if (len > SAKER_MAX_PARAM_SIZE) len = SAKER_MAX_PARAM_SIZE;
  if (len == 0) return event__push_empty(s);
  if (bpf_probe_read_user(&s->data[SAKER_AT(off)], len & (SAKER_MAX_PARAM_SIZE * 2 - 1),
                          ptr) != 0)
    return event__push_empty(s);
  event__commit(s, (__u32)len);
}

/* Copies the bytes at [from, from+len) of the scratch path area to data[off]; the length
 * copied (0 when it does not fit). */
static __always_inline __u32 event__copy_scratch_path(struct saker_scratch *s, __u64 off,
                                                      __u32 from, __u32 len) {
  if (off > SAKER_DATA_LIMIT || len == 0 || len > SAKER_MAX_PARAM_SIZE) return 0;
  bpf_probe_read_kernel(&s->data[SAKER_AT(off)], saker_bound(len, SAKER_MAX_PARAM_SIZE * 2 - 1),
                        &s->path[saker_bound(from, SAKER_MAX_PARAM_SIZE - 1)]);
  return len;
}

/* Raw bytes already in the scratch path area at [from, from+len). */
static __always_inline void event__push_scratch_path(struct saker_scratch *s, __u32 from,
                                                     __u32 len) {
  event__commit(s, event__copy_scratch_path(s, s->pos, from, len));
}

/* Finishes an event of `len` bytes built in the scratch area (the header's len, the CPU
 * trailer) and copies it to the ring of this CPU's group. Counts the event, or the drop
 * when the ring is full. */
static __always_inline int event__send(struct saker_scratch *s, __u64 len, __u32 category) {
  if (len >= SAKER_MAX_EVENT_SIZE - SAKER_PAYLOAD_TRAILER_SIZE) {
    ring__count(false, SAKER_DROP_EVENT_TOO_BIG);
    return 0;
  }
  SAKER_PUT(__u32, &s->data[16], (__u32)len);
  SAKER_PUT(__u16, &s->data[SAKER_AT(len)], (__u16)s->cpu);
  SAKER_PUT(__u16, &s->data[SAKER_AT(len + 2)], SAKER_PAYLOAD_TRAILER_MARKER);
  ring__output(s->cpu, s->data, (__u32)((len + SAKER_PAYLOAD_TRAILER_SIZE) & SAKER_EVENT_MASK),
               category);
  return 0;
}

/* Sends an event of `len` bytes built at `ev`, anywhere in the scratch area (see
 * open.bpf.c), with its CPU trailer. The caller wrote the header and its len. */
static __always_inline int event__send_at(struct saker_scratch *s, __u8 *ev, __u64 len,
                                          __u32 category) {
  SAKER_PUT(__u16, ev + len, (__u16)s->cpu);
  SAKER_PUT(__u16, ev + len + 2, SAKER_PAYLOAD_TRAILER_MARKER);
  ring__output(s->cpu, ev, (__u32)((len + SAKER_PAYLOAD_TRAILER_SIZE) & SAKER_EVENT_MASK),
               category);
  return 0;
}

/* Sends the event built with event__begin and the pushes (parameters never pushed keep
 * the zero length event__begin wrote). */
static __always_inline int event__submit(struct saker_scratch *s) {
  return event__send(s, s->pos, s->category);
}

#endif
