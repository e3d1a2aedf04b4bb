/* flags.h: Linux flag values -> the scap (PPM_*) values the event format carries. Captures
 * and rules speak scap values (evt.arg.flags contains O_CREAT, CLONE_THREAD...), which are
 * numbered differently from the kernel's, so the programs convert before writing. */
#ifndef SAKER_BPF_FLAGS_H
#define SAKER_BPF_FLAGS_H

#define SAKER_MAP(v, linux_bit, ppm_bit) (((v) & (linux_bit)) ? (ppm_bit) : 0)

static __always_inline __u32 flags__open(__u64 f) {
  __u32 r = 0;
  switch (f & 3) {
    case 0: r |= 1; break;     /* O_RDONLY */
    case 1: r |= 2; break;     /* O_WRONLY */
    case 2: r |= 1 | 2; break; /* O_RDWR */
  }
  r |= SAKER_MAP(f, 0100, 1u << 2);        /* O_CREAT */
  r |= SAKER_MAP(f, 02000, 1u << 3);       /* O_APPEND */
  r |= SAKER_MAP(f, 010000, 1u << 4);      /* O_DSYNC */
  r |= SAKER_MAP(f, 0200, 1u << 5);        /* O_EXCL */
  r |= SAKER_MAP(f, 04000, 1u << 6);       /* O_NONBLOCK */
  if ((f & 04010000) == 04010000) r |= 1u << 7; /* O_SYNC */
  r |= SAKER_MAP(f, 01000, 1u << 8);       /* O_TRUNC */
  r |= SAKER_MAP(f, 040000, 1u << 9);      /* O_DIRECT */
  r |= SAKER_MAP(f, 0200000, 1u << 10);    /* O_DIRECTORY */
  r |= SAKER_MAP(f, 0100000, 1u << 11);    /* O_LARGEFILE */
  r |= SAKER_MAP(f, 02000000, 1u << 12);   /* O_CLOEXEC */
  r |= SAKER_MAP(f, 020000000, 1u << 13);  /* O_TMPFILE */
  return r;
}
#define SAKER_O_F_CREATED (1u << 14)
#define SAKER_FMODE_CREATED 0x100000

static __always_inline __u32 flags__clone(__u64 f) {
  __u32 r = 0;
  r |= SAKER_MAP(f, 0x400, 1u << 0);        /* CLONE_FILES */
  r |= SAKER_MAP(f, 0x200, 1u << 1);        /* CLONE_FS */
  r |= SAKER_MAP(f, 0x80000000ul, 1u << 2); /* CLONE_IO */
  r |= SAKER_MAP(f, 0x8000000, 1u << 3);    /* CLONE_NEWIPC */
  r |= SAKER_MAP(f, 0x40000000, 1u << 4);   /* CLONE_NEWNET */
  r |= SAKER_MAP(f, 0x20000, 1u << 5);      /* CLONE_NEWNS */
  r |= SAKER_MAP(f, 0x20000000, 1u << 6);   /* CLONE_NEWPID */
  r |= SAKER_MAP(f, 0x4000000, 1u << 7);    /* CLONE_NEWUTS */
  r |= SAKER_MAP(f, 0x8000, 1u << 8);       /* CLONE_PARENT */
  r |= SAKER_MAP(f, 0x100000, 1u << 9);     /* CLONE_PARENT_SETTID */
  r |= SAKER_MAP(f, 0x2000, 1u << 10);      /* CLONE_PTRACE */
  r |= SAKER_MAP(f, 0x800, 1u << 11);       /* CLONE_SIGHAND */
  r |= SAKER_MAP(f, 0x40000, 1u << 12);     /* CLONE_SYSVSEM */
  r |= SAKER_MAP(f, 0x10000, 1u << 13);     /* CLONE_THREAD */
  r |= SAKER_MAP(f, 0x800000, 1u << 14);    /* CLONE_UNTRACED */
  r |= SAKER_MAP(f, 0x100, 1u << 15);       /* CLONE_VM */
  r |= SAKER_MAP(f, 0x10000000, 1u << 20);  /* CLONE_NEWUSER */
  r |= SAKER_MAP(f, 0x200000, 1u << 23);    /* CLONE_CHILD_CLEARTID */
  r |= SAKER_MAP(f, 0x1000000, 1u << 24);   /* CLONE_CHILD_SETTID */
  r |= SAKER_MAP(f, 0x80000, 1u << 25);     /* CLONE_SETTLS */
  r |= SAKER_MAP(f, 0x4000, 1u << 27);      /* CLONE_VFORK */
  r |= SAKER_MAP(f, 0x2000000, 1u << 28);   /* CLONE_NEWCGROUP */
  return r;
}

