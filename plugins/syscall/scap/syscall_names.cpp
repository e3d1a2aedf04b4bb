// The portable syscall code table (see syscall_names.h), ten codes per line, up to the
// driver's current PPM_SC_MAX (codes 0..450).
#include "syscall_names.h"

#include <array>

namespace saker::syscall::scap {
namespace {

constexpr std::array<std::string_view, 451> kNames = {
    // 0
    "<unknown>", "restart_syscall", "exit", "read", "write", "open", "close", "creat", "link",
    "unlink",
    // 10
    "chdir", "time", "mknod", "chmod", "stat", "lseek", "getpid", "mount", "ptrace", "alarm",
    // 20
    "fstat", "pause", "utime", "access", "sync", "kill", "rename", "mkdir", "rmdir", "dup",
    // 30
    "pipe", "times", "brk", "acct", "ioctl", "fcntl", "setpgid", "umask", "chroot", "ustat",
    // 40
    "dup2", "getppid", "getpgrp", "setsid", "sethostname", "setrlimit", "getrusage", "gettimeofday",
    "settimeofday", "symlink",
    // 50
    "lstat", "readlink", "uselib", "swapon", "reboot", "mmap", "munmap", "truncate", "ftruncate",
    "fchmod",
    // 60
    "getpriority", "setpriority", "statfs", "fstatfs", "syslog", "setitimer", "getitimer", "uname",
    "vhangup", "wait4",
    // 70
    "swapoff", "sysinfo", "fsync", "setdomainname", "adjtimex", "mprotect", "init_module",
    "delete_module", "quotactl", "getpgid",
    // 80
    "fchdir", "sysfs", "personality", "getdents", "select", "flock", "msync", "readv", "writev",
    "getsid",
    // 90
    "fdatasync", "mlock", "munlock", "mlockall", "munlockall", "sched_setparam", "sched_getparam",
    "sched_setscheduler", "sched_getscheduler", "sched_yield",
    // 100
    "sched_get_priority_max", "sched_get_priority_min", "sched_rr_get_interval", "nanosleep",
    "mremap", "poll", "prctl", "rt_sigaction", "rt_sigprocmask", "rt_sigpending",
    // 110
    "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend", "getcwd", "capget", "capset", "sendfile",
    "getrlimit", "lchown", "getuid",
    // 120
    "getgid", "geteuid", "getegid", "setreuid", "setregid", "getgroups", "setgroups", "fchown",
    "setresuid", "getresuid",
    // 130
    "setresgid", "getresgid", "chown", "setuid", "setgid", "setfsuid", "setfsgid", "pivot_root",
    "mincore", "madvise",
    // 140
    "gettid", "setxattr", "lsetxattr", "fsetxattr", "getxattr", "lgetxattr", "fgetxattr",
    "listxattr", "llistxattr", "flistxattr",
    // 150
    "removexattr", "lremovexattr", "fremovexattr", "tkill", "futex", "sched_setaffinity",
    "sched_getaffinity", "set_thread_area", "get_thread_area", "io_setup",
    // 160
    "io_destroy", "io_getevents", "io_submit", "io_cancel", "exit_group", "epoll_create",
    "epoll_ctl", "epoll_wait", "remap_file_pages", "set_tid_address",
    // 170
    "timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete",
    "clock_settime", "clock_gettime", "clock_getres", "clock_nanosleep", "tgkill",
    // 180
    "utimes", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
    "mq_getsetattr", "kexec_load", "waitid", "add_key",
    // 190
    "request_key", "keyctl", "ioprio_set", "ioprio_get", "inotify_init", "inotify_add_watch",
    "inotify_rm_watch", "openat", "mkdirat", "mknodat",
    // 200
    "fchownat", "futimesat", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat",
    "fchmodat", "faccessat", "pselect6",
    // 210
    "ppoll", "unshare", "set_robust_list", "get_robust_list", "splice", "tee", "vmsplice", "getcpu",
    "epoll_pwait", "utimensat",
    // 220
    "signalfd", "timerfd_create", "eventfd", "timerfd_settime", "timerfd_gettime", "signalfd4",
    "eventfd2", "epoll_create1", "dup3", "pipe2",
    // 230
    "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open", "fanotify_init",
    "prlimit64", "clock_adjtime", "syncfs", "setns",
    // 240
    "getdents64", "socket", "bind", "connect", "listen", "accept", "getsockname", "getpeername",
    "socketpair", "sendto",
    // 250
    "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "sendmmsg", "recvmsg",
    "recvmmsg", "accept4", "semop",
    // 260
    "semget", "semctl", "msgsnd", "msgrcv", "msgget", "msgctl", "shmdt", "shmget", "shmctl",
    "statfs64",
    // 270
    "fstatfs64", "fstatat64", "sendfile64", "ugetrlimit", "bdflush", "sigprocmask", "ipc",
    "socketcall", "stat64", "lstat64",
    // 280
    "fstat64", "fcntl64", "mmap2", "newselect", "sgetmask", "ssetmask", "sigpending", "olduname",
    "umount", "signal",
    // 290
    "nice", "stime", "llseek", "waitpid", "pread64", "pwrite64", "arch_prctl", "shmat", "sigreturn",
    "fallocate",
    // 300
    "newfstatat", "process_vm_readv", "process_vm_writev", "fork", "vfork", "setuid", "getuid",
    "setgid", "geteuid", "getgid",
    // 310 (the 32-bit-uid variants share their names)
    "setresuid", "setresgid", "getresuid", "getresgid", "finit_module", "bpf", "seccomp",
    "sigaltstack", "getrandom", "fadvise64",
    // 320
    "renameat2", "userfaultfd", "openat2", "umount2", "execve", "execveat", "copy_file_range",
    "clone", "clone3", "open_by_handle_at",
    // 330
    "io_uring_setup", "io_uring_enter", "io_uring_register", "mlock2", "getegid", "fsconfig",
    "fspick", "fsmount", "fsopen", "open_tree",
    // 340
    "move_mount", "mount_setattr", "memfd_create", "memfd_secret", "ioperm", "kexec_file_load",
    "pidfd_getfd", "pidfd_open", "pidfd_send_signal", "pkey_alloc",
    // 350
    "pkey_mprotect", "pkey_free", "landlock_create_ruleset", "quotactl_fd",
    "landlock_restrict_self", "landlock_add_rule", "epoll_pwait2", "migrate_pages", "move_pages",
    "preadv2",
    // 360
    "pwritev2", "kcmp", "sched_setattr", "mbind", "epoll_ctl_old", "lookup_dcookie", "modify_ldt",
    "statx", "set_mempolicy", "io_pgetevents",
    // 370
    "set_mempolicy_home_node", "semtimedop", "get_kernel_syms", "readahead", "futex_waitv",
    "getpmsg", "name_to_handle_at", "process_mrelease", "nfsservctl", "epoll_wait_old",
    // 380 (382 is a retired code)
    "rseq", "create_module", "<unknown>", "sched_getattr", "faccessat2", "_sysctl", "query_module",
    "get_mempolicy", "sync_file_range", "process_madvise",
    // 390 (394-401 name tracepoints and socket calls the drivers route through codes too)
    "membarrier", "iopl", "close_range", "fanotify_mark", "recv", "send", "sched_process_exit",
    "sched_switch", "page_fault_user", "page_fault_kernel",
    // 400
    "signal_deliver", "timerfd", "s390_pci_mmio_read", "sigaction", "s390_pci_mmio_write",
    "readdir", "s390_sthyi", "sigsuspend", "idle", "s390_runtime_instr",
    // 410
    "sigreturn", "s390_guarded_storage", "cachestat", "fchmodat2", "map_shadow_stack",
    "riscv_flush_icache", "riscv_hwprobe", "futex_wake", "futex_requeue", "futex_wait",
    // 420
    "oldstat", "switch_endian", "multiplexer", "oldlstat", "spu_create", "sync_file_range2",
    "oldfstat", "spu_run", "swapcontext", "pciconfig_write",
    // 430
    "rtas", "pciconfig_read", "sys_debug_setcontext", "vm86", "oldolduname", "subpage_prot",
    "pciconfig_iobase", "listmount", "statmount", "lsm_get_self_attr",
    // 440
    "lsm_set_self_attr", "lsm_list_modules", "mseal", "uretprobe", "removexattrat", "listxattrat",
    "getxattrat", "setxattrat", "open_tree_attr", "file_getattr",
    // 450
    "file_setattr"};

// Every slot is filled (a short initializer list would leave empty names at the end).
static_assert(kNames.back() == "file_setattr" && kNames[314] == "finit_module");

}  // namespace

std::uint16_t syscall_code_of(std::string_view name) noexcept {
  for (std::size_t c = 1; c < kNames.size(); ++c) {
    if (kNames[c] == name) return static_cast<std::uint16_t>(c);
  }
  return 0;
}

std::uint32_t syscall_code_count() noexcept { return static_cast<std::uint32_t>(kNames.size()); }

std::string_view syscall_code_name(std::uint64_t code) noexcept {
  return code < kNames.size() ? kNames[code] : kNames[0];
}

}  // namespace saker::syscall::scap
