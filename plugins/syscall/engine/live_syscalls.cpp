// The live driver's syscall table (see live_syscalls.h). A data file: one line per syscall,
// each parameter list in the order of the event's current scap layout (exit parameters,
// then the enter parameters that current drivers append).
#include "live_syscalls.h"

#include <array>

namespace saker::syscall {
namespace {

constexpr LiveParam Res{SAKER_P_RES};
constexpr LiveParam Empty{SAKER_P_EMPTY};
constexpr LiveParam S64(std::uint8_t a) { return {SAKER_P_ARG_S64, a}; }
constexpr LiveParam U64(std::uint8_t a) { return {SAKER_P_ARG_U64, a}; }
constexpr LiveParam U32(std::uint8_t a) { return {SAKER_P_ARG_U32, a}; }
constexpr LiveParam S32(std::uint8_t a) { return {SAKER_P_ARG_S32, a}; }
constexpr LiveParam U16(std::uint8_t a) { return {SAKER_P_ARG_U16, a}; }
constexpr LiveParam U8(std::uint8_t a) { return {SAKER_P_ARG_U8, a}; }
constexpr LiveParam FcntlCmd(std::uint8_t a) { return {SAKER_P_ARG_FCNTL_CMD, a}; }
constexpr LiveParam FchownatFlags(std::uint8_t a) { return {SAKER_P_ARG_FCHOWNAT_FLAGS, a}; }
constexpr LiveParam DeleteModuleFlags(std::uint8_t a) {
  return {SAKER_P_ARG_DELETE_MODULE_FLAGS, a};
}
constexpr LiveParam MountFlags(std::uint8_t a) { return {SAKER_P_ARG_MOUNT_FLAGS, a}; }
constexpr LiveParam FdPairIno(std::uint8_t a) { return {SAKER_P_ARG_FD_PAIR_INO, a}; }
constexpr LiveParam UserU64(std::uint8_t a) { return {SAKER_P_ARG_USER_U64, a}; }
// u32 field `word` (4-byte units) of the struct the argument points to
constexpr LiveParam UserU32(std::uint8_t a, std::uint8_t word) {
  return {SAKER_P_ARG_USER_U32, static_cast<std::uint8_t>(a | (word << 3))};
}
constexpr LiveParam IoUringSetupFlags(std::uint8_t a) { return {SAKER_P_IO_URING_SETUP_FLAGS, a}; }
constexpr LiveParam FdTupleOut(std::uint8_t a) { return {SAKER_P_ARG_FD_TUPLE_OUT, a}; }
constexpr LiveParam FdTupleIn(std::uint8_t a) { return {SAKER_P_ARG_FD_TUPLE_IN, a}; }
constexpr LiveParam FdPairSk(std::uint8_t a) { return {SAKER_P_ARG_FD_PAIR_SK, a}; }
constexpr LiveParam FdPairPeer(std::uint8_t a) { return {SAKER_P_ARG_FD_PAIR_PEER, a}; }
constexpr LiveParam PrctlStr(std::uint8_t a) { return {SAKER_P_PRCTL_ARG2_STR, a}; }
constexpr LiveParam PrctlInt(std::uint8_t a) { return {SAKER_P_PRCTL_ARG2_INT, a}; }
constexpr LiveParam PtraceAddr(std::uint8_t a) { return {SAKER_P_PTRACE_ADDR, a}; }
constexpr LiveParam PtraceData(std::uint8_t a) { return {SAKER_P_PTRACE_DATA, a}; }
constexpr LiveParam Str(std::uint8_t a) { return {SAKER_P_ARG_STR, a}; }
constexpr LiveParam OpenFlags(std::uint8_t a) { return {SAKER_P_ARG_OPEN_FLAGS, a}; }
constexpr LiveParam CloneFlags(std::uint8_t a) { return {SAKER_P_ARG_CLONE_FLAGS, a}; }
constexpr LiveParam Prot(std::uint8_t a) { return {SAKER_P_ARG_PROT, a}; }
constexpr LiveParam MmapFlags(std::uint8_t a) { return {SAKER_P_ARG_MMAP_FLAGS, a}; }
constexpr LiveParam Data(std::uint8_t a) { return {SAKER_P_ARG_DATA, a}; }
constexpr LiveParam DataLen(std::uint8_t a) { return {SAKER_P_ARG_DATA_LEN, a}; }
constexpr LiveParam DataOut(std::uint8_t a) { return {SAKER_P_ARG_DATA_OUT, a}; }
constexpr LiveParam Sockaddr(std::uint8_t a) { return {SAKER_P_ARG_SOCKADDR, a}; }
constexpr LiveParam PtraceReq(std::uint8_t a) { return {SAKER_P_ARG_PTRACE_REQ, a}; }
constexpr LiveParam FdPair0(std::uint8_t a) { return {SAKER_P_ARG_FD_PAIR0, a}; }
constexpr LiveParam FdPair1(std::uint8_t a) { return {SAKER_P_ARG_FD_PAIR1, a}; }
constexpr LiveParam ResFdPath{SAKER_P_RES_FD_PATH};
constexpr LiveParam ResFdDev{SAKER_P_RES_FD_DEV};
constexpr LiveParam ResFdIno{SAKER_P_RES_FD_INO};
constexpr LiveParam VmSize{SAKER_P_VM_SIZE};
constexpr LiveParam VmRss{SAKER_P_VM_RSS};
constexpr LiveParam VmSwap{SAKER_P_VM_SWAP};
constexpr LiveParam CapInh{SAKER_P_CAP_INHERITABLE};
constexpr LiveParam CapPerm{SAKER_P_CAP_PERMITTED};
constexpr LiveParam CapEff{SAKER_P_CAP_EFFECTIVE};

constexpr std::uint8_t kProc = SAKER_DROP_BUFFER_PROC;
constexpr std::uint8_t kFile = SAKER_DROP_BUFFER_FILE;
constexpr std::uint8_t kNet = SAKER_DROP_BUFFER_NET;
constexpr std::uint8_t kOther = SAKER_DROP_BUFFER_OTHER;

// Parameter lists (static storage: the table keeps spans of them).
constexpr LiveParam kRead[] = {Res, Data(1), S64(0), U32(2)};
constexpr LiveParam kWrite[] = {Res, DataOut(1), S64(0), U32(2)};
constexpr LiveParam kSocket[] = {Res, U32(0), U32(1), U32(2)};
constexpr LiveParam kBind[] = {Res, Sockaddr(1), S64(0)};
constexpr LiveParam kListen[] = {Res, S64(0), S32(1)};
constexpr LiveParam kSendto[] = {Res, DataOut(1), S64(0), U32(2), FdTupleOut(0)};
constexpr LiveParam kRecvfrom[] = {Res, Data(1), FdTupleIn(0), S64(0), U32(2)};
constexpr LiveParam kSocketpair[] = {Res, FdPair0(3), FdPair1(3), FdPairSk(3), FdPairPeer(3),
                                     U32(0), U32(1), U32(2)};
constexpr LiveParam kPipe[] = {Res, FdPair0(0), FdPair1(0), FdPairIno(0)};
constexpr LiveParam kPipe2[] = {Res, FdPair0(0), FdPair1(0), FdPairIno(0), OpenFlags(1)};
constexpr LiveParam kDup[] = {Res, S64(0)};
constexpr LiveParam kDup2[] = {Res, S64(0), S64(1)};
constexpr LiveParam kDup3[] = {Res, S64(0), S64(1), OpenFlags(2)};
constexpr LiveParam kResPath0[] = {Res, Str(0)};
constexpr LiveParam kResFd0[] = {Res, S64(0)};
constexpr LiveParam kMkdir[] = {Res, Str(0), U32(1)};
constexpr LiveParam kMkdirat[] = {Res, S64(0), Str(1), U32(2)};
constexpr LiveParam kUnlinkat[] = {Res, S64(0), Str(1), U32(2)};
constexpr LiveParam kTwoPaths[] = {Res, Str(0), Str(1)};
constexpr LiveParam kRenameat[] = {Res, S64(0), Str(1), S64(2), Str(3)};
constexpr LiveParam kRenameat2[] = {Res, S64(0), Str(1), S64(2), Str(3), U32(4)};
constexpr LiveParam kLinkat[] = {Res, S64(0), Str(1), S64(2), Str(3), U32(4)};
constexpr LiveParam kSymlinkat[] = {Res, Str(0), S64(1), Str(2)};
constexpr LiveParam kChmod[] = {Res, Str(0), U32(1)};
constexpr LiveParam kFchmod[] = {Res, S64(0), U32(1)};
constexpr LiveParam kFchmodat[] = {Res, S64(0), Str(1), U32(2)};
constexpr LiveParam kChown[] = {Res, Str(0), U32(1), U32(2)};
constexpr LiveParam kFchown[] = {Res, S64(0), U32(1), U32(2)};
constexpr LiveParam kFchownat[] = {Res, S64(0), Str(1), U32(2), U32(3), FchownatFlags(4)};
constexpr LiveParam kKill[] = {Res, S64(0), U8(1)};
constexpr LiveParam kTgkill[] = {Res, S64(0), S64(1), U8(2)};
constexpr LiveParam kSetid[] = {Res, U32(0)};
constexpr LiveParam kSetres[] = {Res, U32(0), U32(1), U32(2)};
constexpr LiveParam kCapset[] = {Res, CapInh, CapPerm, CapEff};
constexpr LiveParam kPrctl[] = {Res, U32(0), PrctlStr(1), PrctlInt(1)};
constexpr LiveParam kUnshare[] = {Res, CloneFlags(0)};
constexpr LiveParam kSetns[] = {Res, S64(0), CloneFlags(1)};
constexpr LiveParam kMount[] = {Res, Str(0), Str(1), Str(2), MountFlags(3)};
constexpr LiveParam kUmount2[] = {Res, Str(0), U32(1)};
constexpr LiveParam kMemfd[] = {Res, Str(0), U32(1)};
constexpr LiveParam kMmap[] = {Res, VmSize, VmRss, VmSwap, U64(0), U64(1), Prot(2), MmapFlags(3), S64(4), U64(5)};
constexpr LiveParam kMprotect[] = {Res, U64(0), U64(1), Prot(2)};
constexpr LiveParam kPtrace[] = {Res, PtraceAddr(2), PtraceData(3), PtraceReq(0), S64(1)};
constexpr LiveParam kInitModule[] = {Res, DataLen(0), U64(1), Str(2)};
constexpr LiveParam kFinitModule[] = {Res, S64(0), Str(1), U32(2)};
constexpr LiveParam kDeleteModule[] = {Res, Str(0), DeleteModuleFlags(1)};
constexpr LiveParam kBpf[] = {Res, U32(0)};
constexpr LiveParam kUserfaultfd[] = {Res, OpenFlags(0)};
// io_uring_params: sq_entries, cq_entries, flags, sq_thread_cpu, sq_thread_idle, features
constexpr LiveParam kIoUringSetup[] = {Res,           U32(0),        UserU32(1, 0),
                                       UserU32(1, 1), IoUringSetupFlags(1), UserU32(1, 3),
                                       UserU32(1, 4), UserU32(1, 5)};
// sig: the low 32 bits of the sigset pointer, as the scap format carries it
constexpr LiveParam kIoUringEnter[] = {Res, S64(0), U32(1), U32(2), U32(3), U32(4)};
constexpr LiveParam kIoUringRegister[] = {Res, S64(0), U16(1), U64(2), U32(3)};
constexpr LiveParam kOpenByHandle[] = {Res, S64(0), OpenFlags(2), ResFdPath, ResFdDev, ResFdIno};
// offin/offout: the pointer arguments themselves, as the scap format carries them
constexpr LiveParam kCopyFileRange[] = {Res, S64(2), U64(3), S64(0), U64(1), U64(4)};
constexpr LiveParam kSplice[] = {Res, S64(0), S64(2), U64(4), U32(5)};
constexpr LiveParam kSendfile[] = {Res, UserU64(2), S64(0), S64(1), U64(3)};
constexpr LiveParam kFcntl[] = {Res, S64(0), FcntlCmd(1)};
constexpr LiveParam kSetpgid[] = {Res, S64(0), S64(1)};
constexpr LiveParam kResOnly[] = {Res};

constexpr LiveSyscall P(std::string_view name, std::uint16_t type, std::uint8_t cat,
                        std::string_view program) {
  return {name, type, cat, program, {}};
}
template <std::size_t N>
constexpr LiveSyscall T(std::string_view name, std::uint16_t type, std::uint8_t cat,
                        const LiveParam (&params)[N]) {
  return {name, type, cat, "", std::span<const LiveParam>(params, N)};
}

constexpr std::array kTable = {
    // processes
    P("execve", SAKER_EVT_EXECVE_19_X, kProc, "saker_execve_exit"),
    P("execveat", SAKER_EVT_EXECVEAT_X, kProc, "saker_execveat_exit"),
    P("clone", SAKER_EVT_CLONE_20_X, kProc, "saker_clone_exit"),
    P("clone3", SAKER_EVT_CLONE3_X, kProc, "saker_clone3_exit"),
    P("fork", SAKER_EVT_FORK_20_X, kProc, "saker_fork_exit"),
    P("vfork", SAKER_EVT_VFORK_20_X, kProc, "saker_vfork_exit"),
    T("chdir", SAKER_EVT_CHDIR_X, kProc, kResPath0),
    T("fchdir", SAKER_EVT_FCHDIR_X, kProc, kResFd0),
    T("chroot", SAKER_EVT_CHROOT_X, kProc, kResPath0),
    T("setuid", SAKER_EVT_SETUID_X, kProc, kSetid),
    T("setgid", SAKER_EVT_SETGID_X, kProc, kSetid),
    T("setresuid", SAKER_EVT_SETRESUID_X, kProc, kSetres),
    T("setresgid", SAKER_EVT_SETRESGID_X, kProc, kSetres),
    T("setsid", SAKER_EVT_SETSID_X, kProc, kResOnly),
    T("setpgid", SAKER_EVT_SETPGID_X, kProc, kSetpgid),
    T("capset", SAKER_EVT_CAPSET_X, kProc, kCapset),
    T("prctl", SAKER_EVT_PRCTL_X, kProc, kPrctl),
    T("unshare", SAKER_EVT_UNSHARE_X, kProc, kUnshare),
    T("setns", SAKER_EVT_SETNS_X, kProc, kSetns),
    T("ptrace", SAKER_EVT_PTRACE_X, kProc, kPtrace),
    T("kill", SAKER_EVT_KILL_X, kProc, kKill),
    T("tkill", SAKER_EVT_TKILL_X, kProc, kKill),
    T("tgkill", SAKER_EVT_TGKILL_X, kProc, kTgkill),
    // files
    P("open", SAKER_EVT_OPEN_X, kFile, "saker_open_exit"),
    P("openat", SAKER_EVT_OPENAT_2_X, kFile, "saker_openat_exit"),
    P("openat2", SAKER_EVT_OPENAT2_X, kFile, "saker_openat2_exit"),
    P("creat", SAKER_EVT_CREAT_X, kFile, "saker_creat_exit"),
    T("open_by_handle_at", SAKER_EVT_OPEN_BY_HANDLE_AT_X, kFile, kOpenByHandle),
    P("close", SAKER_EVT_CLOSE_X, kFile, "saker_close_exit"),
    T("read", SAKER_EVT_READ_X, kFile, kRead),
    T("write", SAKER_EVT_WRITE_X, kFile, kWrite),
    T("dup", SAKER_EVT_DUP_1_X, kFile, kDup),
    T("dup2", SAKER_EVT_DUP2_X, kFile, kDup2),
    T("dup3", SAKER_EVT_DUP3_X, kFile, kDup3),
    T("fcntl", SAKER_EVT_FCNTL_X, kFile, kFcntl),
    T("pipe", SAKER_EVT_PIPE_X, kFile, kPipe),
    T("pipe2", SAKER_EVT_PIPE2_X, kFile, kPipe2),
    T("mkdir", SAKER_EVT_MKDIR_2_X, kFile, kMkdir),
    T("mkdirat", SAKER_EVT_MKDIRAT_X, kFile, kMkdirat),
    T("rmdir", SAKER_EVT_RMDIR_2_X, kFile, kResPath0),
    T("unlink", SAKER_EVT_UNLINK_2_X, kFile, kResPath0),
    T("unlinkat", SAKER_EVT_UNLINKAT_2_X, kFile, kUnlinkat),
    T("rename", SAKER_EVT_RENAME_X, kFile, kTwoPaths),
    T("renameat", SAKER_EVT_RENAMEAT_X, kFile, kRenameat),
    T("renameat2", SAKER_EVT_RENAMEAT2_X, kFile, kRenameat2),
    T("link", SAKER_EVT_LINK_2_X, kFile, kTwoPaths),
    T("linkat", SAKER_EVT_LINKAT_2_X, kFile, kLinkat),
    T("symlink", SAKER_EVT_SYMLINK_X, kFile, kTwoPaths),
    T("symlinkat", SAKER_EVT_SYMLINKAT_X, kFile, kSymlinkat),
    T("chmod", SAKER_EVT_CHMOD_X, kFile, kChmod),
    T("fchmod", SAKER_EVT_FCHMOD_X, kFile, kFchmod),
    T("fchmodat", SAKER_EVT_FCHMODAT_X, kFile, kFchmodat),
    T("chown", SAKER_EVT_CHOWN_X, kFile, kChown),
    T("lchown", SAKER_EVT_LCHOWN_X, kFile, kChown),
    T("fchown", SAKER_EVT_FCHOWN_X, kFile, kFchown),
    T("fchownat", SAKER_EVT_FCHOWNAT_X, kFile, kFchownat),
    T("mount", SAKER_EVT_MOUNT_X, kFile, kMount),
    T("umount2", SAKER_EVT_UMOUNT2_X, kFile, kUmount2),
    T("memfd_create", SAKER_EVT_MEMFD_CREATE_X, kFile, kMemfd),
    T("copy_file_range", SAKER_EVT_COPY_FILE_RANGE_X, kFile, kCopyFileRange),
    T("splice", SAKER_EVT_SPLICE_X, kFile, kSplice),
    T("sendfile", SAKER_EVT_SENDFILE_X, kFile, kSendfile),
    // memory, modules, bpf, io_uring
    T("mmap", SAKER_EVT_MMAP_X, kOther, kMmap),
    T("mprotect", SAKER_EVT_MPROTECT_X, kOther, kMprotect),
    T("init_module", SAKER_EVT_INIT_MODULE_X, kOther, kInitModule),
    T("finit_module", SAKER_EVT_FINIT_MODULE_X, kOther, kFinitModule),
    T("delete_module", SAKER_EVT_DELETE_MODULE_X, kOther, kDeleteModule),
    T("bpf", SAKER_EVT_BPF_2_X, kOther, kBpf),
    T("userfaultfd", SAKER_EVT_USERFAULTFD_X, kOther, kUserfaultfd),
    T("io_uring_setup", SAKER_EVT_IO_URING_SETUP_X, kOther, kIoUringSetup),
    T("io_uring_enter", SAKER_EVT_IO_URING_ENTER_X, kOther, kIoUringEnter),
    T("io_uring_register", SAKER_EVT_IO_URING_REGISTER_X, kOther, kIoUringRegister),
    // network
    T("socket", SAKER_EVT_SOCKET_X, kNet, kSocket),
    T("socketpair", SAKER_EVT_SOCKETPAIR_X, kNet, kSocketpair),
    T("bind", SAKER_EVT_BIND_X, kNet, kBind),
    T("listen", SAKER_EVT_LISTEN_X, kNet, kListen),
    P("connect", SAKER_EVT_CONNECT_X, kNet, "saker_connect_exit"),
    P("accept", SAKER_EVT_ACCEPT_5_X, kNet, "saker_accept_exit"),
    P("accept4", SAKER_EVT_ACCEPT4_6_X, kNet, "saker_accept4_exit"),
    T("sendto", SAKER_EVT_SENDTO_X, kNet, kSendto),
    T("recvfrom", SAKER_EVT_RECVFROM_X, kNet, kRecvfrom),
};

}  // namespace

std::span<const LiveSyscall> live_syscalls() noexcept { return kTable; }

const LiveSyscall* find_live_syscall(std::string_view name) noexcept {
  for (const auto& s : kTable) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace saker::syscall