static __always_inline __u32 flags__prot(__u64 f) {
  __u32 r = (__u32)(f & 0xf); /* READ, WRITE, EXEC, SEM: same bits */
  r |= SAKER_MAP(f, 0x01000000, 1u << 4); /* PROT_GROWSDOWN */
  r |= SAKER_MAP(f, 0x02000000, 1u << 5); /* PROT_GROWSUP */
  return r;
}

static __always_inline __u32 flags__mmap(__u64 f) {
  __u32 r = 0;
  r |= SAKER_MAP(f, 0x01, 1u << 0);    /* MAP_SHARED */
  r |= SAKER_MAP(f, 0x02, 1u << 1);    /* MAP_PRIVATE */
  r |= SAKER_MAP(f, 0x10, 1u << 2);    /* MAP_FIXED */
  r |= SAKER_MAP(f, 0x20, 1u << 3);    /* MAP_ANONYMOUS */
  r |= SAKER_MAP(f, 0x40, 1u << 4);    /* MAP_32BIT */
  r |= SAKER_MAP(f, 0x4000, 1u << 6);  /* MAP_NORESERVE */
  r |= SAKER_MAP(f, 0x8000, 1u << 7);  /* MAP_POPULATE */
  r |= SAKER_MAP(f, 0x10000, 1u << 8); /* MAP_NONBLOCK */
  r |= SAKER_MAP(f, 0x100, 1u << 9);   /* MAP_GROWSDOWN */
  r |= SAKER_MAP(f, 0x800, 1u << 10);  /* MAP_DENYWRITE */
  r |= SAKER_MAP(f, 0x1000, 1u << 11); /* MAP_EXECUTABLE */
  r |= SAKER_MAP(f, 0x2000, 1u << 14); /* MAP_LOCKED */
  return r;
}

/* openat2's RESOLVE_* bits are numbered differently in scap. */
static __always_inline __u32 flags__openat2_resolve(__u64 f) {
  __u32 r = 0;
  r |= SAKER_MAP(f, 0x08, 1u << 0); /* RESOLVE_BENEATH */
  r |= SAKER_MAP(f, 0x10, 1u << 1); /* RESOLVE_IN_ROOT */
  r |= SAKER_MAP(f, 0x02, 1u << 2); /* RESOLVE_NO_MAGICLINKS */
  r |= SAKER_MAP(f, 0x04, 1u << 3); /* RESOLVE_NO_SYMLINKS */
  r |= SAKER_MAP(f, 0x01, 1u << 4); /* RESOLVE_NO_XDEV */
  r |= SAKER_MAP(f, 0x20, 1u << 5); /* RESOLVE_CACHED */
  return r;
}

/* fcntl commands: the scap codes are a renumbering (0 = unknown), so a lookup. */
static __always_inline __u8 flags__fcntl_cmd(__u64 cmd) {
  switch (cmd) {
    case 0: return 1;     /* F_DUPFD */
    case 1: return 2;     /* F_GETFD */
    case 2: return 3;     /* F_SETFD */
    case 3: return 4;     /* F_GETFL */
    case 4: return 5;     /* F_SETFL */
    case 5: return 6;     /* F_GETLK */
    case 6: return 8;     /* F_SETLK */
    case 7: return 9;     /* F_SETLKW */
    case 8: return 10;    /* F_SETOWN */
    case 9: return 12;    /* F_GETOWN */
    case 10: return 13;   /* F_SETSIG */
    case 11: return 15;   /* F_GETSIG */
    case 15: return 21;   /* F_SETOWN_EX */
    case 16: return 22;   /* F_GETOWN_EX */
    case 36: return 30;   /* F_OFD_GETLK */
    case 37: return 31;   /* F_OFD_SETLK */
    case 38: return 32;   /* F_OFD_SETLKW */
    case 1024: return 23; /* F_SETLEASE */
    case 1025: return 24; /* F_GETLEASE */
    case 1026: return 27; /* F_NOTIFY */
    case 1029: return 25; /* F_CANCELLK */
    case 1030: return 26; /* F_DUPFD_CLOEXEC */
    case 1031: return 28; /* F_SETPIPE_SZ */
    case 1032: return 29; /* F_GETPIPE_SZ */
    default: return 0;
  }
}

