/* maps.h: the driver's maps and read-only configuration, shared by every program.
 *
 * - ring_ctl, ring_data: one event ring per group of `cpus_per_buffer` CPUs (helpers/ring.h),
 *   so buffer size and sharing are run-time choices.
 * - scratch: one event-building area per CPU (an array indexed by CPU id, since per-CPU
 *   map values are capped at 32 KiB); programs build an event there, then copy it into
 *   the ring in one copy.
 * - syscall_actions: per native syscall number, skip / generic event / own program
 *   (enum saker_syscall_action); written by userspace from the loaded rules at any time.
 * - syscall_specs: per native syscall number, the layout the table-driven program writes.
 * - ia32_syscalls: i386 number -> x86_64 number, for compat-mode syscalls (helpers/args.h).
 * - exit_programs: the tail-call table of per-syscall exit programs.
 * - counters: events and drops per category, one entry per CPU.
 */
#ifndef SAKER_BPF_MAPS_H
#define SAKER_BPF_MAPS_H

#include "../driver_shared.h"

/* Set by userspace before load (skeleton rodata). */
const volatile struct saker_driver_config saker_config = {};

/* Which syscall numbers may be sent (driver_shared.h: struct saker_wanted_syscalls); .bss,
 * so its address is a constant in the programs and userspace writes it in place. */
volatile struct saker_wanted_syscalls saker_wanted = {};

/* The event rings (driver_shared.h): their positions, and their chunks. Both mapped by the
 * reader. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(map_flags, BPF_F_MMAPABLE);
  __uint(max_entries, 1); /* resized to the number of rings before load */
  __type(key, __u32);
  __type(value, struct saker_ring_ctl);
} ring_ctl SEC(".maps");

/* The ring of each CPU's group (cpu / cpus_per_buffer), filled by userspace after load: a
 * load where the division cost a 64-bit div per event. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* resized to the number of possible CPUs before load */
  __type(key, __u32);
  __type(value, __u32);
} cpu_rings SEC(".maps");

struct saker_ring_chunk {
  __u8 bytes[SAKER_RING_CHUNK + SAKER_RING_CHUNK_SPARE];
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(map_flags, BPF_F_MMAPABLE);
  __uint(max_entries, 1); /* resized to rings x chunks per ring before load */
  __type(key, __u32);
  __type(value, struct saker_ring_chunk);
} ring_data SEC(".maps");

/* Event-building area: the event itself, then a spare page that lets a bounded read start
 * anywhere inside the event without the verifier seeing an overflow; then the path
 * assembly area used by helpers/path.h. */
/* A path (up to SAKER_MAX_PARAM_SIZE, built backwards so it ends at SAKER_PATH_END), room
 * for a second string read right after it (an open's raw argument), and a short tail. */
#define SAKER_PATH_AREA (SAKER_MAX_PARAM_SIZE * 3 + 64)
struct saker_scratch {
  __u8 data[SAKER_MAX_EVENT_SIZE + SAKER_MAX_PARAM_SIZE];
  __u8 path[SAKER_PATH_AREA];
  __u64 pos;      /* next free byte of data */
  __u32 nparams;  /* parameters declared by the header */
  __u32 param;    /* index of the next parameter to write */
  __u32 cpu;
  __u32 category; /* enum saker_drop_category for ring-full drops */
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* resized to the number of possible CPUs before load */
  __type(key, __u32);
  __type(value, struct saker_scratch);
} scratch SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SAKER_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, struct saker_syscall_action_entry);
} syscall_actions SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SAKER_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, struct saker_syscall_spec);
} syscall_specs SEC(".maps");

/* i386 syscall number -> the x86_64 number it is reported as (SAKER_NO_SYSCALL: none),
 * for syscalls made in compat mode; filled by userspace before attaching. */
struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SAKER_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, __u32);
} ia32_syscalls SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
  __uint(max_entries, SAKER_MAX_SYSCALLS);
  __type(key, __u32);
  __type(value, __u32);
} exit_programs SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, 1); /* resized to the number of possible CPUs before load */
  __type(key, __u32);
  __type(value, struct saker_counters);
} counters SEC(".maps");

static __always_inline struct saker_counters *counters__this_cpu(void) {
  __u32 cpu = bpf_get_smp_processor_id();
  return bpf_map_lookup_elem(&counters, &cpu);
}

#endif
