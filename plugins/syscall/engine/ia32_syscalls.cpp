// The i386 (ia32) syscall numbers, for syscalls a 64-bit kernel runs in compat mode (a
// 32-bit program, or `int $0x80` from a 64-bit one): a data table, ten per line, "" for
// unused numbers. From 424 on, i386 and x86_64 share their numbers (the kernel's unified
// numbering), so the table stops there and later numbers map by identity.
// ia32_to_x86_64() (see ia32_syscalls.h) says which x86_64 syscall the live driver reports
// a compat syscall as, when the two have the same arguments.
#include "ia32_syscalls.h"

#include <array>

#include "x86_64_syscalls.h"

namespace saker::syscall {
namespace {

constexpr std::uint32_t kUnifiedFrom = 424;

constexpr std::array<std::string_view, 424> kNames = {
    // clang-format off
    // 0
    "restart_syscall", "exit", "fork", "read", "write", "open", "close", "waitpid", "creat", "link",
    // 10
    "unlink", "execve", "chdir", "time", "mknod", "chmod", "lchown", "break", "oldstat", "lseek",
    // 20
    "getpid", "mount", "umount", "setuid", "getuid", "stime", "ptrace", "alarm", "oldfstat",
    "pause",
    // 30
    "utime", "stty", "gtty", "access", "nice", "ftime", "sync", "kill", "rename", "mkdir",
    // 40
    "rmdir", "dup", "pipe", "times", "prof", "brk", "setgid", "getgid", "signal", "geteuid",
    // 50
    "getegid", "acct", "umount2", "lock", "ioctl", "fcntl", "mpx", "setpgid", "ulimit",
    "oldolduname",
    // 60
    "umask", "chroot", "ustat", "dup2", "getppid", "getpgrp", "setsid", "sigaction", "sgetmask",
    "ssetmask",
    // 70
    "setreuid", "setregid", "sigsuspend", "sigpending", "sethostname", "setrlimit", "getrlimit",
    "getrusage", "gettimeofday", "settimeofday",
    // 80
    "getgroups", "setgroups", "select", "symlink", "oldlstat", "readlink", "uselib", "swapon",
    "reboot", "readdir",
    // 90
    "mmap", "munmap", "truncate", "ftruncate", "fchmod", "fchown", "getpriority", "setpriority",
    "profil", "statfs",
    // 100
    "fstatfs", "ioperm", "socketcall", "syslog", "setitimer", "getitimer", "stat", "lstat", "fstat",
    "olduname",
    // 110
    "iopl", "vhangup", "idle", "vm86old", "wait4", "swapoff", "sysinfo", "ipc", "fsync",
    "sigreturn",
    // 120
    "clone", "setdomainname", "uname", "modify_ldt", "adjtimex", "mprotect", "sigprocmask",
    "create_module", "init_module", "delete_module",
    // 130
    "get_kernel_syms", "quotactl", "getpgid", "fchdir", "bdflush", "sysfs", "personality",
    "afs_syscall", "setfsuid", "setfsgid",
    // 140
    "_llseek", "getdents", "_newselect", "flock", "msync", "readv", "writev", "getsid", "fdatasync",
    "_sysctl",
    // 150
    "mlock", "munlock", "mlockall", "munlockall", "sched_setparam", "sched_getparam",
    "sched_setscheduler", "sched_getscheduler", "sched_yield", "sched_get_priority_max",
    // 160
    "sched_get_priority_min", "sched_rr_get_interval", "nanosleep", "mremap", "setresuid",
    "getresuid", "vm86", "query_module", "poll", "nfsservctl",
    // 170
    "setresgid", "getresgid", "prctl", "rt_sigreturn", "rt_sigaction", "rt_sigprocmask",
    "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo", "rt_sigsuspend",
    // 180
    "pread64", "pwrite64", "chown", "getcwd", "capget", "capset", "sigaltstack", "sendfile",
    "getpmsg", "putpmsg",
    // 190
    "vfork", "ugetrlimit", "mmap2", "truncate64", "ftruncate64", "stat64", "lstat64", "fstat64",
    "lchown32", "getuid32",
    // 200
    "getgid32", "geteuid32", "getegid32", "setreuid32", "setregid32", "getgroups32", "setgroups32",
    "fchown32", "setresuid32", "getresuid32",
    // 210
    "setresgid32", "getresgid32", "chown32", "setuid32", "setgid32", "setfsuid32", "setfsgid32",
    "pivot_root", "mincore", "madvise",
    // 220
    "getdents64", "fcntl64", "", "", "gettid", "readahead", "setxattr", "lsetxattr", "fsetxattr",
    "getxattr",
    // 230
    "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr",
    "lremovexattr", "fremovexattr", "tkill", "sendfile64",
    // 240
    "futex", "sched_setaffinity", "sched_getaffinity", "set_thread_area", "get_thread_area",
    "io_setup", "io_destroy", "io_getevents", "io_submit", "io_cancel",
    // 250
    "fadvise64", "", "exit_group", "lookup_dcookie", "epoll_create", "epoll_ctl", "epoll_wait",
    "remap_file_pages", "set_tid_address", "timer_create",
    // 260
    "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete", "clock_settime",
    "clock_gettime", "clock_getres", "clock_nanosleep", "statfs64", "fstatfs64",
    // 270
    "tgkill", "utimes", "fadvise64_64", "vserver", "mbind", "get_mempolicy", "set_mempolicy",
    "mq_open", "mq_unlink", "mq_timedsend",
    // 280
    "mq_timedreceive", "mq_notify", "mq_getsetattr", "kexec_load", "waitid", "", "add_key",
    "request_key", "keyctl", "ioprio_set",
    // 290
    "ioprio_get", "inotify_init", "inotify_add_watch", "inotify_rm_watch", "migrate_pages",
    "openat", "mkdirat", "mknodat", "fchownat", "futimesat",
    // 300
    "fstatat64", "unlinkat", "renameat", "linkat", "symlinkat", "readlinkat", "fchmodat",
    "faccessat", "pselect6", "ppoll",
    // 310
    "unshare", "set_robust_list", "get_robust_list", "splice", "sync_file_range", "tee", "vmsplice",
    "move_pages", "getcpu", "epoll_pwait",
    // 320
    "utimensat", "signalfd", "timerfd_create", "eventfd", "fallocate", "timerfd_settime",
    "timerfd_gettime", "signalfd4", "eventfd2", "epoll_create1",
    // 330
    "dup3", "pipe2", "inotify_init1", "preadv", "pwritev", "rt_tgsigqueueinfo", "perf_event_open",
    "recvmmsg", "fanotify_init", "fanotify_mark",
    // 340
    "prlimit64", "name_to_handle_at", "open_by_handle_at", "clock_adjtime", "syncfs", "sendmmsg",
    "setns", "process_vm_readv", "process_vm_writev", "kcmp",
    // 350
    "finit_module", "sched_setattr", "sched_getattr", "renameat2", "seccomp", "getrandom",
    "memfd_create", "bpf", "execveat", "socket",
    // 360
    "socketpair", "bind", "connect", "listen", "accept4", "getsockopt", "setsockopt", "getsockname",
    "getpeername", "sendto",
    // 370
    "sendmsg", "recvfrom", "recvmsg", "shutdown", "userfaultfd", "membarrier", "mlock2",
    "copy_file_range", "preadv2", "pwritev2",
    // 380
    "pkey_mprotect", "pkey_alloc", "pkey_free", "statx", "arch_prctl", "io_pgetevents", "rseq", "",
    "", "",
    // 390
    "", "", "", "semget", "semctl", "shmget", "shmctl", "shmat", "shmdt", "msgget",
    // 400
    "msgsnd", "msgrcv", "msgctl", "clock_gettime64", "clock_settime64", "clock_adjtime64",
    "clock_getres_time64", "clock_nanosleep_time64", "timer_gettime64", "timer_settime64",
    // 410
    "timerfd_gettime64", "timerfd_settime64", "utimensat_time64", "pselect6_time64", "ppoll_time64",
    "", "io_pgetevents_time64", "recvmmsg_time64", "mq_timedsend_time64", "mq_timedreceive_time64",
    // 420
    "semtimedop_time64", "rt_sigtimedwait_time64", "futex_time64", "sched_rr_get_interval_time64",
    // clang-format on
};

// i386 syscalls whose x86_64 namesake takes other arguments.
constexpr std::string_view kDifferent[] = {
    "mmap",      "select",    "sendfile", "umount",    "chown",      "lchown",     "fchown",
    "setuid",    "setgid",    "setreuid", "setregid",  "setresuid",  "setresgid",  "getuid",
    "getgid",    "geteuid",   "getegid",  "getresuid", "getresgid",  "setfsuid",   "setfsgid",
    "getgroups", "setgroups", "pread64",  "pwrite64",  "truncate64", "ftruncate64"};

// i386 names of the 32-bit-id and 64-bit-offset variants, and their x86_64 names.
struct Rename {
  std::string_view ia32, x86_64;
};
constexpr Rename kRenames[] = {
    {"setuid32", "setuid"},       {"setgid32", "setgid"},       {"setreuid32", "setreuid"},
    {"setregid32", "setregid"},   {"setresuid32", "setresuid"}, {"setresgid32", "setresgid"},
    {"getuid32", "getuid"},       {"getgid32", "getgid"},       {"geteuid32", "geteuid"},
    {"getegid32", "getegid"},     {"getresuid32", "getresuid"}, {"getresgid32", "getresgid"},
    {"setfsuid32", "setfsuid"},   {"setfsgid32", "setfsgid"},   {"getgroups32", "getgroups"},
    {"setgroups32", "setgroups"}, {"chown32", "chown"},         {"lchown32", "lchown"},
    {"fchown32", "fchown"},       {"fcntl64", "fcntl"},         {"sendfile64", "sendfile"},
    {"fstatat64", "newfstatat"},  {"ugetrlimit", "getrlimit"}};

}  // namespace

std::string_view ia32_syscall_name(std::uint32_t nr) noexcept {
  if (nr < kUnifiedFrom) return kNames[nr];
  return x86_64_syscall_name(nr);
}

std::optional<std::uint32_t> ia32_to_x86_64(std::uint32_t nr) noexcept {
  if (nr >= kUnifiedFrom) {
    if (x86_64_syscall_name(nr).empty()) return std::nullopt;
    return nr;
  }
  std::string_view name = kNames[nr];
  if (name.empty()) return std::nullopt;
  for (auto d : kDifferent) {
    if (d == name) return std::nullopt;
  }
  for (const auto& r : kRenames) {
    if (r.ia32 == name) name = r.x86_64;
  }
  return x86_64_syscall_nr(name);
}

}  // namespace saker::syscall