static __always_inline __u32 flags__fchownat(__u64 f) {
  return SAKER_MAP(f, 0x100, 1u << 0) /* AT_SYMLINK_NOFOLLOW */
         | SAKER_MAP(f, 0x1000, 1u << 1); /* AT_EMPTY_PATH */
}

static __always_inline __u32 flags__delete_module(__u64 f) {
  return SAKER_MAP(f, 01000, 1u << 0) /* O_TRUNC */
         | SAKER_MAP(f, 04000, 1u << 1); /* O_NONBLOCK */
}

/* mount(2) flags keep their bit positions in scap; the historical magic number callers may
 * put in the top half (MS_MGC_VAL) is not a flag and is dropped, as the scap drivers do. */
static __always_inline __u32 flags__mount(__u64 f) {
  if ((f & 0xffff0000u) == 0xc0ed0000u) f &= 0xffffu;
  return (__u32)f;
}

/* IORING_SETUP_*: scap inserts SQ_NEED_WAKEUP at bit 2, so SQ_AFF and later move up one. */
static __always_inline __u32 flags__io_uring_setup(__u32 f) {
  return (f & 0x3) | ((f & 0x7c) << 1);
}

static __always_inline __u16 flags__ptrace_request(__u64 r) {
  switch (r) {
    case 0: return 1;   /* TRACEME */
    case 1: return 2;   /* PEEKTEXT */
    case 2: return 3;   /* PEEKDATA */
    case 3: return 4;   /* PEEKUSR */
    case 4: return 5;   /* POKETEXT */
    case 5: return 6;   /* POKEDATA */
    case 6: return 7;   /* POKEUSR */
    case 7: return 8;   /* CONT */
    case 8: return 9;   /* KILL */
    case 9: return 10;  /* SINGLESTEP */
    case 16: return 11; /* ATTACH */
    case 17: return 12; /* DETACH */
    case 24: return 13; /* SYSCALL */
    case 0x4200: return 14; /* SETOPTIONS */
    case 0x4201: return 15; /* GETEVENTMSG */
    case 0x4202: return 16; /* GETSIGINFO */
    case 0x4203: return 17; /* SETSIGINFO */
    case 0x4204: return 18; /* GETREGSET */
    case 0x4205: return 19; /* SETREGSET */
    case 0x4206: return 20; /* SEIZE */
    case 0x4207: return 21; /* INTERRUPT */
    case 0x4208: return 22; /* LISTEN */
    case 0x4209: return 23; /* PEEKSIGINFO */
    case 0x420a: return 24; /* GETSIGMASK */
    case 0x420b: return 25; /* SETSIGMASK */
    case 12: return 26; /* GETREGS */
    case 13: return 27; /* SETREGS */
    case 14: return 28; /* GETFPREGS */
    case 15: return 29; /* SETFPREGS */
    case 18: return 30; /* GETFPXREGS */
    case 19: return 31; /* SETFPXREGS */
    case 21: return 32; /* OLDSETOPTIONS */
    case 25: return 33; /* GET_THREAD_AREA */
    case 26: return 34; /* SET_THREAD_AREA */
    case 30: return 35; /* ARCH_PRCTL */
    case 31: return 36; /* SYSEMU */
    case 32: return 37; /* SYSEMU_SINGLESTEP */
    default: return 0;
  }
}

#endif
