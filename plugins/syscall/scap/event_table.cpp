// Data of the scap event table (see event_table.h) and its lookup functions.
//
// This file is long on purpose: it is a data file, one short declaration per event layout,
// kept in type-code order so that a reader can check it line by line against the format.
// Splitting it by category would scatter pairs that must be read together. There is no
// logic here beyond the compile-time assembly of the indexed array at the bottom.
//
// Exit layouts follow the current driver schema, in which an exit event also carries the
// parameters of its enter event, appended after its own (close exit: res, fd). They are
// written as `cat(own parameters, enter layout)` so the rule is visible. Older captures hold
// the shorter exit events of the same code: they still validate (nparams below the table's),
// and the missing parameters are looked up in the enter event (EventContext::arg).
#include "event_table.h"

#include <array>
#include <cstring>

#include "event_view.h"  // kSignedParamMasks
#include "flag_tables.h"

namespace saker::syscall::scap {
namespace {

using T = ParamType;
using PF = PrintFormat;
using C = EventCategory;
using S = EventSource;
using namespace flags;

constexpr ParamInfo P(const char* n, T t, PF f = PF::kDec) { return {n, t, f, nullptr, kNoDirfd}; }
constexpr ParamInfo F(const char* n, T t, PF f, const FlagTable* fl) {
  return {n, t, f, fl, kNoDirfd};
}
constexpr ParamInfo Rel(const char* n, std::uint8_t dirfd) {
  return {n, T::kFsRelPath, PF::kNA, nullptr, dirfd};
}

template <typename X, std::size_t N, std::size_t M>
constexpr std::array<X, N + M> cat(const std::array<X, N>& a, const std::array<X, M>& b) {
  std::array<X, N + M> r{};
  for (std::size_t i = 0; i < N; ++i) r[i] = a[i];
  for (std::size_t i = 0; i < M; ++i) r[N + i] = b[i];
  return r;
}

// Frequently repeated parameters.
constexpr ParamInfo kRes = P("res", T::kErrno);
constexpr ParamInfo kFd = P("fd", T::kFd);
constexpr ParamInfo kFdNA = P("fd", T::kFd, PF::kNA);
constexpr ParamInfo kSize = P("size", T::kUint32);
constexpr ParamInfo kData = P("data", T::kByteBuf, PF::kNA);
constexpr ParamInfo kTuple = P("tuple", T::kSockTuple, PF::kNA);
constexpr ParamInfo kVmSize = P("vm_size", T::kUint32);
constexpr ParamInfo kVmRss = P("vm_rss", T::kUint32);
constexpr ParamInfo kVmSwap = P("vm_swap", T::kUint32);
constexpr ParamInfo kPgftMaj = P("pgft_maj", T::kUint64);
constexpr ParamInfo kPgftMin = P("pgft_min", T::kUint64);
constexpr ParamInfo kFileFlagsP = F("flags", T::kFlags32, PF::kHex, &kFileFlags);
constexpr ParamInfo kModeOct = P("mode", T::kUint32, PF::kOct);

using A0 = std::array<ParamInfo, 0>;
template <std::size_t N>
using A = std::array<ParamInfo, N>;

// --- process creation / exec layouts (shared heads) ---
constexpr A<8> kCloneHead{P("res", T::kPid),
                          P("exe", T::kCharBuf, PF::kNA),
                          P("args", T::kByteBuf, PF::kNA),
                          P("tid", T::kPid),
                          P("pid", T::kPid),
                          P("ptid", T::kPid),
                          P("cwd", T::kCharBuf, PF::kNA),
                          P("fdlimit", T::kInt64)};
constexpr A<8> kExecHead{kRes,
                         P("exe", T::kCharBuf, PF::kNA),
                         P("args", T::kByteBuf, PF::kNA),
                         P("tid", T::kPid),
                         P("pid", T::kPid),
                         P("ptid", T::kPid),
                         P("cwd", T::kCharBuf, PF::kNA),
                         P("fdlimit", T::kUint64)};
constexpr A<5> kMemStats{kPgftMaj, kPgftMin, kVmSize, kVmRss, kVmSwap};
constexpr A<3> kCloneCred{F("flags", T::kFlags32, PF::kHex, &kCloneFlags), P("uid", T::kUint32),
                          P("gid", T::kUint32)};
constexpr ParamInfo kComm = P("comm", T::kCharBuf, PF::kNA);
constexpr ParamInfo kCgroups = P("cgroups", T::kByteBuf, PF::kNA);
constexpr ParamInfo kEnv = P("env", T::kByteBuf, PF::kNA);

constexpr auto kCloneV11X = cat(kCloneHead, kCloneCred);
constexpr auto kCloneV16X = cat(cat(kCloneHead, kMemStats), kCloneCred);
constexpr auto kCloneV17X = cat(cat(cat(kCloneHead, kMemStats), A<1>{kComm}), kCloneCred);
constexpr auto kCloneV20X = cat(cat(cat(kCloneHead, kMemStats), A<2>{kComm, kCgroups}),
                                cat(kCloneCred, A<3>{P("vtid", T::kPid), P("vpid", T::kPid),
                                                     P("pidns_init_start_ts", T::kUint64)}));
constexpr auto kExecveV8X = kExecHead;
constexpr auto kExecveV13X = cat(kExecHead, kMemStats);
constexpr auto kExecveV14X = cat(kExecveV13X, A<1>{kEnv});
constexpr auto kExecveV15X = cat(kExecveV13X, A<2>{kComm, kEnv});
constexpr auto kExecveV16X = cat(kExecveV13X, A<3>{kComm, kCgroups, kEnv});
constexpr auto kExecveV17X = cat(kExecveV16X, A<1>{P("tty", T::kInt32)});
// Parameter 17 is the process group as seen from the process's pid namespace ("vpgid"; an
// earlier schema called it "pgid"); "pgid" (28) is the group in the initial namespace.
constexpr auto kExecveV19X =
    cat(kExecveV16X,
        A<14>{P("tty", T::kUint32), P("vpgid", T::kPid), P("loginuid", T::kUid),
              F("flags", T::kFlags32, PF::kHex, &kExecveFlags),
              P("cap_inheritable", T::kUint64, PF::kHex), P("cap_permitted", T::kUint64, PF::kHex),
              P("cap_effective", T::kUint64, PF::kHex), P("exe_ino", T::kUint64),
              P("exe_ino_ctime", T::kAbsTime), P("exe_ino_mtime", T::kAbsTime), P("uid", T::kUid),
              P("trusted_exepath", T::kFsPath, PF::kNA), P("pgid", T::kPid, PF::kNA),
              P("gid", T::kGid)});

// --- files ---
constexpr A<3> kOpenE{P("name", T::kFsPath, PF::kNA), kFileFlagsP, kModeOct};
constexpr A<6> kOpenX{kFd,      P("name", T::kFsPath, PF::kNA), kFileFlagsP,
                      kModeOct, P("dev", T::kUint32, PF::kHex), P("ino", T::kUint64)};
constexpr A<2> kCreatE{P("name", T::kFsPath, PF::kNA), kModeOct};
constexpr A<6> kCreatX{kFd,
                       P("name", T::kFsPath, PF::kNA),
                       kModeOct,
                       P("dev", T::kUint32, PF::kHex),
                       P("ino", T::kUint64),
                       F("creat_flags", T::kFlags16, PF::kHex, &kCreatFlags)};
constexpr A<4> kOpenatOldE{kFd, P("name", T::kCharBuf, PF::kNA), kFileFlagsP, kModeOct};
constexpr A<4> kOpenatE{P("dirfd", T::kFd), Rel("name", 0), kFileFlagsP, kModeOct};
constexpr A<7> kOpenatX{kFd,
                        P("dirfd", T::kFd),
                        Rel("name", 1),
                        kFileFlagsP,
                        kModeOct,
                        P("dev", T::kUint32, PF::kHex),
                        P("ino", T::kUint64)};
constexpr ParamInfo kResolve = F("resolve", T::kFlags32, PF::kHex, &kOpenat2Resolve);
constexpr A<5> kOpenat2E{P("dirfd", T::kFd), Rel("name", 0), kFileFlagsP, kModeOct, kResolve};
constexpr A<6> kOpenat2X{kFd, P("dirfd", T::kFd), Rel("name", 1), kFileFlagsP, kModeOct, kResolve};
constexpr A<1> kFdOnly{kFd};
constexpr A<1> kFdOnlyNA{kFdNA};
constexpr A<1> kResOnly{kRes};
constexpr A<1> kResFd{P("res", T::kFd)};
constexpr A<2> kFdSize{kFd, kSize};
constexpr A<2> kResData{kRes, kData};
constexpr A<3> kFdSizePos{kFd, kSize, P("pos", T::kUint64)};
constexpr A<3> kResSizeData{kRes, kSize, kData};
constexpr auto kCloseX = cat(kResOnly, kFdOnly);
constexpr auto kResDataFdSize = cat(kResData, kFdSize);        // read, write, writev
constexpr auto kResDataFdSizePos = cat(kResData, kFdSizePos);  // pread, pwrite, pwritev
constexpr auto kReadvX = cat(kResSizeData, kFdOnly);
constexpr auto kResFdNA = cat(kResOnly, kFdOnlyNA);  // fstat, fchdir, getdents
constexpr A<2> kResPath{kRes, P("path", T::kFsPath, PF::kNA)};
constexpr A<2> kResPathChar{kRes, P("path", T::kCharBuf, PF::kNA)};
constexpr A<2> kResName{kRes, P("name", T::kFsPath, PF::kNA)};
constexpr A<3> kLseekE{kFd, P("offset", T::kUint64),
                       F("whence", T::kEnumFlags8, PF::kDec, &kLseekWhence)};
constexpr auto kLseekX = cat(kResOnly, kLseekE);
constexpr A<2> kMkdirOldE{P("path", T::kFsPath, PF::kNA), P("mode", T::kUint32, PF::kHex)};
constexpr A<1> kPathOnly{P("path", T::kFsPath, PF::kNA)};
constexpr A<2> kLinkOldE{P("oldpath", T::kFsPath, PF::kNA), P("newpath", T::kFsPath, PF::kNA)};
constexpr A<4> kLinkatOldE{P("olddir", T::kFd), P("oldpath", T::kCharBuf, PF::kNA),
                           P("newdir", T::kFd), P("newpath", T::kCharBuf, PF::kNA)};
constexpr A<2> kUnlinkatOldE{P("dirfd", T::kFd), P("name", T::kCharBuf, PF::kNA)};
constexpr A<2> kPreadvE{kFd, P("pos", T::kUint64)};
constexpr auto kPreadvX = cat(kResSizeData, kPreadvE);
constexpr A<3> kRenameX{kRes, P("oldpath", T::kFsPath, PF::kNA), P("newpath", T::kFsPath, PF::kNA)};
constexpr A<5> kRenameatX{kRes, P("olddirfd", T::kFd), Rel("oldpath", 1), P("newdirfd", T::kFd),
                          Rel("newpath", 3)};
constexpr auto kRenameat2X =
    cat(kRenameatX, A<1>{F("flags", T::kFlags32, PF::kHex, &kRenameat2Flags)});
constexpr A<3> kSymlinkX{kRes, P("target", T::kCharBuf, PF::kNA),
                         P("linkpath", T::kFsPath, PF::kNA)};
constexpr A<4> kSymlinkatX{kRes, P("target", T::kCharBuf, PF::kNA), P("linkdirfd", T::kFd),
                           Rel("linkpath", 2)};
constexpr A<4> kUnlinkatX{kRes, P("dirfd", T::kFd), Rel("name", 1),
                          F("flags", T::kFlags32, PF::kHex, &kUnlinkatFlags)};
constexpr A<4> kMkdiratX{kRes, P("dirfd", T::kFd), Rel("path", 1), P("mode", T::kUint32, PF::kHex)};
constexpr A<6> kLinkatX{kRes,
                        P("olddir", T::kFd),
                        Rel("oldpath", 1),
                        P("newdir", T::kFd),
                        Rel("newpath", 3),
                        F("flags", T::kFlags32, PF::kHex, &kLinkatFlags)};
constexpr ParamInfo kModeP = F("mode", T::kMode, PF::kOct, &kModeBits);
constexpr A<4> kFchmodatX{kRes, P("dirfd", T::kFd), Rel("filename", 1), kModeP};
constexpr A<3> kChmodX{kRes, P("filename", T::kFsPath, PF::kNA), kModeP};
constexpr A<3> kFchmodX{kRes, kFd, kModeP};
constexpr A<4> kChownX{kRes, P("path", T::kFsPath, PF::kNA), P("uid", T::kUint32),
                       P("gid", T::kUint32)};
constexpr A<4> kFchownX{kRes, kFd, P("uid", T::kUint32), P("gid", T::kUint32)};
constexpr A<6> kFchownatX{kRes,
                          P("dirfd", T::kFd),
                          Rel("pathname", 1),
                          P("uid", T::kUint32),
                          P("gid", T::kUint32),
                          F("flags", T::kFlags32, PF::kHex, &kFchownatFlags)};
constexpr A<4> kNewfstatatX{kRes, P("dirfd", T::kFd), Rel("path", 1),
                            F("flags", T::kFlags32, PF::kHex, &kNewfstatatFlags)};
constexpr A<1> kMountE{F("flags", T::kFlags32, PF::kHex, &kMountFlags)};
constexpr A<4> kMountOldX{kRes, P("dev", T::kCharBuf, PF::kNA), P("dir", T::kFsPath, PF::kNA),
                          P("type", T::kCharBuf, PF::kNA)};
constexpr auto kMountX = cat(kMountOldX, kMountE);
constexpr A<1> kUmountE{F("flags", T::kFlags32, PF::kHex, &kUmountFlags)};
constexpr auto kUmount2X = cat(kResName, kUmountE);
constexpr A<2> kFlockE{kFdNA, F("operation", T::kFlags32, PF::kHex, &kFlockFlags)};
constexpr auto kFlockX = cat(kResOnly, kFlockE);
constexpr A<6> kOpenByHandleX{kFd,
                              P("mountfd", T::kFd),
                              kFileFlagsP,
                              P("path", T::kFsPath, PF::kNA),
                              P("dev", T::kUint32, PF::kHex),
                              P("ino", T::kUint64)};
constexpr A<3> kCopyFileRangeE{P("fdin", T::kFd), P("offin", T::kUint64), P("len", T::kUint64)};
constexpr A<3> kCopyFileRangeOwnX{kRes, P("fdout", T::kFd), P("offout", T::kUint64)};
constexpr auto kCopyFileRangeX = cat(kCopyFileRangeOwnX, kCopyFileRangeE);
constexpr A<4> kMknodX{kRes, P("path", T::kFsPath, PF::kNA),
                       F("mode", T::kMode, PF::kOct, &kModeBits), P("dev", T::kUint32)};
constexpr A<5> kMknodatX{kRes, P("dirfd", T::kFd), Rel("path", 1),
                         F("mode", T::kMode, PF::kOct, &kModeBits), P("dev", T::kUint32)};
constexpr A<1> kAccessE{F("mode", T::kFlags32, PF::kHex, &kAccessFlags)};
constexpr auto kAccessX = cat(kResName, kAccessE);
constexpr A<4> kSplicE{P("fd_in", T::kFd), P("fd_out", T::kFd), P("size", T::kUint64),
                       F("flags", T::kFlags32, PF::kHex, &kSpliceFlags)};
constexpr auto kSpliceX = cat(kResOnly, kSplicE);
constexpr A<4> kSendfileE{P("out_fd", T::kFd), P("in_fd", T::kFd), P("offset", T::kUint64),
                          P("size", T::kUint64)};
// The enter offset is the exit's own second parameter already: it is not repeated.
constexpr A<5> kSendfileX{kRes, P("offset", T::kUint64), P("out_fd", T::kFd), P("in_fd", T::kFd),
                          P("size", T::kUint64)};
constexpr A<2> kIoctlOldE{kFd, P("request", T::kUint64, PF::kHex)};
constexpr A<3> kIoctlE{kFd, P("request", T::kUint64, PF::kHex),
                       P("argument", T::kUint64, PF::kHex)};
constexpr auto kIoctlX = cat(kResOnly, kIoctlE);
constexpr A<3> kFcntlX{P("res", T::kFd), kFd, F("cmd", T::kEnumFlags8, PF::kDec, &kFcntlCmds)};
constexpr A<2> kFcntlE{kFd, F("cmd", T::kEnumFlags8, PF::kDec, &kFcntlCmds)};

// --- network ---
constexpr ParamInfo kDomain = F("domain", T::kEnumFlags32, PF::kDec, &kSocketFamilies);
constexpr A<3> kSocketE{kDomain, P("type", T::kUint32), P("proto", T::kUint32)};
constexpr auto kSocketX = cat(kFdOnly, kSocketE);
constexpr A<2> kBindOldX{kRes, P("addr", T::kSockAddr, PF::kNA)};
constexpr auto kBindX = cat(kBindOldX, kFdOnly);
constexpr A<2> kConnectE{kFd, P("addr", T::kSockAddr, PF::kNA)};
// The connect exit carried the fd before the schema appended the enter parameters; only the
// address is new.
constexpr A<4> kConnectX{kRes, kTuple, kFd, P("addr", T::kSockAddr, PF::kNA)};
constexpr A<2> kListenE{kFd, P("backlog", T::kInt32)};
constexpr auto kListenX = cat(kResOnly, kListenE);
constexpr A<3> kAcceptOldX{kFd, kTuple, P("queuepct", T::kUint8)};
constexpr A<5> kAcceptX{kFd, kTuple, P("queuepct", T::kUint8), P("queuelen", T::kUint32),
                        P("queuemax", T::kUint32)};
constexpr A<1> kAccept4E{P("flags", T::kInt32, PF::kHex)};
constexpr auto kAccept4X = cat(kAcceptX, kAccept4E);
constexpr A<3> kSendtoE{kFd, kSize, kTuple};
constexpr auto kSendtoX = cat(kResData, kSendtoE);  // also sendmsg, send and recv
constexpr A<3> kRecvfromOldX{kRes, kData, kTuple};
constexpr auto kRecvfromX = cat(kRecvfromOldX, kFdSize);
constexpr A<2> kShutdownE{kFd, F("how", T::kEnumFlags8, PF::kHex, &kShutdownHow)};
constexpr auto kShutdownX = cat(kResOnly, kShutdownE);
constexpr A<5> kSocketpairOldX{kRes, P("fd1", T::kFd), P("fd2", T::kFd),
                               P("source", T::kUint64, PF::kHex), P("peer", T::kUint64, PF::kHex)};
constexpr auto kSocketpairX = cat(kSocketpairOldX, kSocketE);
constexpr A<6> kSockoptX{kRes,
                         kFd,
                         F("level", T::kEnumFlags8, PF::kDec, &kSockoptLevels),
                         F("optname", T::kEnumFlags8, PF::kDec, &kSockoptOptions),
                         P("val", T::kDyn),
                         P("optlen", T::kUint32)};
constexpr ParamInfo kMsgControl = P("msgcontrol", T::kByteBuf, PF::kNA);
constexpr A<5> kRecvmsgOldX{kRes, kSize, kData, kTuple, kMsgControl};
constexpr auto kRecvmsgX = cat(kRecvmsgOldX, kFdOnly);
// sendmmsg/recvmmsg have no enter parameters; their exit describes the first message.
constexpr A<5> kSendmmsgX{kRes, kFd, kSize, kData, kTuple};
constexpr A<6> kRecvmmsgX{kRes, kFd, kSize, kData, kTuple, kMsgControl};

// --- ipc, memory, signals, misc ---
constexpr A<4> kPipeX{kRes, P("fd1", T::kFd), P("fd2", T::kFd), P("ino", T::kUint64)};
constexpr auto kPipe2X = cat(kPipeX, A<1>{kFileFlagsP});
constexpr A<2> kEventfdE{P("initval", T::kUint64), P("flags", T::kFlags32, PF::kHex)};
constexpr auto kEventfdX = cat(kResFd, kEventfdE);
constexpr A<3> kFutexE{P("addr", T::kUint64, PF::kHex),
                       F("op", T::kEnumFlags16, PF::kHex, &kFutexOps), P("val", T::kUint64)};
constexpr auto kFutexX = cat(kResOnly, kFutexE);
constexpr A<1> kEpollWaitE{P("maxevents", T::kErrno)};
constexpr auto kEpollWaitX = cat(kResOnly, kEpollWaitE);
constexpr A<2> kPollE{P("fds", T::kFdList), P("timeout", T::kInt64)};
// poll/ppoll exits return the fd list themselves: only the enter timeout (and mask) follow.
constexpr A<2> kPollOldX{kRes, P("fds", T::kFdList)};
constexpr auto kPollX = cat(kPollOldX, A<1>{P("timeout", T::kInt64)});
constexpr A<3> kPpollE{P("fds", T::kFdList), P("timeout", T::kRelTime), P("sigmask", T::kSigSet)};
constexpr auto kPpollX = cat(kPollOldX, A<2>{P("timeout", T::kRelTime), P("sigmask", T::kSigSet)});
constexpr A<3> kSignalfdE{kFd, P("mask", T::kUint32, PF::kHex), P("flags", T::kFlags8, PF::kHex)};
constexpr auto kSignalfdX = cat(kResFd, kSignalfdE);
constexpr A<2> kKillE{P("pid", T::kPid), P("sig", T::kSigType)};
constexpr auto kKillX = cat(kResOnly, kKillE);
constexpr A<2> kTkillE{P("tid", T::kPid), P("sig", T::kSigType)};
constexpr auto kTkillX = cat(kResOnly, kTkillE);
constexpr A<3> kTgkillE{P("pid", T::kPid), P("tid", T::kPid), P("sig", T::kSigType)};
constexpr auto kTgkillX = cat(kResOnly, kTgkillE);
constexpr A<1> kNanosleepE{P("interval", T::kRelTime)};
constexpr auto kNanosleepX = cat(kResOnly, kNanosleepE);
constexpr A<2> kTimerfdE{P("clockid", T::kUint8), P("flags", T::kFlags8, PF::kHex)};
constexpr auto kTimerfdX = cat(kResFd, kTimerfdE);
constexpr A<1> kInotifyE{P("flags", T::kFlags8, PF::kHex)};
constexpr auto kInotifyX = cat(kResFd, kInotifyE);
constexpr ParamInfo kResource = F("resource", T::kEnumFlags8, PF::kDec, &kRlimitResources);
constexpr A<1> kRlimitE{kResource};
constexpr A<4> kGetrlimitX{kRes, P("cur", T::kInt64), P("max", T::kInt64), kResource};
constexpr A<4> kSetrlimitX{kRes, P("cur", T::kInt64), P("max", T::kInt64), kResource};
constexpr A<2> kPrlimitE{P("pid", T::kPid), kResource};
constexpr A<7> kPrlimitX{kRes,
                         P("newcur", T::kInt64),
                         P("newmax", T::kInt64),
                         P("oldcur", T::kInt64),
                         P("oldmax", T::kInt64),
                         P("pid", T::kInt64),
                         kResource};
constexpr A<1> kSwitchV1E{P("next", T::kPid)};
constexpr auto kSwitchV6E = cat(A<1>{P("next", T::kPid)}, kMemStats);
constexpr A<1> kRatio{P("ratio", T::kUint32)};
constexpr A<1> kBrkOldE{P("size", T::kUint32)};
constexpr A<1> kBrkOldX{P("res", T::kUint64, PF::kHex)};
constexpr A<1> kBrkE{P("addr", T::kUint64, PF::kHex)};
constexpr A<4> kBrkOwnX{P("res", T::kUint64, PF::kHex), kVmSize, kVmRss, kVmSwap};
constexpr auto kBrkX = cat(kBrkOwnX, kBrkE);
constexpr A<6> kMmapE{P("addr", T::kUint64, PF::kHex),
                      P("length", T::kUint64),
                      F("prot", T::kFlags32, PF::kHex, &kProtFlags),
                      F("flags", T::kFlags32, PF::kHex, &kMmapFlags),
                      kFd,
                      P("offset", T::kUint64)};
constexpr A<6> kMmap2E{P("addr", T::kUint64, PF::kHex),
                       P("length", T::kUint64),
                       F("prot", T::kFlags32, PF::kHex, &kProtFlags),
                       F("flags", T::kFlags32, PF::kHex, &kMmapFlags),
                       kFd,
                       P("pgoffset", T::kUint64)};
constexpr A<4> kMmapOwnX{P("res", T::kErrno, PF::kDec), kVmSize, kVmRss, kVmSwap};
constexpr auto kMmapX = cat(kMmapOwnX, kMmapE);
constexpr auto kMmap2X = cat(kMmapOwnX, kMmap2E);
constexpr A<2> kMunmapE{P("addr", T::kUint64, PF::kHex), P("length", T::kUint64)};
constexpr A<4> kMunmapOwnX{kRes, kVmSize, kVmRss, kVmSwap};
constexpr auto kMunmapX = cat(kMunmapOwnX, kMunmapE);
constexpr A<3> kMprotectE{P("addr", T::kUint64, PF::kHex), P("length", T::kUint64),
                          F("prot", T::kFlags32, PF::kHex, &kProtFlags)};
constexpr auto kMprotectX = cat(kResOnly, kMprotectE);
constexpr A<2> kPtraceE{F("request", T::kEnumFlags16, PF::kDec, &kPtraceRequests),
                        P("pid", T::kPid)};
constexpr A<3> kPtraceOwnX{kRes, P("addr", T::kDyn, PF::kHex), P("data", T::kDyn, PF::kHex)};
constexpr auto kPtraceX = cat(kPtraceOwnX, kPtraceE);
constexpr A<4> kProcexitE{P("status", T::kErrno), P("ret", T::kErrno), P("sig", T::kSigType),
                          P("core", T::kUint8)};
constexpr auto kProcexitV1E = cat(kProcexitE, A<1>{P("reaper_tid", T::kPid)});
constexpr A<3> kSetresuidE{P("ruid", T::kUid), P("euid", T::kUid), P("suid", T::kUid)};
constexpr auto kSetresuidX = cat(kResOnly, kSetresuidE);
constexpr A<3> kSetresgidE{P("rgid", T::kGid), P("egid", T::kGid), P("sgid", T::kGid)};
constexpr auto kSetresgidX = cat(kResOnly, kSetresgidE);
constexpr A<3> kSetreuidX{kRes, P("ruid", T::kUid), P("euid", T::kUid)};
// The driver types these two as uids too.
constexpr A<3> kSetregidX{kRes, P("rgid", T::kUid), P("egid", T::kUid)};
constexpr A<4> kGetresuidX{kRes, P("ruid", T::kUid), P("euid", T::kUid), P("suid", T::kUid)};
constexpr A<4> kGetresgidX{kRes, P("rgid", T::kGid), P("egid", T::kGid), P("sgid", T::kGid)};
constexpr A<2> kScapeventE{P("event_type", T::kUint32), P("event_data", T::kUint64)};
constexpr A<4> kContainerE{P("id", T::kCharBuf, PF::kNA), P("type", T::kUint32),
                           P("name", T::kCharBuf, PF::kNA), P("image", T::kCharBuf, PF::kNA)};
constexpr A<3> kSignaldeliverE{P("spid", T::kPid), P("dpid", T::kPid), P("sig", T::kSigType)};
constexpr A<2> kProcinfoE{P("cpu_usr", T::kUint64), P("cpu_sys", T::kUint64)};
constexpr A<2> kSetnsE{kFdNA, F("nstype", T::kFlags32, PF::kHex, &kCloneFlags)};
constexpr auto kSetnsX = cat(kResOnly, kSetnsE);
constexpr A<2> kHotplugE{P("cpu", T::kUint32), P("action", T::kUint32)};
constexpr A<1> kSemopE{P("semid", T::kInt32)};
constexpr A<8> kSemopOwnX{kRes,
                          P("nsops", T::kUint32),
                          P("sem_num_0", T::kUint16),
                          P("sem_op_0", T::kInt16),
                          F("sem_flg_0", T::kFlags16, PF::kHex, &kSemopFlags),
                          P("sem_num_1", T::kUint16),
                          P("sem_op_1", T::kInt16),
                          F("sem_flg_1", T::kFlags16, PF::kHex, &kSemopFlags)};
constexpr auto kSemopX = cat(kSemopOwnX, kSemopE);
constexpr A<4> kSemctlE{P("semid", T::kInt32), P("semnum", T::kInt32),
                        F("cmd", T::kFlags16, PF::kHex, &kSemctlCmds), P("val", T::kInt32)};
constexpr auto kSemctlX = cat(kResOnly, kSemctlE);
constexpr A<3> kSemgetE{P("key", T::kInt32, PF::kHex), P("nsems", T::kInt32),
                        F("semflg", T::kFlags32, PF::kHex, &kSemgetFlags)};
constexpr auto kSemgetX = cat(kResOnly, kSemgetE);
constexpr A<1> kJson{P("json", T::kCharBuf, PF::kNA)};
constexpr A<3> kTracer{P("id", T::kInt64), P("tags", T::kCharBufArray, PF::kNA),
                       P("args", T::kCharBufPairArray, PF::kNA)};
constexpr A<1> kResPid{P("res", T::kPid)};
constexpr A<1> kMkdirV2E{P("mode", T::kUint32, PF::kHex)};
constexpr auto kMkdirV2X = cat(kResPath, kMkdirV2E);
constexpr A<2> kNotificationE{P("id", T::kCharBuf), P("desc", T::kCharBuf, PF::kNA)};
constexpr A<1> kUnshareE{F("flags", T::kFlags32, PF::kHex, &kCloneFlags)};
constexpr auto kUnshareX = cat(kResOnly, kUnshareE);
constexpr A<4> kInfraE{P("source", T::kCharBuf), P("name", T::kCharBuf, PF::kNA),
                       P("description", T::kCharBuf, PF::kNA), P("scope", T::kCharBuf, PF::kNA)};
constexpr A<1> kFilenameE{P("filename", T::kFsPath, PF::kNA)};
constexpr A<3> kPageFaultE{P("addr", T::kUint64, PF::kHex), P("ip", T::kUint64, PF::kHex),
                           F("error", T::kFlags32, PF::kHex, &kPageFaultFlags)};
constexpr A<2> kSetpgidE{P("pid", T::kPid), P("pgid", T::kPid)};
constexpr auto kSetpgidX = cat(kResOnly, kSetpgidE);
constexpr A<1> kBpfE{P("cmd", T::kInt64)};
constexpr A<1> kBpfOldX{P("res_or_fd", T::kDyn)};
constexpr A<2> kSeccompE{P("op", T::kUint64), P("flags", T::kUint64, PF::kHex)};
constexpr auto kSeccompX = cat(kResOnly, kSeccompE);
constexpr A<2> kUserfaultfdX{kRes, kFileFlagsP};
constexpr A<2> kPluginE{P("plugin_id", T::kUint32), P("event_data", T::kByteBuf, PF::kNA)};
constexpr A<3> kExecveatE{P("dirfd", T::kFd), Rel("pathname", 0),
                          F("flags", T::kFlags32, PF::kHex, &kExecveatFlags)};
constexpr A<8> kIoUringSetupX{kRes,
                              P("entries", T::kUint32),
                              P("sq_entries", T::kUint32),
                              P("cq_entries", T::kUint32),
                              F("flags", T::kFlags32, PF::kHex, &kIoUringSetupFlags),
                              P("sq_thread_cpu", T::kUint32),
                              P("sq_thread_idle", T::kUint32),
                              F("features", T::kFlags32, PF::kHex, &kIoUringSetupFeats)};
constexpr A<6> kIoUringEnterX{kRes,
                              kFd,
                              P("to_submit", T::kUint32),
                              P("min_complete", T::kUint32),
                              F("flags", T::kFlags32, PF::kHex, &kIoUringEnterFlags),
                              P("sig", T::kSigSet)};
constexpr A<5> kIoUringRegisterX{kRes, kFd,
                                 F("opcode", T::kEnumFlags16, PF::kDec, &kIoUringRegisterOpcodes),
                                 P("arg", T::kUint64, PF::kHex), P("nr_args", T::kUint32)};
constexpr A<3> kMlockX{kRes, P("addr", T::kUint64, PF::kHex), P("len", T::kUint64)};
constexpr A<4> kMlock2X{kRes, P("addr", T::kUint64, PF::kHex), P("len", T::kUint64),
                        F("flags", T::kFlags32, PF::kHex, &kMlock2Flags)};
constexpr A<2> kMlockallX{kRes, F("flags", T::kFlags32, PF::kHex, &kMlockallFlags)};
constexpr A<4> kCapsetX{kRes, P("cap_inheritable", T::kUint64, PF::kHex),
                        P("cap_permitted", T::kUint64, PF::kHex),
                        P("cap_effective", T::kUint64, PF::kHex)};
constexpr A<6> kUserE{P("uid", T::kUint32),
                      P("gid", T::kUint32),
                      P("name", T::kCharBuf, PF::kNA),
                      P("home", T::kCharBuf, PF::kNA),
                      P("shell", T::kCharBuf, PF::kNA),
                      P("container_id", T::kCharBuf, PF::kNA)};
constexpr A<3> kGroupE{P("gid", T::kUint32), P("name", T::kCharBuf, PF::kNA),
                       P("container_id", T::kCharBuf, PF::kNA)};
constexpr A<3> kDup2X{P("res", T::kFd), P("oldfd", T::kFd), P("newfd", T::kFd)};
constexpr A<4> kDup3X{P("res", T::kFd), P("oldfd", T::kFd), P("newfd", T::kFd), kFileFlagsP};
constexpr A<2> kDupV1X{P("res", T::kFd), P("oldfd", T::kFd)};
constexpr A<2> kBpfV2X{kFd, F("cmd", T::kEnumFlags32, PF::kDec, &kBpfCommands)};
constexpr A<7> kFsconfigX{kRes,
                          kFd,
                          F("cmd", T::kEnumFlags32, PF::kDec, &kFsconfigCmds),
                          P("key", T::kCharBuf, PF::kNA),
                          P("value_bytebuf", T::kByteBuf, PF::kNA),
                          P("value_charbuf", T::kCharBuf, PF::kNA),
                          P("aux", T::kInt32)};
constexpr A<1> kEpollCreateE{P("size", T::kInt32)};
constexpr auto kEpollCreateX = cat(kResOnly, kEpollCreateE);
constexpr A<1> kEpollCreate1E{F("flags", T::kFlags32, PF::kHex, &kEpollCreate1Flags)};
constexpr auto kEpollCreate1X = cat(kResOnly, kEpollCreate1E);
constexpr A<2> kResFdFlags16{P("res", T::kFd), F("flags", T::kFlags16, PF::kHex, &kFileFlags)};
constexpr A<1> kInitval{P("initval", T::kUint64)};
constexpr auto kEventfd2X = cat(kResFdFlags16, kInitval);
constexpr A<2> kSignalfd4E{kFd, P("mask", T::kUint32, PF::kHex)};
constexpr A<2> kSignalfd4OwnX{P("res", T::kFd), P("flags", T::kFlags16, PF::kHex)};
constexpr auto kSignalfd4X = cat(kSignalfd4OwnX, kSignalfd4E);
constexpr A<4> kPrctlX{kRes, F("option", T::kEnumFlags32, PF::kDec, &kPrctlOptions),
                       P("arg2_str", T::kCharBuf, PF::kNA), P("arg2_int", T::kInt64)};
constexpr A<3> kAsyncE{P("plugin_id", T::kUint32), P("name", T::kCharBuf, PF::kNA),
                       P("data", T::kByteBuf, PF::kNA)};
constexpr A<3> kMemfdX{kFd, P("name", T::kCharBuf, PF::kNA),
                       F("flags", T::kFlags32, PF::kHex, &kMemfdCreateFlags)};
constexpr A<4> kPidfdGetfdX{kFd, P("pid_fd", T::kFd), P("target_fd", T::kFd),
                            P("flags", T::kFlags32, PF::kHex)};
constexpr A<3> kPidfdOpenX{kFd, P("pid", T::kPid),
                           F("flags", T::kFlags32, PF::kHex, &kPidfdOpenFlags)};
constexpr A<4> kInitModuleX{kRes, P("img", T::kByteBuf, PF::kNA), P("length", T::kUint64),
                            P("uargs", T::kCharBuf, PF::kNA)};
constexpr A<4> kFinitModuleX{kRes, kFd, P("uargs", T::kCharBuf, PF::kNA),
                             F("flags", T::kFlags32, PF::kDec, &kFinitModuleFlags)};
constexpr A<3> kProcessVmX{P("res", T::kInt64), P("pid", T::kPid), P("data", T::kByteBuf, PF::kNA)};
constexpr A<3> kDeleteModuleX{kRes, P("name", T::kCharBuf, PF::kNA),
                              F("flags", T::kFlags32, PF::kHex, &kDeleteModuleFlags)};
constexpr A<4> kQuotactlE{F("cmd", T::kFlags16, PF::kDec, &kQuotactlCmds),
                          F("type", T::kFlags8, PF::kDec, &kQuotactlTypes), P("id", T::kUint32),
                          F("quota_fmt", T::kFlags8, PF::kDec, &kQuotactlFmts)};
constexpr A<14> kQuotactlOwnX{kRes,
                              P("special", T::kCharBuf, PF::kNA),
                              P("quotafilepath", T::kCharBuf, PF::kNA),
                              P("dqb_bhardlimit", T::kUint64),
                              P("dqb_bsoftlimit", T::kUint64),
                              P("dqb_curspace", T::kUint64),
                              P("dqb_ihardlimit", T::kUint64),
                              P("dqb_isoftlimit", T::kUint64),
                              P("dqb_btime", T::kRelTime),
                              P("dqb_itime", T::kRelTime),
                              P("dqi_bgrace", T::kRelTime),
                              P("dqi_igrace", T::kRelTime),
                              F("dqi_flags", T::kFlags8, PF::kDec, &kQuotactlDqiFlags),
                              F("quota_fmt_out", T::kFlags8, PF::kDec, &kQuotactlFmts)};
constexpr auto kQuotactlX = cat(kQuotactlOwnX, kQuotactlE);
constexpr A<2> kGenericE{P("ID", T::kSyscallId), P("nativeID", T::kUint16)};
constexpr auto kGenericX = kGenericE;  // the native id is appended like any enter parameter
constexpr A<1> kUidX{P("uid", T::kUid)};
constexpr A<1> kEuidX{P("euid", T::kUid)};
constexpr A<1> kGidX{P("gid", T::kGid)};
constexpr A<1> kEgidX{P("egid", T::kGid)};
constexpr A<1> kUidE{P("uid", T::kUid)};
constexpr A<1> kGidE{P("gid", T::kGid)};
constexpr auto kSetuidX = cat(kResOnly, kUidE);
constexpr auto kSetgidX = cat(kResOnly, kGidE);

struct Slot {
  std::uint16_t type;
  EventInfo info;
};

constexpr std::uint16_t kSys = kEfNone;
constexpr std::uint16_t kState = kEfModifiesState;
constexpr std::uint16_t kOld = kEfOldVersion;
constexpr std::uint16_t kCreates = kEfCreatesFd | kEfModifiesState;
constexpr std::uint16_t kUses = kEfUsesFd;
constexpr std::uint16_t kRead = kEfUsesFd | kEfReadsFromFd;
constexpr std::uint16_t kWrite = kEfUsesFd | kEfWritesToFd;

template <std::size_t N>
constexpr EventInfo E(const char* name, C c, S s, std::uint16_t fl,
                      const std::array<ParamInfo, N>& p) {
  return EventInfo{name, c, s, fl, static_cast<std::uint8_t>(N), N ? p.data() : nullptr};
}
constexpr A0 kNone{};

// Both directions of a syscall with the same name/category/flags.
#define SAKER_PAIR(code, name, cat, fl, enter, exit)                        \
  Slot{EventType::k##code##E, E(name, cat, S::kSyscall, fl, enter)}, Slot { \
    EventType::k##code##X, E(name, cat, S::kSyscall, fl, exit)              \
  }

constexpr Slot kSlots[] = {
    SAKER_PAIR(Generic, "syscall", C::kOther, kSys, kGenericE, kGenericX),
    SAKER_PAIR(Open, "open", C::kFile, kCreates, kOpenE, kOpenX),
    SAKER_PAIR(Close, "close", C::kIoOther, kEfDestroysFd | kUses | kState, kFdOnly, kCloseX),
    SAKER_PAIR(Read, "read", C::kIoRead, kRead, kFdSize, kResDataFdSize),
    SAKER_PAIR(Write, "write", C::kIoWrite, kWrite, kFdSize, kResDataFdSize),
    SAKER_PAIR(BrkV1, "brk", C::kMemory, kOld, kBrkOldE, kBrkOldX),
    SAKER_PAIR(ExecveV8, "execve", C::kProcess, kState | kOld, kNone, kExecveV8X),
    SAKER_PAIR(CloneV11, "clone", C::kProcess, kState | kOld, kNone, kCloneV11X),
    Slot{EventType::kProcexitE, E("procexit", C::kProcess, S::kTracepoint, kState | kOld, kNone)},
    SAKER_PAIR(Socket, "socket", C::kNet, kCreates, kSocketE, kSocketX),
    SAKER_PAIR(Bind, "bind", C::kNet, kUses | kState, kFdOnly, kBindX),
    SAKER_PAIR(Connect, "connect", C::kNet, kUses | kState, kConnectE, kConnectX),
    SAKER_PAIR(Listen, "listen", C::kNet, kUses, kListenE, kListenX),
    SAKER_PAIR(Accept, "accept", C::kNet, kCreates | kOld, kNone, kAcceptOldX),
    SAKER_PAIR(Send, "send", C::kIoWrite, kWrite, kFdSize, kSendtoX),
    SAKER_PAIR(Sendto, "sendto", C::kIoWrite, kWrite | kState, kSendtoE, kSendtoX),
    SAKER_PAIR(Recv, "recv", C::kIoRead, kRead, kFdSize, kSendtoX),
    SAKER_PAIR(Recvfrom, "recvfrom", C::kIoRead, kRead | kState, kFdSize, kRecvfromX),
    SAKER_PAIR(Shutdown, "shutdown", C::kNet, kUses | kState, kShutdownE, kShutdownX),
    SAKER_PAIR(Getsockname, "getsockname", C::kNet, kSys, kNone, kNone),
    SAKER_PAIR(Getpeername, "getpeername", C::kNet, kSys, kNone, kNone),
    SAKER_PAIR(Socketpair, "socketpair", C::kIpc, kCreates, kSocketE, kSocketpairX),
    SAKER_PAIR(Setsockopt, "setsockopt", C::kNet, kUses, kNone, kSockoptX),
    SAKER_PAIR(Getsockopt, "getsockopt", C::kNet, kUses | kState, kNone, kSockoptX),
    SAKER_PAIR(Sendmsg, "sendmsg", C::kIoWrite, kWrite | kState, kSendtoE, kSendtoX),
    SAKER_PAIR(Sendmmsg, "sendmmsg", C::kIoWrite, kWrite | kState, kNone, kSendmmsgX),
    SAKER_PAIR(Recvmsg, "recvmsg", C::kIoRead, kRead | kState, kFdOnly, kRecvmsgX),
    SAKER_PAIR(Recvmmsg, "recvmmsg", C::kIoRead, kRead | kState, kNone, kRecvmmsgX),
    SAKER_PAIR(Accept4, "accept", C::kNet, kCreates | kOld, kAccept4E, kAcceptOldX),
    SAKER_PAIR(Creat, "creat", C::kFile, kCreates, kCreatE, kCreatX),
    SAKER_PAIR(Pipe, "pipe", C::kIpc, kCreates, kNone, kPipeX),
    SAKER_PAIR(Eventfd, "eventfd", C::kIpc, kCreates, kEventfdE, kEventfdX),
    SAKER_PAIR(Futex, "futex", C::kIpc, kSys, kFutexE, kFutexX),
    SAKER_PAIR(Stat, "stat", C::kFile, kSys, kNone, kResPath),
    SAKER_PAIR(Lstat, "lstat", C::kFile, kSys, kNone, kResPath),
    SAKER_PAIR(Fstat, "fstat", C::kFile, kUses, kFdOnlyNA, kResFdNA),
    SAKER_PAIR(Stat64, "stat64", C::kFile, kSys, kNone, kResPath),
    SAKER_PAIR(Lstat64, "lstat64", C::kFile, kSys, kNone, kResPath),
    SAKER_PAIR(Fstat64, "fstat64", C::kFile, kUses, kFdOnlyNA, kResOnly),
    SAKER_PAIR(Epollwait, "epoll_wait", C::kWait, kEfWaits, kEpollWaitE, kEpollWaitX),
    SAKER_PAIR(Poll, "poll", C::kWait, kEfWaits, kPollE, kPollX),
    SAKER_PAIR(Select, "select", C::kWait, kEfWaits, kNone, kResOnly),
    SAKER_PAIR(Newselect, "select", C::kWait, kEfWaits | kOld, kNone, kResOnly),
    SAKER_PAIR(Lseek, "lseek", C::kFile, kUses, kLseekE, kLseekX),
    SAKER_PAIR(Llseek, "llseek", C::kFile, kUses, kLseekE, kLseekX),
    SAKER_PAIR(IoctlV2, "ioctl", C::kIoOther, kUses | kOld, kIoctlOldE, kResOnly),
    SAKER_PAIR(Getcwd, "getcwd", C::kFile, kSys, kNone, kResPathChar),
    SAKER_PAIR(Chdir, "chdir", C::kFile, kState, kNone, kResPathChar),
    SAKER_PAIR(Fchdir, "fchdir", C::kFile, kUses | kState, kFdOnlyNA, kResFdNA),
    SAKER_PAIR(Mkdir, "mkdir", C::kFile, kOld, kMkdirOldE, kResOnly),
    SAKER_PAIR(Rmdir, "rmdir", C::kFile, kOld, kPathOnly, kResOnly),
    SAKER_PAIR(Openat, "openat", C::kFile, kCreates | kOld, kOpenatOldE, kFdOnly),
    SAKER_PAIR(Link, "link", C::kFile, kOld, kLinkOldE, kResOnly),
    SAKER_PAIR(Linkat, "linkat", C::kFile, kOld, kLinkatOldE, kResOnly),
    SAKER_PAIR(Unlink, "unlink", C::kFile, kOld, kPathOnly, kResOnly),
    SAKER_PAIR(Unlinkat, "unlinkat", C::kFile, kOld, kUnlinkatOldE, kResOnly),
    SAKER_PAIR(Pread, "pread", C::kIoRead, kRead, kFdSizePos, kResDataFdSizePos),
    SAKER_PAIR(Pwrite, "pwrite", C::kIoWrite, kWrite, kFdSizePos, kResDataFdSizePos),
    SAKER_PAIR(Readv, "readv", C::kIoRead, kRead, kFdOnly, kReadvX),
    SAKER_PAIR(Writev, "writev", C::kIoWrite, kWrite, kFdSize, kResDataFdSize),
    SAKER_PAIR(Preadv, "preadv", C::kIoRead, kRead, kPreadvE, kPreadvX),
    SAKER_PAIR(Pwritev, "pwritev", C::kIoWrite, kWrite, kFdSizePos, kResDataFdSizePos),
    SAKER_PAIR(Dup, "dup", C::kIoOther, kCreates | kUses | kOld, kFdOnly, kResFd),
    SAKER_PAIR(Signalfd, "signalfd", C::kSignal, kCreates, kSignalfdE, kSignalfdX),
    SAKER_PAIR(Kill, "kill", C::kSignal, kSys, kKillE, kKillX),
    SAKER_PAIR(Tkill, "tkill", C::kSignal, kSys, kTkillE, kTkillX),
    SAKER_PAIR(Tgkill, "tgkill", C::kSignal, kSys, kTgkillE, kTgkillX),
    SAKER_PAIR(Nanosleep, "nanosleep", C::kSleep, kEfWaits, kNanosleepE, kNanosleepX),
    SAKER_PAIR(TimerfdCreate, "timerfd_create", C::kTime, kCreates, kTimerfdE, kTimerfdX),
    SAKER_PAIR(InotifyInit, "inotify_init", C::kIpc, kCreates, kInotifyE, kInotifyX),
    SAKER_PAIR(Getrlimit, "getrlimit", C::kProcess, kSys, kRlimitE, kGetrlimitX),
    SAKER_PAIR(Setrlimit, "setrlimit", C::kProcess, kSys, kRlimitE, kSetrlimitX),
    SAKER_PAIR(Prlimit, "prlimit", C::kProcess, kSys, kPrlimitE, kPrlimitX),
    Slot{EventType::kSchedswitchV1E,
         E("switch", C::kScheduler, S::kTracepoint, kEfSkipParseReset | kOld, kSwitchV1E)},
    Slot{EventType::kDropE, E("drop", C::kInternal, S::kMeta, kEfSkipParseReset, kRatio)},
    Slot{EventType::kDropX, E("drop", C::kInternal, S::kMeta, kEfSkipParseReset, kRatio)},
    SAKER_PAIR(Fcntl, "fcntl", C::kIoOther, kUses | kState, kFcntlE, kFcntlX),
    Slot{EventType::kSchedswitchV6E, E("switch", C::kScheduler, S::kTracepoint, kSys, kSwitchV6E)},
    SAKER_PAIR(ExecveV13, "execve", C::kProcess, kState | kOld, kNone, kExecveV13X),
    SAKER_PAIR(CloneV16, "clone", C::kProcess, kState | kOld, kNone, kCloneV16X),
    SAKER_PAIR(BrkV4, "brk", C::kMemory, kSys, kBrkE, kBrkX),
    // The driver marks mmap/mmap2 as using their fd; saker does not resolve it (yet) so that
    // fd.* stay empty on them, as in the sysdig 0.29 differential test.
    SAKER_PAIR(Mmap, "mmap", C::kMemory, kSys, kMmapE, kMmapX),
    SAKER_PAIR(Mmap2, "mmap2", C::kMemory, kSys, kMmap2E, kMmap2X),
    SAKER_PAIR(Munmap, "munmap", C::kMemory, kSys, kMunmapE, kMunmapX),
    SAKER_PAIR(Splice, "splice", C::kIoOther, kUses, kSplicE, kSpliceX),
    SAKER_PAIR(Ptrace, "ptrace", C::kProcess, kSys, kPtraceE, kPtraceX),
    SAKER_PAIR(IoctlV3, "ioctl", C::kIoOther, kUses, kIoctlE, kIoctlX),
    SAKER_PAIR(ExecveV14, "execve", C::kProcess, kState | kOld, kNone, kExecveV14X),
    SAKER_PAIR(Rename, "rename", C::kFile, kSys, kNone, kRenameX),
    SAKER_PAIR(Renameat, "renameat", C::kFile, kSys, kNone, kRenameatX),
    SAKER_PAIR(Symlink, "symlink", C::kFile, kSys, kNone, kSymlinkX),
    SAKER_PAIR(Symlinkat, "symlinkat", C::kFile, kUses, kNone, kSymlinkatX),
    SAKER_PAIR(Fork, "fork", C::kProcess, kState | kOld, kNone, kCloneV16X),
    SAKER_PAIR(Vfork, "vfork", C::kProcess, kState | kOld, kNone, kCloneV16X),
    Slot{EventType::kProcexitV1E, E("procexit", C::kProcess, S::kTracepoint, kState, kProcexitV1E)},
    SAKER_PAIR(Sendfile, "sendfile", C::kIoWrite, kUses, kSendfileE, kSendfileX),
    SAKER_PAIR(Quotactl, "quotactl", C::kUser, kSys, kQuotactlE, kQuotactlX),
    SAKER_PAIR(Setresuid, "setresuid", C::kUser, kState, kSetresuidE, kSetresuidX),
    SAKER_PAIR(Setresgid, "setresgid", C::kUser, kState, kSetresgidE, kSetresgidX),
    Slot{EventType::kScapeventE,
         E("scapevent", C::kInternal, S::kMeta, kEfSkipParseReset, kScapeventE)},
    SAKER_PAIR(Setuid, "setuid", C::kUser, kState, kUidE, kSetuidX),
    SAKER_PAIR(Setgid, "setgid", C::kUser, kState, kGidE, kSetgidX),
    SAKER_PAIR(Getuid, "getuid", C::kUser, kSys, kNone, kUidX),
    SAKER_PAIR(Geteuid, "geteuid", C::kUser, kSys, kNone, kEuidX),
    SAKER_PAIR(Getgid, "getgid", C::kUser, kSys, kNone, kGidX),
    SAKER_PAIR(Getegid, "getegid", C::kUser, kSys, kNone, kEgidX),
    SAKER_PAIR(Getresuid, "getresuid", C::kUser, kSys, kNone, kGetresuidX),
    SAKER_PAIR(Getresgid, "getresgid", C::kUser, kSys, kNone, kGetresgidX),
    SAKER_PAIR(ExecveV15, "execve", C::kProcess, kState | kOld, kNone, kExecveV15X),
    SAKER_PAIR(CloneV17, "clone", C::kProcess, kState | kOld, kNone, kCloneV17X),
    SAKER_PAIR(ForkV17, "fork", C::kProcess, kState | kOld, kNone, kCloneV17X),
    SAKER_PAIR(VforkV17, "vfork", C::kProcess, kState | kOld, kNone, kCloneV17X),
    SAKER_PAIR(CloneV20, "clone", C::kProcess, kState, kNone, kCloneV20X),
    SAKER_PAIR(ForkV20, "fork", C::kProcess, kState, kNone, kCloneV20X),
    SAKER_PAIR(VforkV20, "vfork", C::kProcess, kState, kNone, kCloneV20X),
    Slot{EventType::kContainerE,
         E("container", C::kInternal, S::kMeta, kEfSkipParseReset | kState | kOld, kContainerE)},
    SAKER_PAIR(ExecveV16, "execve", C::kProcess, kState | kOld, kNone, kExecveV16X),
    Slot{EventType::kSignaldeliverE,
         E("signaldeliver", C::kSignal, S::kTracepoint, kSys, kSignaldeliverE)},
    Slot{EventType::kProcinfoE,
         E("procinfo", C::kInternal, S::kMeta, kEfSkipParseReset, kProcinfoE)},
    SAKER_PAIR(Getdents, "getdents", C::kFile, kUses, kFdOnlyNA, kResFdNA),
    SAKER_PAIR(Getdents64, "getdents64", C::kFile, kUses, kFdOnlyNA, kResFdNA),
    SAKER_PAIR(Setns, "setns", C::kProcess, kUses, kSetnsE, kSetnsX),
    SAKER_PAIR(Flock, "flock", C::kFile, kUses, kFlockE, kFlockX),
    Slot{EventType::kCpuHotplugE,
         E("cpu_hotplug", C::kSystem, S::kMeta, kEfSkipParseReset | kState, kHotplugE)},
    SAKER_PAIR(AcceptV5, "accept", C::kNet, kCreates, kNone, kAcceptX),
    SAKER_PAIR(Accept4V5, "accept", C::kNet, kCreates | kOld, kAccept4E, kAcceptX),
    SAKER_PAIR(Semop, "semop", C::kProcess, kSys, kSemopE, kSemopX),
    SAKER_PAIR(Semctl, "semctl", C::kProcess, kSys, kSemctlE, kSemctlX),
    SAKER_PAIR(Ppoll, "ppoll", C::kWait, kEfWaits, kPpollE, kPpollX),
    SAKER_PAIR(Mount, "mount", C::kFile, kState, kMountE, kMountX),
    SAKER_PAIR(Umount, "umount", C::kFile, kState | kOld, kUmountE, kResName),
    Slot{EventType::kK8sE, E("k8s", C::kInternal, S::kMeta, kEfSkipParseReset | kState, kJson)},
    SAKER_PAIR(Semget, "semget", C::kProcess, kSys, kSemgetE, kSemgetX),
    SAKER_PAIR(Access, "access", C::kFile, kSys, kAccessE, kAccessX),
    SAKER_PAIR(Chroot, "chroot", C::kProcess, kState, kNone, kResPath),
    Slot{EventType::kTracerE, E("tracer", C::kOther, S::kMeta, kSys, kTracer)},
    Slot{EventType::kTracerX, E("tracer", C::kOther, S::kMeta, kSys, kTracer)},
    Slot{EventType::kMesosE, E("mesos", C::kInternal, S::kMeta, kEfSkipParseReset | kState, kJson)},
    Slot{EventType::kContainerJsonE, E("container", C::kProcess, S::kMeta, kState | kOld, kJson)},
    SAKER_PAIR(Setsid, "setsid", C::kProcess, kState, kNone, kResPid),
    SAKER_PAIR(MkdirV2, "mkdir", C::kFile, kSys, kMkdirV2E, kMkdirV2X),
    SAKER_PAIR(RmdirV2, "rmdir", C::kFile, kSys, kNone, kResPath),
    Slot{EventType::kNotificationE,
         E("notification", C::kOther, S::kMeta, kEfSkipParseReset, kNotificationE)},
    SAKER_PAIR(ExecveV17, "execve", C::kProcess, kState | kOld, kNone, kExecveV17X),
    SAKER_PAIR(Unshare, "unshare", C::kProcess, kSys, kUnshareE, kUnshareX),
    Slot{EventType::kInfrastructureEventE,
         E("infra", C::kInternal, S::kMeta, kEfSkipParseReset, kInfraE)},
    SAKER_PAIR(ExecveV18, "execve", C::kProcess, kState | kOld, kFilenameE, kExecveV17X),
    Slot{EventType::kPageFaultE,
         E("page_fault", C::kOther, S::kTracepoint, kEfSkipParseReset, kPageFaultE)},
    SAKER_PAIR(ExecveV19, "execve", C::kProcess, kState, kFilenameE, kExecveV19X),
    SAKER_PAIR(Setpgid, "setpgid", C::kProcess, kState, kSetpgidE, kSetpgidX),
    SAKER_PAIR(Bpf, "bpf", C::kOther, kEfCreatesFd | kOld, kBpfE, kBpfOldX),
    SAKER_PAIR(Seccomp, "seccomp", C::kOther, kSys, kSeccompE, kSeccompX),
    SAKER_PAIR(UnlinkV2, "unlink", C::kFile, kSys, kNone, kResPath),
    SAKER_PAIR(UnlinkatV2, "unlinkat", C::kFile, kUses, kNone, kUnlinkatX),
    SAKER_PAIR(Mkdirat, "mkdirat", C::kFile, kUses, kNone, kMkdiratX),
    SAKER_PAIR(OpenatV2, "openat", C::kFile, kCreates, kOpenatE, kOpenatX),
    SAKER_PAIR(LinkV2, "link", C::kFile, kSys, kNone, kRenameX),
    SAKER_PAIR(LinkatV2, "linkat", C::kFile, kSys, kNone, kLinkatX),
    SAKER_PAIR(Fchmodat, "fchmodat", C::kFile, kUses, kNone, kFchmodatX),
    SAKER_PAIR(Chmod, "chmod", C::kFile, kSys, kNone, kChmodX),
    SAKER_PAIR(Fchmod, "fchmod", C::kFile, kUses, kNone, kFchmodX),
    SAKER_PAIR(Renameat2, "renameat2", C::kFile, kSys, kNone, kRenameat2X),
    SAKER_PAIR(Userfaultfd, "userfaultfd", C::kFile, kCreates, kNone, kUserfaultfdX),
    Slot{EventType::kPlugineventE,
         E("pluginevent", C::kOther, S::kPlugin, kEfLargePayload, kPluginE)},
    Slot{EventType::kContainerJsonV2E,
         E("container", C::kProcess, S::kMeta, kState | kEfLargePayload, kJson)},
    SAKER_PAIR(Openat2, "openat2", C::kFile, kCreates, kOpenat2E, kOpenat2X),
    SAKER_PAIR(Mprotect, "mprotect", C::kMemory, kSys, kMprotectE, kMprotectX),
    SAKER_PAIR(Execveat, "execveat", C::kProcess, kState, kExecveatE, kExecveV19X),
    SAKER_PAIR(CopyFileRange, "copy_file_range", C::kFile, kRead | kWrite, kCopyFileRangeE,
               kCopyFileRangeX),
    SAKER_PAIR(Clone3, "clone3", C::kProcess, kState, kNone, kCloneV20X),
    SAKER_PAIR(OpenByHandleAt, "open_by_handle_at", C::kFile, kCreates, kNone, kOpenByHandleX),
    SAKER_PAIR(IoUringSetup, "io_uring_setup", C::kIoOther, kCreates, kNone, kIoUringSetupX),
    SAKER_PAIR(IoUringEnter, "io_uring_enter", C::kIoOther, kUses, kNone, kIoUringEnterX),
    SAKER_PAIR(IoUringRegister, "io_uring_register", C::kIoOther, kUses, kNone, kIoUringRegisterX),
    SAKER_PAIR(Mlock, "mlock", C::kMemory, kSys, kNone, kMlockX),
    SAKER_PAIR(Munlock, "munlock", C::kMemory, kSys, kNone, kMlockX),
    SAKER_PAIR(Mlockall, "mlockall", C::kMemory, kSys, kNone, kMlockallX),
    SAKER_PAIR(Munlockall, "munlockall", C::kMemory, kSys, kNone, kResOnly),
    SAKER_PAIR(Capset, "capset", C::kProcess, kState, kNone, kCapsetX),
    Slot{EventType::kUserAddedE, E("useradded", C::kProcess, S::kMeta, kState, kUserE)},
    Slot{EventType::kUserDeletedE, E("userdeleted", C::kProcess, S::kMeta, kState, kUserE)},
    Slot{EventType::kGroupAddedE, E("groupadded", C::kProcess, S::kMeta, kState, kGroupE)},
    Slot{EventType::kGroupDeletedE, E("groupdeleted", C::kProcess, S::kMeta, kState, kGroupE)},
    SAKER_PAIR(Dup2, "dup2", C::kIoOther, kCreates | kUses, kFdOnly, kDup2X),
    SAKER_PAIR(Dup3, "dup3", C::kIoOther, kCreates | kUses, kFdOnly, kDup3X),
    SAKER_PAIR(DupV1, "dup", C::kIoOther, kCreates | kUses, kFdOnly, kDupV1X),
    SAKER_PAIR(BpfV2, "bpf", C::kOther, kEfCreatesFd, kBpfE, kBpfV2X),
    SAKER_PAIR(Mlock2, "mlock2", C::kMemory, kSys, kNone, kMlock2X),
    SAKER_PAIR(Fsconfig, "fsconfig", C::kSystem, kUses, kNone, kFsconfigX),
    SAKER_PAIR(EpollCreate, "epoll_create", C::kWait, kCreates, kEpollCreateE, kEpollCreateX),
    SAKER_PAIR(EpollCreate1, "epoll_create1", C::kWait, kCreates, kEpollCreate1E, kEpollCreate1X),
    SAKER_PAIR(Chown, "chown", C::kFile, kSys, kNone, kChownX),
    SAKER_PAIR(Lchown, "lchown", C::kFile, kSys, kNone, kChownX),
    SAKER_PAIR(Fchown, "fchown", C::kFile, kUses, kNone, kFchownX),
    SAKER_PAIR(Fchownat, "fchownat", C::kFile, kUses, kNone, kFchownatX),
    SAKER_PAIR(UmountV1, "umount", C::kFile, kState, kNone, kResName),
    SAKER_PAIR(Accept4V6, "accept4", C::kNet, kCreates, kAccept4E, kAccept4X),
    SAKER_PAIR(Umount2, "umount2", C::kFile, kState, kUmountE, kUmount2X),
    SAKER_PAIR(Pipe2, "pipe2", C::kIpc, kCreates, kNone, kPipe2X),
    SAKER_PAIR(InotifyInit1, "inotify_init1", C::kIpc, kCreates, kNone, kResFdFlags16),
    SAKER_PAIR(Eventfd2, "eventfd2", C::kIpc, kCreates, kInitval, kEventfd2X),
    SAKER_PAIR(Signalfd4, "signalfd4", C::kSignal, kCreates, kSignalfd4E, kSignalfd4X),
    SAKER_PAIR(Prctl, "prctl", C::kProcess, kState, kNone, kPrctlX),
    Slot{EventType::kAsynceventE, E("asyncevent", C::kOther, S::kMeta, kEfLargePayload, kAsyncE)},
    SAKER_PAIR(MemfdCreate, "memfd_create", C::kMemory, kCreates, kNone, kMemfdX),
    SAKER_PAIR(PidfdGetfd, "pidfd_getfd", C::kProcess, kCreates, kNone, kPidfdGetfdX),
    SAKER_PAIR(PidfdOpen, "pidfd_open", C::kProcess, kCreates, kNone, kPidfdOpenX),
    SAKER_PAIR(InitModule, "init_module", C::kOther, kSys, kNone, kInitModuleX),
    SAKER_PAIR(FinitModule, "finit_module", C::kOther, kRead, kNone, kFinitModuleX),
    SAKER_PAIR(Mknod, "mknod", C::kOther, kSys, kNone, kMknodX),
    SAKER_PAIR(Mknodat, "mknodat", C::kOther, kUses, kNone, kMknodatX),
    SAKER_PAIR(Newfstatat, "newfstatat", C::kFile, kUses, kNone, kNewfstatatX),
    SAKER_PAIR(ProcessVmReadv, "process_vm_readv", C::kIpc, kSys, kNone, kProcessVmX),
    SAKER_PAIR(ProcessVmWritev, "process_vm_writev", C::kIpc, kSys, kNone, kProcessVmX),
    SAKER_PAIR(DeleteModule, "delete_module", C::kOther, kSys, kNone, kDeleteModuleX),
    SAKER_PAIR(Setreuid, "setreuid", C::kUser, kState, kNone, kSetreuidX),
    SAKER_PAIR(Setregid, "setregid", C::kUser, kState, kNone, kSetregidX),
};
#undef SAKER_PAIR

constexpr EventInfo kUnusedSlot{"NA", C::kUnknown, S::kSyscall, kEfUnused, 0, nullptr};
constexpr EventInfo kUnknownEvent{"unknown", C::kUnknown, S::kSyscall, kEfUnused, 0, nullptr};

constexpr std::array<EventInfo, kEventTypeCount> build_table() {
  std::array<EventInfo, kEventTypeCount> t{};
  for (auto& e : t) e = kUnusedSlot;
  for (const auto& s : kSlots) t[s.type] = s.info;
  return t;
}

constexpr auto kTable = build_table();

}  // namespace

// Declared in event_view.h: per type, bit i set when parameter i is a signed integer type
// (computed from the table at compile time: constant-initialised, usable from any static
// initialiser).
constexpr std::array<std::uint32_t, std::size_t{kEventTypeCount} + 1> kSignedParamMasks = [] {
  constexpr std::uint64_t kSigned =
      (1ull << static_cast<int>(ParamType::kInt8)) | (1ull << static_cast<int>(ParamType::kInt16)) |
      (1ull << static_cast<int>(ParamType::kInt32)) | (1ull << static_cast<int>(ParamType::kInt64)) |
      (1ull << static_cast<int>(ParamType::kErrno)) | (1ull << static_cast<int>(ParamType::kFd)) |
      (1ull << static_cast<int>(ParamType::kPid));
  std::array<std::uint32_t, std::size_t{kEventTypeCount} + 1> m{};
  for (std::size_t t = 0; t < kEventTypeCount; ++t) {
    for (std::uint32_t i = 0; i < kTable[t].nparams && i < 32; ++i) {
      const auto code = static_cast<unsigned>(kTable[t].params[i].type);
      if (code < 64 && ((kSigned >> code) & 1) != 0) m[t] |= 1u << i;
    }
  }
  return m;
}();

namespace {

constexpr bool slots_unique() {
  std::array<bool, kEventTypeCount> seen{};
  for (const auto& s : kSlots) {
    if (s.type >= kEventTypeCount || seen[s.type]) return false;
    seen[s.type] = true;
  }
  return true;
}
static_assert(slots_unique(), "an event type code is described twice");

// a (NUL-terminated) == b, without measuring a first: most names differ at the first byte.
constexpr bool sv_eq(const char* a, std::string_view b) {
  if (!a) return false;
  for (char c : b) {
    if (c == '\0' || *a != c) return false;  // a NUL in b never matches; a's NUL stops here
    ++a;
  }
  return *a == '\0';
}

}  // namespace

const EventInfo& event_info(std::uint16_t type) noexcept {
  return type < kEventTypeCount ? kTable[type] : kUnknownEvent;
}

bool is_known_event(std::uint16_t type) noexcept {
  return type < kEventTypeCount && (kTable[type].flags & kEfUnused) == 0;
}

std::span<const EventInfo> event_table() noexcept { return kTable; }

std::optional<std::uint16_t> find_event(std::string_view name, bool enter) noexcept {
  for (std::uint16_t t = enter ? 0 : 1; t < kEventTypeCount; t += 2) {
    const EventInfo& e = kTable[t];
    if ((e.flags & (kEfOldVersion | kEfUnused)) == 0 && sv_eq(e.name, name)) return t;
  }
  return std::nullopt;
}

namespace {

// Parameter lookup by name is on the hot path (parsers and field extractors name the
// parameters they read), so (type, name) pairs are indexed once in an open-addressing table
// keyed by the type and a hash of the name; a hit is confirmed by comparing the name.
constexpr std::uint32_t name_hash(std::string_view s) noexcept {
  std::uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<std::uint8_t>(c)) * 16777619u;
  return h;
}

class ParamIndex {
 public:
  ParamIndex() {
    for (std::uint16_t t = 0; t < kEventTypeCount; ++t) {
      const EventInfo& e = kTable[t];
      for (std::uint32_t i = e.nparams; i-- > 0;) {  // the first of duplicate names wins
        if (!e.params[i].name) continue;
        const std::uint32_t h = name_hash(e.params[i].name);
        std::uint32_t k = start(t, h);
        while (slots_[k].used && !(slots_[k].type == t && slots_[k].hash == h &&
                                   sv_eq(e.params[slots_[k].index].name, e.params[i].name))) {
          k = (k + 1) & kMask;
        }
        slots_[k] = {h, t, static_cast<std::uint8_t>(i), true};
      }
    }
  }
  std::optional<std::uint32_t> find(std::uint16_t type, std::string_view name) const noexcept {
    if (type >= kEventTypeCount) return std::nullopt;
    const std::uint32_t h = name_hash(name);
    const EventInfo& e = kTable[type];
    for (std::uint32_t k = start(type, h);; k = (k + 1) & kMask) {
      const Slot& s = slots_[k];
      if (!s.used) return std::nullopt;
      if (s.type == type && s.hash == h && sv_eq(e.params[s.index].name, name)) return s.index;
    }
  }

 private:
  static constexpr std::uint32_t kSlots = 1u << 13;  // a few thousand parameters in all
  static constexpr std::uint32_t kMask = kSlots - 1;
  struct Slot {
    std::uint32_t hash = 0;
    std::uint16_t type = 0;
    std::uint8_t index = 0;
    bool used = false;
  };
  static std::uint32_t start(std::uint16_t type, std::uint32_t h) noexcept {
    return (h ^ (static_cast<std::uint32_t>(type) * 0x9e3779b9u)) & kMask;
  }
  std::array<Slot, kSlots> slots_{};
};

const ParamIndex& param_index_table() {
  static const ParamIndex index;
  return index;
}

}  // namespace

std::optional<std::uint32_t> find_param(std::uint16_t type, std::string_view param) noexcept {
  return param_index_table().find(type, param);
}

}  // namespace saker::syscall::scap
