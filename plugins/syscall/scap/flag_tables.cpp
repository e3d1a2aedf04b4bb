// Flag-name data for the event table. One array per table, wrapped in a FlagTable.
#include "flag_tables.h"

#include <iterator>

namespace saker::syscall::scap::flags {
namespace {

template <std::size_t N>
constexpr FlagTable table(const FlagName (&a)[N]) {
  return FlagTable{a, static_cast<std::uint16_t>(N)};
}

constexpr FlagName kFile[] = {{"O_RDWR", 3},
                              {"O_RDONLY", 1u << 0},
                              {"O_WRONLY", 1u << 1},
                              {"O_CREAT", 1u << 2},
                              {"O_APPEND", 1u << 3},
                              {"O_DSYNC", 1u << 4},
                              {"O_EXCL", 1u << 5},
                              {"O_NONBLOCK", 1u << 6},
                              {"O_SYNC", 1u << 7},
                              {"O_TRUNC", 1u << 8},
                              {"O_DIRECT", 1u << 9},
                              {"O_DIRECTORY", 1u << 10},
                              {"O_LARGEFILE", 1u << 11},
                              {"O_CLOEXEC", 1u << 12},
                              {"O_TMPFILE", 1u << 13},
                              {"O_F_CREATED", 1u << 14},
                              {"O_NONE", 0}};

constexpr FlagName kClone[] = {{"CLONE_FILES", 1u << 0},
                               {"CLONE_FS", 1u << 1},
                               {"CLONE_IO", 1u << 2},
                               {"CLONE_NEWIPC", 1u << 3},
                               {"CLONE_NEWNET", 1u << 4},
                               {"CLONE_NEWNS", 1u << 5},
                               {"CLONE_NEWPID", 1u << 6},
                               {"CLONE_NEWUTS", 1u << 7},
                               {"CLONE_PARENT", 1u << 8},
                               {"CLONE_PARENT_SETTID", 1u << 9},
                               {"CLONE_PTRACE", 1u << 10},
                               {"CLONE_SIGHAND", 1u << 11},
                               {"CLONE_SYSVSEM", 1u << 12},
                               {"CLONE_THREAD", 1u << 13},
                               {"CLONE_UNTRACED", 1u << 14},
                               {"CLONE_VM", 1u << 15},
                               {"CLONE_INVERTED", 1u << 16},
                               {"NAME_CHANGED", 1u << 17},
                               {"CLOSED", 1u << 18},
                               {"CLONE_NEWUSER", 1u << 20},
                               {"CLONE_CHILD_CLEARTID", 1u << 23},
                               {"CLONE_CHILD_SETTID", 1u << 24},
                               {"CLONE_SETTLS", 1u << 25},
                               {"CLONE_STOPPED", 1u << 26},
                               {"CLONE_VFORK", 1u << 27},
                               {"CLONE_NEWCGROUP", 1u << 28}};

constexpr FlagName kProt[] = {{"PROT_READ", 1u << 0},      {"PROT_WRITE", 1u << 1},
                              {"PROT_EXEC", 1u << 2},      {"PROT_SEM", 1u << 3},
                              {"PROT_GROWSDOWN", 1u << 4}, {"PROT_GROWSUP", 1u << 5},
                              {"PROT_SAO", 1u << 6},       {"PROT_NONE", 0}};

constexpr FlagName kMmap[] = {
    {"MAP_SHARED", 1u << 0},    {"MAP_PRIVATE", 1u << 1},    {"MAP_FIXED", 1u << 2},
    {"MAP_ANONYMOUS", 1u << 3}, {"MAP_32BIT", 1u << 4},      {"MAP_RENAME", 1u << 5},
    {"MAP_NORESERVE", 1u << 6}, {"MAP_POPULATE", 1u << 7},   {"MAP_NONBLOCK", 1u << 8},
    {"MAP_GROWSDOWN", 1u << 9}, {"MAP_DENYWRITE", 1u << 10}, {"MAP_EXECUTABLE", 1u << 11},
    {"MAP_INHERIT", 1u << 12},  {"MAP_FILE", 1u << 13},      {"MAP_LOCKED", 1u << 14}};

constexpr FlagName kFamilies[] = {
    {"AF_UNSPEC", 0},  {"AF_LOCAL", 1},    {"AF_UNIX", 1},       {"AF_INET", 2},
    {"AF_AX25", 3},    {"AF_IPX", 4},      {"AF_APPLETALK", 5},  {"AF_NETROM", 6},
    {"AF_BRIDGE", 7},  {"AF_ATMPVC", 8},   {"AF_X25", 9},        {"AF_INET6", 10},
    {"AF_ROSE", 11},   {"AF_DECnet", 12},  {"AF_NETBEUI", 13},   {"AF_SECURITY", 14},
    {"AF_KEY", 15},    {"AF_NETLINK", 16}, {"AF_PACKET", 17},    {"AF_ASH", 18},
    {"AF_ECONET", 19}, {"AF_ATMSVC", 20},  {"AF_RDS", 21},       {"AF_SNA", 22},
    {"AF_IRDA", 23},   {"AF_PPPOX", 24},   {"AF_WANPIPE", 25},   {"AF_LLC", 26},
    {"AF_CAN", 29},    {"AF_TIPC", 30},    {"AF_BLUETOOTH", 31}, {"AF_IUCV", 32},
    {"AF_RXRPC", 33},  {"AF_ISDN", 34},    {"AF_PHONET", 35},    {"AF_IEEE802154", 36},
    {"AF_CAIF", 37},   {"AF_ALG", 38},     {"AF_NFC", 39}};

constexpr FlagName kAccess[] = {
    {"R_OK", 1u << 2}, {"W_OK", 1u << 1}, {"X_OK", 1u << 0}, {"F_OK", 0}};

// The two modifier bits come first so that they print before the operation, as in
// "FUTEX_PRIVATE_FLAG|FUTEX_WAKE".
constexpr FlagName kFutex[] = {{"FUTEX_CLOCK_REALTIME", 256},
                               {"FUTEX_PRIVATE_FLAG", 128},
                               {"FUTEX_WAIT", 0},
                               {"FUTEX_WAKE", 1},
                               {"FUTEX_FD", 2},
                               {"FUTEX_REQUEUE", 3},
                               {"FUTEX_CMP_REQUEUE", 4},
                               {"FUTEX_WAKE_OP", 5},
                               {"FUTEX_LOCK_PI", 6},
                               {"FUTEX_UNLOCK_PI", 7},
                               {"FUTEX_TRYLOCK_PI", 8},
                               {"FUTEX_WAIT_BITSET", 9},
                               {"FUTEX_WAKE_BITSET", 10},
                               {"FUTEX_WAIT_REQUEUE_PI", 11},
                               {"FUTEX_CMP_REQUEUE_PI", 12}};

constexpr FlagName kFcntl[] = {
    {"F_DUPFD", 1},       {"F_GETFD", 2},          {"F_SETFD", 3},      {"F_GETFL", 4},
    {"F_SETFL", 5},       {"F_GETLK", 6},          {"F_SETLK", 8},      {"F_SETLKW", 9},
    {"F_SETOWN", 10},     {"F_GETOWN", 12},        {"F_SETSIG", 13},    {"F_GETSIG", 15},
    {"F_SETOWN_EX", 21},  {"F_GETOWN_EX", 22},     {"F_SETLEASE", 23},  {"F_GETLEASE", 24},
    {"F_CANCELLK", 25},   {"F_DUPFD_CLOEXEC", 26}, {"F_NOTIFY", 27},    {"F_SETPIPE_SZ", 28},
    {"F_GETPIPE_SZ", 29}, {"F_OFD_GETLK", 30},     {"F_OFD_SETLK", 31}, {"F_OFD_SETLKW", 32},
    {"UNKNOWN", 0}};

constexpr FlagName kWhence[] = {{"SEEK_SET", 0}, {"SEEK_CUR", 1}, {"SEEK_END", 2}};

constexpr FlagName kPoll[] = {
    {"POLLIN", 1u << 0},     {"POLLPRI", 1u << 1},    {"POLLOUT", 1u << 2},
    {"POLLRDHUP", 1u << 3},  {"POLLERR", 1u << 4},    {"POLLHUP", 1u << 5},
    {"POLLNVAL", 1u << 6},   {"POLLRDNORM", 1u << 7}, {"POLLRDBAND", 1u << 8},
    {"POLLWRNORM", 1u << 9}, {"POLLWRBAND", 1u << 10}};

constexpr FlagName kMount[] = {
    {"RDONLY", 1u << 0},      {"NOSUID", 1u << 1},       {"NODEV", 1u << 2},
    {"NOEXEC", 1u << 3},      {"SYNCHRONOUS", 1u << 4},  {"REMOUNT", 1u << 5},
    {"MANDLOCK", 1u << 6},    {"DIRSYNC", 1u << 7},      {"NOATIME", 1u << 10},
    {"NODIRATIME", 1u << 11}, {"BIND", 1u << 12},        {"MOVE", 1u << 13},
    {"REC", 1u << 14},        {"SILENT", 1u << 15},      {"POSIXACL", 1u << 16},
    {"UNBINDABLE", 1u << 17}, {"PRIVATE", 1u << 18},     {"SLAVE", 1u << 19},
    {"SHARED", 1u << 20},     {"RELATIME", 1u << 21},    {"KERNMOUNT", 1u << 22},
    {"I_VERSION", 1u << 23},  {"STRICTATIME", 1u << 24}, {"LAZYTIME", 1u << 25},
    {"NOSEC", 1u << 28},      {"BORN", 1u << 29},        {"ACTIVE", 1u << 30},
    {"NOUSER", 1u << 31}};

constexpr FlagName kUmount[] = {{"FORCE", 1}, {"DETACH", 2}, {"EXPIRE", 4}, {"NOFOLLOW", 8}};

constexpr FlagName kShutdown[] = {{"SHUT_RD", 0}, {"SHUT_WR", 1}, {"SHUT_RDWR", 2}};

constexpr FlagName kRlimit[] = {
    {"RLIMIT_CPU", 0},       {"RLIMIT_FSIZE", 1}, {"RLIMIT_DATA", 2},    {"RLIMIT_STACK", 3},
    {"RLIMIT_CORE", 4},      {"RLIMIT_RSS", 5},   {"RLIMIT_NPROC", 6},   {"RLIMIT_NOFILE", 7},
    {"RLIMIT_MEMLOCK", 8},   {"RLIMIT_AS", 9},    {"RLIMIT_LOCKS", 10},  {"RLIMIT_SIGPENDING", 11},
    {"RLIMIT_MSGQUEUE", 12}, {"RLIMIT_NICE", 13}, {"RLIMIT_RTPRIO", 14}, {"RLIMIT_RTTIME", 15},
    {"RLIMIT_UNKNOWN", 255}};

constexpr FlagName kSockLevels[] = {{"SOL_SOCKET", 1}, {"SOL_TCP", 2}, {"UNKNOWN", 0}};

constexpr FlagName kSockOpts[] = {
    {"SO_DEBUG", 1},         {"SO_REUSEADDR", 2},        {"SO_TYPE", 3},
    {"SO_ERROR", 4},         {"SO_DONTROUTE", 5},        {"SO_BROADCAST", 6},
    {"SO_SNDBUF", 7},        {"SO_RCVBUF", 8},           {"SO_KEEPALIVE", 9},
    {"SO_OOBINLINE", 10},    {"SO_NO_CHECK", 11},        {"SO_PRIORITY", 12},
    {"SO_LINGER", 13},       {"SO_BSDCOMPAT", 14},       {"SO_REUSEPORT", 15},
    {"SO_PASSCRED", 16},     {"SO_PEERCRED", 17},        {"SO_RCVLOWAT", 18},
    {"SO_SNDLOWAT", 19},     {"SO_RCVTIMEO", 20},        {"SO_SNDTIMEO", 21},
    {"SO_BINDTODEVICE", 25}, {"SO_ATTACH_FILTER", 26},   {"SO_DETACH_FILTER", 27},
    {"SO_PEERNAME", 28},     {"SO_TIMESTAMP", 29},       {"SO_ACCEPTCONN", 30},
    {"SO_PEERSEC", 31},      {"SO_SNDBUFFORCE", 32},     {"SO_RCVBUFFORCE", 33},
    {"SO_PASSSEC", 34},      {"SO_TIMESTAMPNS", 35},     {"SO_MARK", 36},
    {"SO_TIMESTAMPING", 37}, {"SO_PROTOCOL", 38},        {"SO_DOMAIN", 39},
    {"SO_RXQ_OVFL", 40},     {"SO_WIFI_STATUS", 41},     {"SO_PEEK_OFF", 42},
    {"SO_NOFCS", 43},        {"SO_LOCK_FILTER", 44},     {"SO_SELECT_ERR_QUEUE", 45},
    {"SO_BUSY_POLL", 46},    {"SO_MAX_PACING_RATE", 47}, {"SO_BPF_EXTENSIONS", 48},
    {"SO_INCOMING_CPU", 49}, {"SO_ATTACH_BPF", 50},      {"SO_PEERGROUPS", 51},
    {"SO_MEMINFO", 52},      {"SO_COOKIE", 53},          {"UNKNOWN", 0}};

constexpr FlagName kPtrace[] = {{"PTRACE_TRACEME", 1},
                                {"PTRACE_PEEKTEXT", 2},
                                {"PTRACE_PEEKDATA", 3},
                                {"PTRACE_PEEKUSR", 4},
                                {"PTRACE_POKETEXT", 5},
                                {"PTRACE_POKEDATA", 6},
                                {"PTRACE_POKEUSR", 7},
                                {"PTRACE_CONT", 8},
                                {"PTRACE_KILL", 9},
                                {"PTRACE_SINGLESTEP", 10},
                                {"PTRACE_ATTACH", 11},
                                {"PTRACE_DETACH", 12},
                                {"PTRACE_SYSCALL", 13},
                                {"PTRACE_SETOPTIONS", 14},
                                {"PTRACE_GETEVENTMSG", 15},
                                {"PTRACE_GETSIGINFO", 16},
                                {"PTRACE_SETSIGINFO", 17},
                                {"PTRACE_GETREGSET", 18},
                                {"PTRACE_SETREGSET", 19},
                                {"PTRACE_SEIZE", 20},
                                {"PTRACE_INTERRUPT", 21},
                                {"PTRACE_LISTEN", 22},
                                {"PTRACE_PEEKSIGINFO", 23},
                                {"PTRACE_GETSIGMASK", 24},
                                {"PTRACE_SETSIGMASK", 25},
                                {"PTRACE_GETREGS", 26},
                                {"PTRACE_SETREGS", 27},
                                {"PTRACE_GETFPREGS", 28},
                                {"PTRACE_SETFPREGS", 29},
                                {"PTRACE_GETFPXREGS", 30},
                                {"PTRACE_SETFPXREGS", 31},
                                {"PTRACE_OLDSETOPTIONS", 32},
                                {"PTRACE_GET_THREAD_AREA", 33},
                                {"PTRACE_SET_THREAD_AREA", 34},
                                {"PTRACE_ARCH_PRCTL", 35},
                                {"PTRACE_SYSEMU", 36},
                                {"PTRACE_SYSEMU_SINGLESTEP", 37},
                                {"PTRACE_SINGLEBLOCK", 38},
                                {"PTRACE_UNKNOWN", 0}};

constexpr FlagName kSplice[] = {{"SPLICE_F_MOVE", 1u << 0},
                                {"SPLICE_F_NONBLOCK", 1u << 1},
                                {"SPLICE_F_MORE", 1u << 2},
                                {"SPLICE_F_GIFT", 1u << 3}};

constexpr FlagName kUnlinkat[] = {{"AT_REMOVEDIR", 0x200}};
constexpr FlagName kLinkat[] = {{"AT_SYMLINK_FOLLOW", 0x400}, {"AT_EMPTY_PATH", 0x1000}};

constexpr FlagName kMode[] = {{"S_IXOTH", 1u << 0}, {"S_IWOTH", 1u << 1},  {"S_IROTH", 1u << 2},
                              {"S_IXGRP", 1u << 3}, {"S_IWGRP", 1u << 4},  {"S_IRGRP", 1u << 5},
                              {"S_IXUSR", 1u << 6}, {"S_IWUSR", 1u << 7},  {"S_IRUSR", 1u << 8},
                              {"S_ISVTX", 1u << 9}, {"S_ISGID", 1u << 10}, {"S_ISUID", 1u << 11}};

constexpr FlagName kRenameat2[] = {
    {"RENAME_NOREPLACE", 1u << 0}, {"RENAME_EXCHANGE", 1u << 1}, {"RENAME_WHITEOUT", 1u << 2}};

constexpr FlagName kResolve[] = {
    {"RESOLVE_BENEATH", 1u << 0},       {"RESOLVE_IN_ROOT", 1u << 1},
    {"RESOLVE_NO_MAGICLINKS", 1u << 2}, {"RESOLVE_NO_SYMLINKS", 1u << 3},
    {"RESOLVE_NO_XDEV", 1u << 4},       {"RESOLVE_CACHED", 1u << 5}};

constexpr FlagName kExecve[] = {
    {"EXE_WRITABLE", 1u << 0}, {"EXE_UPPER_LAYER", 1u << 1}, {"EXE_FROM_MEMFD", 1u << 2}};

constexpr FlagName kExecveat[] = {{"AT_EMPTY_PATH", 1u << 0}, {"AT_SYMLINK_NOFOLLOW", 1u << 1}};

constexpr FlagName kMemfd[] = {
    {"MFD_CLOEXEC", 1u << 0}, {"MFD_ALLOW_SEALING", 1u << 1}, {"MFD_HUGETLB", 1u << 2}};

constexpr FlagName kEpollCreate1[] = {{"EPOLL_CLOEXEC", 1u << 0}};

constexpr FlagName kFlock[] = {
    {"LOCK_SH", 1u << 0}, {"LOCK_EX", 1u << 1}, {"LOCK_NB", 1u << 2}, {"LOCK_UN", 1u << 3}};

constexpr FlagName kSemop[] = {{"IPC_NOWAIT", 1u << 0}, {"SEM_UNDO", 1u << 1}};
constexpr FlagName kSemget[] = {{"IPC_EXCL", 1u << 14}, {"IPC_CREAT", 1u << 13}};
constexpr FlagName kSemctl[] = {{"IPC_STAT", 1u << 0}, {"IPC_SET", 1u << 1},  {"IPC_RMID", 1u << 2},
                                {"IPC_INFO", 1u << 3}, {"SEM_INFO", 1u << 4}, {"SEM_STAT", 1u << 5},
                                {"GETALL", 1u << 6},   {"GETNCNT", 1u << 7},  {"GETPID", 1u << 8},
                                {"GETVAL", 1u << 9},   {"GETZCNT", 1u << 10}, {"SETALL", 1u << 11},
                                {"SETVAL", 1u << 12}};

constexpr FlagName kFchownat[] = {{"AT_SYMLINK_NOFOLLOW", 1u << 0}, {"AT_EMPTY_PATH", 1u << 1}};
constexpr FlagName kNewfstatat[] = {
    {"AT_NO_AUTOMOUNT", 1u << 0}, {"AT_SYMLINK_NOFOLLOW", 1u << 1}, {"AT_EMPTY_PATH", 1u << 2}};
constexpr FlagName kMlockall[] = {
    {"MCL_CURRENT", 1u << 0}, {"MCL_FUTURE", 1u << 1}, {"MCL_ONFAULT", 1u << 2}};

constexpr FlagName kPrctl[] = {{"PR_SET_PDEATHSIG", 1},
                               {"PR_GET_PDEATHSIG", 2},
                               {"PR_GET_DUMPABLE", 3},
                               {"PR_SET_DUMPABLE", 4},
                               {"PR_GET_KEEPCAPS", 7},
                               {"PR_SET_KEEPCAPS", 8},
                               {"PR_SET_NAME", 15},
                               {"PR_GET_NAME", 16},
                               {"PR_GET_SECCOMP", 21},
                               {"PR_SET_SECCOMP", 22},
                               {"PR_CAPBSET_READ", 23},
                               {"PR_CAPBSET_DROP", 24},
                               {"PR_GET_SECUREBITS", 27},
                               {"PR_SET_SECUREBITS", 28},
                               {"PR_SET_CHILD_SUBREAPER", 36},
                               {"PR_GET_CHILD_SUBREAPER", 37},
                               {"PR_SET_NO_NEW_PRIVS", 38},
                               {"PR_GET_NO_NEW_PRIVS", 39},
                               {"PR_CAP_AMBIENT", 47}};

constexpr FlagName kBpf[] = {
    {"BPF_MAP_CREATE", 0},      {"BPF_MAP_LOOKUP_ELEM", 1},  {"BPF_MAP_UPDATE_ELEM", 2},
    {"BPF_MAP_DELETE_ELEM", 3}, {"BPF_MAP_GET_NEXT_KEY", 4}, {"BPF_PROG_LOAD", 5},
    {"BPF_OBJ_PIN", 6},         {"BPF_OBJ_GET", 7},          {"BPF_PROG_ATTACH", 8},
    {"BPF_PROG_DETACH", 9},     {"BPF_PROG_TEST_RUN", 10},   {"BPF_BTF_LOAD", 18},
    {"BPF_LINK_CREATE", 28}};

constexpr FlagName kPageFault[] = {
    {"PROTECTION_VIOLATION", 1u << 0}, {"PAGE_NOT_PRESENT", 1u << 1}, {"WRITE_ACCESS", 1u << 2},
    {"READ_ACCESS", 1u << 3},          {"USER_FAULT", 1u << 4},       {"SUPERVISOR_FAULT", 1u << 5},
    {"RESERVED_PAGE", 1u << 6},        {"INSTRUCTION_FETCH", 1u << 7}};

constexpr FlagName kFsconfig[] = {{"FSCONFIG_SET_FLAG", 0},       {"FSCONFIG_SET_STRING", 1},
                                  {"FSCONFIG_SET_BINARY", 2},     {"FSCONFIG_SET_PATH", 3},
                                  {"FSCONFIG_SET_PATH_EMPTY", 4}, {"FSCONFIG_SET_FD", 5},
                                  {"FSCONFIG_CMD_CREATE", 6},     {"FSCONFIG_CMD_RECONFIGURE", 7}};

constexpr FlagName kFinitModule[] = {{"MODULE_INIT_IGNORE_MODVERSIONS", 1},
                                     {"MODULE_INIT_IGNORE_VERMAGIC", 2},
                                     {"MODULE_INIT_COMPRESSED_FILE", 4}};

constexpr FlagName kQuotactl[] = {
    {"Q_QUOTAON", 1u << 0},    {"Q_QUOTAOFF", 1u << 1},   {"Q_GETFMT", 1u << 2},
    {"Q_GETINFO", 1u << 3},    {"Q_SETINFO", 1u << 4},    {"Q_GETQUOTA", 1u << 5},
    {"Q_SETQUOTA", 1u << 6},   {"Q_SYNC", 1u << 7},       {"Q_XQUOTAON", 1u << 8},
    {"Q_XQUOTAOFF", 1u << 9},  {"Q_XGETQUOTA", 1u << 10}, {"Q_XSETQLIM", 1u << 11},
    {"Q_XGETQSTAT", 1u << 12}, {"Q_XQUOTARM", 1u << 13},  {"Q_XQUOTASYNC", 1u << 14},
    {"Q_XGETQSTATV", 1u << 15}};

constexpr FlagName kQuotaTypes[] = {{"USRQUOTA", 1u << 0}, {"GRPQUOTA", 1u << 1}};

constexpr FlagName kQuotaDqiFlags[] = {{"DQF_NONE", 1u << 0}, {"V1_DQF_RSQUASH", 1u << 1}};

constexpr FlagName kQuotaFmts[] = {{"QFMT_NOT_USED", 1u << 0},
                                   {"QFMT_VFS_OLD", 1u << 1},
                                   {"QFMT_VFS_V0", 1u << 2},
                                   {"QFMT_VFS_V1", 1u << 3}};

// creat has no flags parameter of its own: these two bits say which overlay layer the
// created file lives on (the 16-bit counterpart of the open flags' layer bits).
constexpr FlagName kCreat[] = {{"FD_UPPER_LAYER_CREAT", 1u << 0},
                               {"FD_LOWER_LAYER_CREAT", 1u << 1}};

constexpr FlagName kMlock2[] = {{"MLOCK_ONFAULT", 1u << 0}};

constexpr FlagName kDeleteModule[] = {{"O_TRUNC", 1u << 0}, {"O_NONBLOCK", 1u << 1}};

constexpr FlagName kPidfdOpen[] = {{"PIDFD_NONBLOCK", 1u << 0}};

constexpr FlagName kIoUringSetup[] = {
    {"IORING_SETUP_IOPOLL", 1u << 0},    {"IORING_SETUP_SQPOLL", 1u << 1},
    {"IORING_SQ_NEED_WAKEUP", 1u << 2},  {"IORING_SETUP_SQ_AFF", 1u << 3},
    {"IORING_SETUP_CQSIZE", 1u << 4},    {"IORING_SETUP_CLAMP", 1u << 5},
    {"IORING_SETUP_ATTACH_WQ", 1u << 6}, {"IORING_SETUP_R_DISABLED", 1u << 7}};

constexpr FlagName kIoUringFeats[] = {
    {"IORING_FEAT_SINGLE_MMAP", 1u << 0},     {"IORING_FEAT_NODROP", 1u << 1},
    {"IORING_FEAT_SUBMIT_STABLE", 1u << 2},   {"IORING_FEAT_RW_CUR_POS", 1u << 3},
    {"IORING_FEAT_CUR_PERSONALITY", 1u << 4}, {"IORING_FEAT_FAST_POLL", 1u << 5},
    {"IORING_FEAT_POLL_32BITS", 1u << 6},     {"IORING_FEAT_SQPOLL_NONFIXED", 1u << 7},
    {"IORING_FEAT_ENTER_EXT_ARG", 1u << 8},   {"IORING_FEAT_NATIVE_WORKERS", 1u << 9},
    {"IORING_FEAT_RSRC_TAGS", 1u << 10}};

constexpr FlagName kIoUringEnter[] = {{"IORING_ENTER_GETEVENTS", 1u << 0},
                                      {"IORING_ENTER_SQ_WAKEUP", 1u << 1},
                                      {"IORING_ENTER_SQ_WAIT", 1u << 2},
                                      {"IORING_ENTER_EXT_ARG", 1u << 3}};

constexpr FlagName kIoUringRegister[] = {
    {"IORING_REGISTER_BUFFERS", 0},         {"IORING_UNREGISTER_BUFFERS", 1},
    {"IORING_REGISTER_FILES", 2},           {"IORING_UNREGISTER_FILES", 3},
    {"IORING_REGISTER_EVENTFD", 4},         {"IORING_UNREGISTER_EVENTFD", 5},
    {"IORING_REGISTER_FILES_UPDATE", 6},    {"IORING_REGISTER_EVENTFD_ASYNC", 7},
    {"IORING_REGISTER_PROBE", 8},           {"IORING_REGISTER_PERSONALITY", 9},
    {"IORING_UNREGISTER_PERSONALITY", 10},  {"IORING_REGISTER_RESTRICTIONS", 11},
    {"IORING_REGISTER_ENABLE_RINGS", 12},   {"IORING_REGISTER_FILES2", 13},
    {"IORING_REGISTER_FILES_UPDATE2", 14},  {"IORING_REGISTER_BUFFERS2", 15},
    {"IORING_REGISTER_BUFFERS_UPDATE", 16}, {"IORING_REGISTER_IOWQ_AFF", 17},
    {"IORING_UNREGISTER_IOWQ_AFF", 18},     {"IORING_REGISTER_IOWQ_MAX_WORKERS", 19},
    {"IORING_REGISTER_RING_FDS", 20},       {"IORING_UNREGISTER_RING_FDS", 21}};

}  // namespace

const FlagTable kFileFlags = table(kFile);
const FlagTable kCloneFlags = table(kClone);
const FlagTable kProtFlags = table(kProt);
const FlagTable kMmapFlags = table(kMmap);
const FlagTable kSocketFamilies = table(kFamilies);
const FlagTable kAccessFlags = table(kAccess);
const FlagTable kFutexOps = table(kFutex);
const FlagTable kFcntlCmds = table(kFcntl);
const FlagTable kLseekWhence = table(kWhence);
const FlagTable kPollFlags = table(kPoll);
const FlagTable kMountFlags = table(kMount);
const FlagTable kUmountFlags = table(kUmount);
const FlagTable kShutdownHow = table(kShutdown);
const FlagTable kRlimitResources = table(kRlimit);
const FlagTable kSockoptLevels = table(kSockLevels);
const FlagTable kSockoptOptions = table(kSockOpts);
const FlagTable kPtraceRequests = table(kPtrace);
const FlagTable kSpliceFlags = table(kSplice);
const FlagTable kUnlinkatFlags = table(kUnlinkat);
const FlagTable kLinkatFlags = table(kLinkat);
const FlagTable kModeBits = table(kMode);
const FlagTable kRenameat2Flags = table(kRenameat2);
const FlagTable kOpenat2Resolve = table(kResolve);
const FlagTable kExecveFlags = table(kExecve);
const FlagTable kExecveatFlags = table(kExecveat);
const FlagTable kMemfdCreateFlags = table(kMemfd);
const FlagTable kEpollCreate1Flags = table(kEpollCreate1);
const FlagTable kFlockFlags = table(kFlock);
const FlagTable kSemopFlags = table(kSemop);
const FlagTable kSemgetFlags = table(kSemget);
const FlagTable kSemctlCmds = table(kSemctl);
const FlagTable kFchownatFlags = table(kFchownat);
const FlagTable kNewfstatatFlags = table(kNewfstatat);
const FlagTable kMlockallFlags = table(kMlockall);
const FlagTable kPrctlOptions = table(kPrctl);
const FlagTable kBpfCommands = table(kBpf);
const FlagTable kPageFaultFlags = table(kPageFault);
const FlagTable kFsconfigCmds = table(kFsconfig);
const FlagTable kFinitModuleFlags = table(kFinitModule);
const FlagTable kQuotactlCmds = table(kQuotactl);
const FlagTable kQuotactlTypes = table(kQuotaTypes);
const FlagTable kQuotactlDqiFlags = table(kQuotaDqiFlags);
const FlagTable kQuotactlFmts = table(kQuotaFmts);
const FlagTable kCreatFlags = table(kCreat);
const FlagTable kMlock2Flags = table(kMlock2);
const FlagTable kDeleteModuleFlags = table(kDeleteModule);
const FlagTable kPidfdOpenFlags = table(kPidfdOpen);
const FlagTable kIoUringSetupFlags = table(kIoUringSetup);
const FlagTable kIoUringSetupFeats = table(kIoUringFeats);
const FlagTable kIoUringEnterFlags = table(kIoUringEnter);
const FlagTable kIoUringRegisterOpcodes = table(kIoUringRegister);
const FlagTable kEmpty{};

}  // namespace saker::syscall::scap::flags
