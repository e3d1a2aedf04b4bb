/* driver_shared.h: what the eBPF driver (kernel side, *.bpf.c) and the live engine
 * (userspace, engine/live_engine.*) must agree on: limits, the read-only configuration,
 * the drop counters and the scap event codes the programs emit. Plain C with fixed-size
 * types only, so both compilers see the same layout; live_driver_layout_test.cpp checks
 * the event codes against the userspace event table.
 */
#ifndef SAKER_DRIVER_SHARED_H
#define SAKER_DRIVER_SHARED_H

#ifdef __BPF__
typedef __u8 saker_u8;
typedef __u16 saker_u16;
typedef __u32 saker_u32;
typedef __u64 saker_u64;
#else
#include <stdint.h>
typedef uint8_t saker_u8;
typedef uint16_t saker_u16;
typedef uint32_t saker_u32;
typedef uint64_t saker_u64;
#endif

/* Native syscall numbers are below this (x86_64 has ~470). */
#define SAKER_MAX_SYSCALLS 512
/* x86_64 numbers of the syscalls that have their own exit program: the dispatcher jumps to
 * each with a constant slot (a direct jump, programs/dispatch.bpf.c); live_layout_test
 * checks this list against engine/live_syscalls.cpp. */
#define SAKER_NR_OPEN 2
#define SAKER_NR_CLOSE 3
#define SAKER_NR_CLONE 56
#define SAKER_NR_FORK 57
#define SAKER_NR_VFORK 58
#define SAKER_NR_EXECVE 59
#define SAKER_NR_CREAT 85
#define SAKER_NR_CONNECT 42
#define SAKER_NR_ACCEPT 43
#define SAKER_NR_OPENAT 257
#define SAKER_NR_ACCEPT4 288
#define SAKER_NR_EXECVEAT 322
#define SAKER_NR_CLONE3 435
#define SAKER_NR_OPENAT2 437
#define SAKER_DIRECT_PROGRAM_NRS                                                        \
  SAKER_NR_OPEN, SAKER_NR_CLOSE, SAKER_NR_CLONE, SAKER_NR_FORK, SAKER_NR_VFORK,          \
      SAKER_NR_EXECVE, SAKER_NR_CREAT, SAKER_NR_CONNECT, SAKER_NR_ACCEPT, SAKER_NR_OPENAT, \
      SAKER_NR_ACCEPT4, SAKER_NR_EXECVEAT, SAKER_NR_CLONE3, SAKER_NR_OPENAT2
/* ia32_syscalls map value of an i386 syscall with no x86_64 counterpart. */
#define SAKER_NO_SYSCALL 0xffffffffu
/* The largest event a program builds (header + lengths + data), and the mask that keeps
 * every write offset inside the scratch buffer for the verifier. */
#define SAKER_MAX_EVENT_SIZE (1u << 16)
#define SAKER_EVENT_MASK (SAKER_MAX_EVENT_SIZE - 1)
/* One variable-size parameter (a path, argv, a data buffer) is cut at this size. */
#define SAKER_MAX_PARAM_SIZE 4096u
#define SAKER_PARAM_MASK (SAKER_MAX_PARAM_SIZE - 1)
/* Parameters of the largest event (execve exit). */
#define SAKER_MAX_PARAMS 32
/* scap event header: ts u64, tid u64, len u32, type u16, nparams u32 (packed). */
#define SAKER_EVENT_HEADER_SIZE 26
/* The 4 bytes after each event in the ring: cpu u16, marker u16 (engine/event_payload.h). */
#define SAKER_PAYLOAD_TRAILER_MARKER 0x5343
#define SAKER_PAYLOAD_TRAILER_SIZE 4

