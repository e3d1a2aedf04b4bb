// Name tables for flag and enum parameters of scap events (file open flags, clone flags,
// socket families, ...). The bit values are the scap format's own encoding (the driver
// translates kernel flags into these), not the kernel's; e.g. scap O_CREAT is bit 2.
//
// Order matters for printing: names are emitted in table order, and a multi-bit entry
// (O_RDWR) placed before its parts wins over them. Tables are constant data.
#pragma once

#include "event_header.h"

namespace saker::syscall::scap::flags {

extern const FlagTable kFileFlags;
extern const FlagTable kCloneFlags;
extern const FlagTable kProtFlags;
extern const FlagTable kMmapFlags;
extern const FlagTable kSocketFamilies;
extern const FlagTable kAccessFlags;
extern const FlagTable kFutexOps;
extern const FlagTable kFcntlCmds;
extern const FlagTable kLseekWhence;
extern const FlagTable kPollFlags;
extern const FlagTable kMountFlags;
extern const FlagTable kUmountFlags;
extern const FlagTable kShutdownHow;
extern const FlagTable kRlimitResources;
extern const FlagTable kSockoptLevels;
extern const FlagTable kSockoptOptions;
extern const FlagTable kPtraceRequests;
extern const FlagTable kSpliceFlags;
extern const FlagTable kUnlinkatFlags;
extern const FlagTable kLinkatFlags;
extern const FlagTable kModeBits;
extern const FlagTable kRenameat2Flags;
extern const FlagTable kOpenat2Resolve;
extern const FlagTable kExecveFlags;
extern const FlagTable kExecveatFlags;
extern const FlagTable kMemfdCreateFlags;
extern const FlagTable kEpollCreate1Flags;
extern const FlagTable kFlockFlags;
extern const FlagTable kSemopFlags;
extern const FlagTable kSemgetFlags;
extern const FlagTable kSemctlCmds;
extern const FlagTable kFchownatFlags;
extern const FlagTable kNewfstatatFlags;
extern const FlagTable kMlockallFlags;
extern const FlagTable kPrctlOptions;
extern const FlagTable kBpfCommands;
extern const FlagTable kPageFaultFlags;
extern const FlagTable kFsconfigCmds;
extern const FlagTable kFinitModuleFlags;
extern const FlagTable kQuotactlCmds;
extern const FlagTable kQuotactlTypes;
extern const FlagTable kQuotactlDqiFlags;
extern const FlagTable kQuotactlFmts;
extern const FlagTable kCreatFlags;
extern const FlagTable kMlock2Flags;
extern const FlagTable kDeleteModuleFlags;
extern const FlagTable kPidfdOpenFlags;
extern const FlagTable kIoUringSetupFlags;
extern const FlagTable kIoUringSetupFeats;
extern const FlagTable kIoUringEnterFlags;
extern const FlagTable kIoUringRegisterOpcodes;
extern const FlagTable kEmpty;

}  // namespace saker::syscall::scap::flags