/* The event rings (helpers/ring.h, engine/live_driver.cpp). A ring is a run of
 * SAKER_RING_CHUNK-byte chunks, each one element of the mmapable array map "ring_data"
 * (array values are capped at 4 MiB), followed by spare bytes the programs never fill:
 * they let a write of up to SAKER_MAX_EVENT_SIZE start anywhere in the chunk as far as the
 * verifier can tell. Ring i owns elements [i * chunks, (i + 1) * chunks).
 *
 * Positions are byte counts that only grow. Producers (any CPU of the ring's group)
 * reserve [head, head + n) with one compare-and-swap on `head`, write the record, then its
 * 8-byte header last; the reader consumes up to `head` and publishes `tail`. A record never
 * crosses a chunk end: the rest of the chunk is reserved as padding first.
 *
 * Header: the record's length in bytes (without the header) in the low 31 bits, bit 31 set
 * for padding; in the high 32 bits the tag of its position: the chunk number (position >>
 * SAKER_RING_CHUNK_SHIFT, different on every lap) xor a random secret chosen at load. A
 * header whose tag is not the one of its position is a record still being written, over
 * the bytes of an earlier lap (which no one can forge without the secret). */
#define SAKER_RING_CHUNK_SHIFT 20
#define SAKER_RING_CHUNK (1u << SAKER_RING_CHUNK_SHIFT)
#define SAKER_RING_CHUNK_SPARE (SAKER_MAX_EVENT_SIZE + 64)
#define SAKER_RING_HEADER_SIZE 8
#define SAKER_RING_PAD_BIT 0x80000000u
struct saker_ring_ctl {
  saker_u64 head;     /* reserved up to here (producers) */
  saker_u64 pad0[7];  /* head and tail on their own cache lines */
  saker_u64 tail;     /* consumed up to here (the reader) */
  saker_u64 pad1[7];
};

/* Why an event was lost in the kernel; one counter per category and CPU. */
enum saker_drop_category {
  SAKER_DROP_BUFFER_PROC = 0, /* ring buffer full: clone/fork/exec/exit */
  SAKER_DROP_BUFFER_FILE = 1, /* ring buffer full: open/close and file syscalls */
  SAKER_DROP_BUFFER_NET = 2,  /* ring buffer full: sockets */
  SAKER_DROP_BUFFER_OTHER = 3,
  SAKER_DROP_EVENT_TOO_BIG = 4, /* the event did not fit SAKER_MAX_EVENT_SIZE */
  SAKER_DROP_CATEGORIES = 5,
};

/* Per-CPU counters (array map "counters", one entry per CPU). */
struct saker_counters {
  saker_u64 events;     /* events written to a ring buffer */
  saker_u64 drops[SAKER_DROP_CATEGORIES];
  saker_u64 truncated;  /* parameters cut at SAKER_MAX_PARAM_SIZE */
  saker_u64 pad;        /* one 64-byte cache line per CPU: no false sharing */
};

/* Read-only configuration, set by userspace before the programs are loaded. */
struct saker_driver_config {
  saker_u64 boot_time_ns;     /* epoch ns of boot: event ts = boot ns + this */
  saker_u32 target_tgid;      /* when non-zero, only events of this process (tests) */
  saker_u32 drop_failed;      /* drop the events of failed syscalls (engine.modern_ebpf.drop_failed_exit) */
  saker_u32 snaplen;          /* bytes of I/O data copied (read/write family) */
  saker_u32 self_tgid;        /* saker itself: never traced (0: trace it) */
  saker_u32 target_children;  /* with target_tgid: also the processes it forked (tests) */
  saker_u32 ring_bytes;       /* data size of each ring buffer (a multiple of SAKER_RING_CHUNK) */
  saker_u32 ring_chunks;      /* ring_bytes / SAKER_RING_CHUNK, a power of two */
  saker_u32 ring_secret;      /* random, xor-ed into record tags (see the ring layout) */
  saker_u32 num_rings;        /* rings; with one, no program looks up its CPU's ring */
  saker_u32 raw_open_path;    /* a successful open also keeps the caller's path argument
                                 (engine.modern_ebpf.raw_open_path; fd.nameraw) */
};

/* The syscall numbers whose exit may be sent, one bit each: x86_64 numbers with an action
 * other than SAKER_SC_SKIP, and the i386 numbers that translate to one of them (global data
 * "saker_wanted", written by userspace through its mapping). The dispatcher leaves every
 * other syscall after loading one word of it: on a syscall saker never sends it does not
 * look up the task, its mode or the action table. */
struct saker_wanted_syscalls {
  saker_u64 bits[SAKER_MAX_SYSCALLS / 64];
};

/* Per syscall number (array map "syscall_actions"): what the dispatcher does with its
 * exit. Written by userspace at any time, from the loaded rules and the state's needs. */
enum saker_syscall_action {
  SAKER_SC_SKIP = 0,    /* not interesting: nothing is sent */
  SAKER_SC_GENERIC = 1, /* a generic event (ID, nativeID) */
  SAKER_SC_PROGRAM = 2, /* tail call to the syscall's own program (exit_programs) */
  SAKER_SC_SPEC = 3,    /* built by the table-driven program from syscall_specs */
};
struct saker_syscall_action_entry {
  saker_u8 action;
  saker_u8 drop_category;
  saker_u16 ppm_sc; /* the scap syscall code (generic events' ID parameter) */
};

/* How the table-driven program fills one parameter of an exit event. */
enum saker_param_kind {
  SAKER_P_EMPTY = 0,
  SAKER_P_RES = 1,           /* return value, s64 */
  SAKER_P_ARG_S64 = 2,       /* int argument (fd, pid) sign-extended to 8 bytes */
  SAKER_P_ARG_U64 = 3,       /* 8 bytes as passed */
  SAKER_P_ARG_U32 = 4,
  SAKER_P_ARG_U16 = 5,
  SAKER_P_ARG_U8 = 6,
  SAKER_P_ARG_STR = 7,       /* NUL-terminated string in user memory */
  SAKER_P_ARG_OPEN_FLAGS = 8,  /* u32, O_* -> PPM_O_* */
  SAKER_P_ARG_CLONE_FLAGS = 9, /* u32, CLONE_* -> PPM_CL_* */
  SAKER_P_ARG_PROT = 10,       /* u32, PROT_* -> PPM_PROT_* */
  SAKER_P_ARG_MMAP_FLAGS = 11, /* u32, MAP_* -> PPM_MAP_* */
  SAKER_P_ARG_DATA = 12,     /* user buffer at arg, length = return value, cut at snaplen */
  SAKER_P_ARG_DATA_LEN = 13, /* user buffer at arg, length = next argument, cut at snaplen */
  SAKER_P_ARG_FD_PATH = 14,  /* path of the file open at the fd argument (kernel object) */
  SAKER_P_RES_FD_PATH = 15,  /* path of the file open at the returned fd (kernel object) */
  SAKER_P_ARG_S32 = 16,      /* int argument, 4 bytes */
  SAKER_P_ARG_SOCKADDR = 17, /* sockaddr in user memory at arg, its length the next argument */
  SAKER_P_ARG_U32_FROM_U64 = 18, /* a 64-bit argument written as u32 */
  SAKER_P_ARG_PTRACE_REQ = 19, /* u16, PTRACE_* -> PPM_PTRACE_* */
  SAKER_P_VM_SIZE = 20,        /* u32 KiB of the current process */
  SAKER_P_VM_RSS = 21,
  SAKER_P_VM_SWAP = 22,
  SAKER_P_CAP_INHERITABLE = 23, /* u64 capability sets of the current task, after the call */
  SAKER_P_CAP_PERMITTED = 24,
  SAKER_P_CAP_EFFECTIVE = 25,
  SAKER_P_ARG_FD_PAIR0 = 26, /* int[2] in user memory at arg (pipe, socketpair): element 0 */
  SAKER_P_ARG_FD_PAIR1 = 27, /* ... element 1 */
  SAKER_P_ARG_FCNTL_CMD = 28,  /* u8, F_* -> PPM_FCNTL_* */
  SAKER_P_ARG_FCHOWNAT_FLAGS = 29, /* u32, AT_SYMLINK_NOFOLLOW/AT_EMPTY_PATH -> PPM_AT_* */
  SAKER_P_ARG_DELETE_MODULE_FLAGS = 30, /* u32, O_TRUNC/O_NONBLOCK -> PPM_DELETE_MODULE_* */
  SAKER_P_ARG_MOUNT_FLAGS = 31, /* u32, MS_* without the MS_MGC_VAL magic */
  SAKER_P_ARG_FD_PAIR_INO = 32, /* u64 inode number of the file at int[2] element 0 */
  SAKER_P_RES_FD_DEV = 33,      /* u32 device (new_encode_dev) of the returned fd's file */
  SAKER_P_RES_FD_INO = 34,      /* u64 inode number of the returned fd's file */
  SAKER_P_ARG_USER_U64 = 35,    /* u64 read from the user pointer at arg (0 if NULL) */
  /* u32 read from user memory at arg + 4 * word, where the spec's arg byte is
   * (argument index | word << 3): a field of a struct the syscall filled (io_uring_params) */
  SAKER_P_ARG_USER_U32 = 36,
  SAKER_P_IO_URING_SETUP_FLAGS = 37, /* u32 at word 2 of arg, IORING_SETUP_* -> PPM_* */
  /* prctl's arg2 by option (argument 0): the name for PR_SET/GET_NAME (else empty), and
   * as an integer: empty for the name options, the int read back for
   * PR_GET_CHILD_SUBREAPER, else the argument itself */
  SAKER_P_PRCTL_ARG2_STR = 38,
  SAKER_P_PRCTL_ARG2_INT = 39,
  /* PT_SOCKTUPLE of the socket at the fd argument, after a successful call: local end first
   * (sendto), or the peer first (recvfrom); an unconnected socket's remote end is the
   * sockaddr at argument 4 (its length: argument 5 for sendto, *argument 5 for recvfrom) */
  SAKER_P_ARG_FD_TUPLE_OUT = 40,
  SAKER_P_ARG_FD_TUPLE_IN = 41,
  SAKER_P_ARG_FD_PAIR_SK = 42,   /* u64 kernel address of the socket at int[2] element 0 */
  SAKER_P_ARG_FD_PAIR_PEER = 43, /* u64 kernel address of that socket's unix peer */
  /* ptrace's addr and data as PT_DYN (selector u8, then the value): addr is a u64; data is
   * the word read back for PEEK* requests, the signal (u8) for CONT, SINGLESTEP, DETACH
   * and SYSCALL, else the u64 argument; both are u64 0 after a failure. The request is
   * argument 0. */
  SAKER_P_PTRACE_ADDR = 44,
  SAKER_P_PTRACE_DATA = 45,
  /* a buffer the syscall sends (write, sendto): the bytes sent (length = return value),
   * or after a failure the bytes it was asked to send (length = next argument); cut at
   * snaplen */
  SAKER_P_ARG_DATA_OUT = 46,
};
#define SAKER_PTRACE_IDX_UINT64 0
#define SAKER_PTRACE_IDX_SIGTYPE 1
/* The argument byte of SAKER_P_ARG_USER_U32 / SAKER_P_IO_URING_SETUP_FLAGS. */
#define SAKER_SPEC_ARG_INDEX(a) ((a) & 7)
#define SAKER_SPEC_ARG_WORD(a) ((a) >> 3)
#define SAKER_SPEC_MAX_PARAMS 12
struct saker_syscall_spec {
  saker_u16 event_type;
  saker_u8 nparams;
  saker_u8 reserved;
  saker_u8 kind[SAKER_SPEC_MAX_PARAMS]; /* enum saker_param_kind */
  saker_u8 arg[SAKER_SPEC_MAX_PARAMS];  /* argument index, for the ARG kinds */
};

/* scap event codes the programs emit (current layouts; values from the scap format). */
#define SAKER_EVT_GENERIC_X 1
#define SAKER_EVT_OPEN_X 3
#define SAKER_EVT_CLOSE_X 5
#define SAKER_EVT_READ_X 7
#define SAKER_EVT_WRITE_X 9
#define SAKER_EVT_SOCKET_X 19
#define SAKER_EVT_BIND_X 21
#define SAKER_EVT_CONNECT_X 23
#define SAKER_EVT_LISTEN_X 25
#define SAKER_EVT_SENDTO_X 31
#define SAKER_EVT_RECVFROM_X 35
#define SAKER_EVT_SOCKETPAIR_X 43
#define SAKER_EVT_SENDMSG_X 49
#define SAKER_EVT_RECVMSG_X 53
#define SAKER_EVT_CREAT_X 59
#define SAKER_EVT_PIPE_X 61
#define SAKER_EVT_CHDIR_X 95
#define SAKER_EVT_FCHDIR_X 97
#define SAKER_EVT_KILL_X 129
#define SAKER_EVT_TKILL_X 131
#define SAKER_EVT_TGKILL_X 133
#define SAKER_EVT_FCNTL_X 151
#define SAKER_EVT_MMAP_X 161
#define SAKER_EVT_SPLICE_X 167
#define SAKER_EVT_PTRACE_X 169
#define SAKER_EVT_RENAME_X 175
#define SAKER_EVT_RENAMEAT_X 177
#define SAKER_EVT_SYMLINK_X 179
#define SAKER_EVT_SYMLINKAT_X 181
#define SAKER_EVT_PROCEXIT_1_E 186
#define SAKER_EVT_SENDFILE_X 189
#define SAKER_EVT_SETRESUID_X 193
#define SAKER_EVT_SETRESGID_X 195
#define SAKER_EVT_SETUID_X 199
#define SAKER_EVT_SETGID_X 201
#define SAKER_EVT_CLONE_20_X 223
#define SAKER_EVT_FORK_20_X 225
#define SAKER_EVT_VFORK_20_X 227
#define SAKER_EVT_SETNS_X 241
#define SAKER_EVT_MOUNT_X 257
#define SAKER_EVT_CHROOT_X 267
#define SAKER_EVT_SETSID_X 275
#define SAKER_EVT_MKDIR_2_X 277
#define SAKER_EVT_RMDIR_2_X 279
#define SAKER_EVT_UNSHARE_X 285
#define SAKER_EVT_EXECVE_19_X 293
#define SAKER_EVT_SETPGID_X 295
#define SAKER_EVT_UNLINK_2_X 301
#define SAKER_EVT_UNLINKAT_2_X 303
#define SAKER_EVT_MKDIRAT_X 305
#define SAKER_EVT_OPENAT_2_X 307
#define SAKER_EVT_LINK_2_X 309
#define SAKER_EVT_LINKAT_2_X 311
#define SAKER_EVT_FCHMODAT_X 313
#define SAKER_EVT_CHMOD_X 315
#define SAKER_EVT_FCHMOD_X 317
#define SAKER_EVT_RENAMEAT2_X 319
#define SAKER_EVT_USERFAULTFD_X 321
#define SAKER_EVT_OPENAT2_X 327
#define SAKER_EVT_MPROTECT_X 329
#define SAKER_EVT_EXECVEAT_X 331
#define SAKER_EVT_COPY_FILE_RANGE_X 333
#define SAKER_EVT_CLONE3_X 335
#define SAKER_EVT_OPEN_BY_HANDLE_AT_X 337
#define SAKER_EVT_IO_URING_SETUP_X 339
#define SAKER_EVT_IO_URING_ENTER_X 341
#define SAKER_EVT_IO_URING_REGISTER_X 343
#define SAKER_EVT_CAPSET_X 353
#define SAKER_EVT_DUP2_X 363
#define SAKER_EVT_DUP3_X 365
#define SAKER_EVT_DUP_1_X 367
#define SAKER_EVT_BPF_2_X 369
#define SAKER_EVT_CHOWN_X 379
#define SAKER_EVT_LCHOWN_X 381
#define SAKER_EVT_FCHOWN_X 383
#define SAKER_EVT_FCHOWNAT_X 385
#define SAKER_EVT_ACCEPT_5_X 247
#define SAKER_EVT_ACCEPT4_6_X 389
#define SAKER_EVT_UMOUNT2_X 391
#define SAKER_EVT_PIPE2_X 393
#define SAKER_EVT_PRCTL_X 401
#define SAKER_EVT_MEMFD_CREATE_X 405
#define SAKER_EVT_INIT_MODULE_X 411
#define SAKER_EVT_FINIT_MODULE_X 413
#define SAKER_EVT_DELETE_MODULE_X 425

#endif /* SAKER_DRIVER_SHARED_H */
