// The scap event model: the raw event header every driver and capture file uses, and the
// vocabulary (parameter types, print formats, categories, flags) the event table is written in.
//
// A scap event is a packed little-endian record:
//
//   ts:u64  tid:u64  len:u32  type:u16  nparams:u32      (26 bytes, kEventHeaderSize)
//   param lengths: nparams x u16 (or x u32 for large-payload events)
//   param values, back to back, each exactly as long as its length says
//
// `len` counts the whole record, header included. Even types are enter events, odd types the
// matching exit events. Old captures (v1 event blocks) omit `nparams`; the capture reader
// rebuilds it, so everything above the reader only ever sees the 26-byte header.
//
// Nothing here allocates or owns memory; the types are plain data, safe to share across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace saker::syscall::scap {

inline constexpr std::size_t kEventHeaderSize = 26;
inline constexpr std::size_t kEventHeaderSizeV1 = 22;  // without nparams
inline constexpr std::uint32_t kMaxEventParams = 32;

// The decoded fixed header of one event. Reading it copies 26 bytes; the parameters are
// accessed in place through EventView.
struct EventHeader {
  std::uint64_t ts = 0;   // nanoseconds since the epoch
  std::uint64_t tid = 0;  // thread that produced the event
  std::uint32_t len = 0;  // total length including this header
  std::uint16_t type = 0;
  std::uint32_t nparams = 0;
};

// Little-endian loads from unaligned memory. The format is little-endian on disk and the
// project only targets little-endian hosts; memcpy keeps UBSan quiet about alignment.
template <typename T>
inline T load_le(const std::uint8_t* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

template <typename T>
inline void store_le(std::uint8_t* p, T v) noexcept {
  std::memcpy(p, &v, sizeof(T));
}

inline EventHeader decode_header(const std::uint8_t* p) noexcept {
  return EventHeader{load_le<std::uint64_t>(p), load_le<std::uint64_t>(p + 8),
                     load_le<std::uint32_t>(p + 16), load_le<std::uint16_t>(p + 20),
                     load_le<std::uint32_t>(p + 22)};
}

inline void encode_header(std::uint8_t* p, const EventHeader& h) noexcept {
  store_le(p, h.ts);
  store_le(p + 8, h.tid);
  store_le(p + 16, h.len);
  store_le(p + 20, h.type);
  store_le(p + 22, h.nparams);
}

inline constexpr bool is_enter(std::uint16_t type) noexcept { return (type & 1u) == 0; }
inline constexpr bool is_exit(std::uint16_t type) noexcept { return (type & 1u) != 0; }

// Parameter types. The numeric values are those of the scap format (they appear in tools'
// output and in other implementations), so keep them stable.
enum class ParamType : std::uint8_t {
  kNone = 0,
  kInt8 = 1,
  kInt16 = 2,
  kInt32 = 3,
  kInt64 = 4,
  kUint8 = 5,
  kUint16 = 6,
  kUint32 = 7,
  kUint64 = 8,
  kCharBuf = 9,      // NUL-terminated printable string
  kByteBuf = 10,     // raw bytes
  kErrno = 11,       // int64; negative values are -errno
  kSockAddr = 12,    // family byte + address
  kSockTuple = 13,   // family byte + source + destination
  kFd = 14,          // int64
  kPid = 15,         // int64
  kFdList = 16,      // u16 count + count x (u64 fd, u16 flags)
  kFsPath = 17,      // NUL-terminated path
  kSyscallId = 18,   // u16
  kSigType = 19,     // u8 signal number
  kRelTime = 20,     // u64 ns
  kAbsTime = 21,     // u64 ns since the epoch
  kPort = 22,        // u16
  kL4Proto = 23,     // u8
  kSockFamily = 24,  // u8
  kBool = 25,        // u32
  kIpv4Addr = 26,    // 4 bytes
  kDyn = 27,         // u8 selector + value whose type the selector picks
  kFlags8 = 28,
  kFlags16 = 29,
  kFlags32 = 30,
  kUid = 31,  // u32
  kGid = 32,  // u32
  kDouble = 33,
  kSigSet = 34,  // u32
  kCharBufArray = 35,
  kCharBufPairArray = 36,
  kIpv4Net = 37,
  kIpv6Addr = 38,
  kIpv6Net = 39,
  kIpAddr = 40,
  kIpNet = 41,
  kMode = 42,        // u32 file mode bits
  kFsRelPath = 43,   // path relative to the dirfd named by ParamInfo::dirfd_index
  kEnumFlags8 = 44,  // u8 whose value is one of the names (not a bit set)
  kEnumFlags16 = 45,
  kEnumFlags32 = 46,
};

// The size in bytes of a parameter of fixed-width type `t`; 0 for a type of variable width
// (strings, buffers, addresses, lists, kDyn).
inline constexpr std::size_t fixed_width(ParamType t) noexcept {
  switch (t) {
    case ParamType::kInt8:
    case ParamType::kUint8:
    case ParamType::kSigType:
    case ParamType::kL4Proto:
    case ParamType::kSockFamily:
    case ParamType::kFlags8:
    case ParamType::kEnumFlags8:
      return 1;
    case ParamType::kInt16:
    case ParamType::kUint16:
    case ParamType::kSyscallId:
    case ParamType::kPort:
    case ParamType::kFlags16:
    case ParamType::kEnumFlags16:
      return 2;
    case ParamType::kInt32:
    case ParamType::kUint32:
    case ParamType::kBool:
    case ParamType::kFlags32:
    case ParamType::kEnumFlags32:
    case ParamType::kUid:
    case ParamType::kGid:
    case ParamType::kSigSet:
    case ParamType::kMode:
    case ParamType::kIpv4Addr:
      return 4;
    case ParamType::kInt64:
    case ParamType::kUint64:
    case ParamType::kErrno:
    case ParamType::kFd:
    case ParamType::kPid:
    case ParamType::kRelTime:
    case ParamType::kAbsTime:
    case ParamType::kDouble:
      return 8;
    default:
      return 0;
  }
}

enum class PrintFormat : std::uint8_t {
  kNA = 0,
  kDec = 1,
  kHex = 2,
  kPaddedDec = 3,
  kId = 4,
  kDir = 5,
  kOct = 6
};

// Coarse category of an event (what the syscall is about).
enum class EventCategory : std::uint8_t {
  kUnknown = 0,
  kOther = 1,
  kFile = 2,
  kNet = 3,
  kIpc = 4,
  kMemory = 5,
  kProcess = 6,
  kSleep = 7,
  kSystem = 8,
  kSignal = 9,
  kUser = 10,
  kTime = 11,
  kProcessing = 12,
  kIoRead = 32,
  kIoWrite = 33,
  kIoOther = 34,
  kWait = 64,
  kScheduler = 128,
  kInternal = 255,
};

// Where an event comes from.
enum class EventSource : std::uint8_t { kSyscall, kTracepoint, kPlugin, kMeta };

// Behaviour flags of an event type (bit set).
enum EventFlag : std::uint16_t {
  kEfNone = 0,
  kEfCreatesFd = 1 << 0,
  kEfDestroysFd = 1 << 1,
  kEfUsesFd = 1 << 2,
  kEfReadsFromFd = 1 << 3,
  kEfWritesToFd = 1 << 4,
  kEfModifiesState = 1 << 5,
  kEfUnused = 1 << 6,
  kEfWaits = 1 << 7,
  kEfSkipParseReset = 1 << 8,
  kEfOldVersion = 1 << 9,
  kEfLargePayload = 1 << 11,  // parameter lengths are u32 instead of u16
};

// One entry of a flag-name table: a bit (or, for enum flags, a value) and its name.
struct FlagName {
  const char* name;
  std::uint32_t value;
};

struct FlagTable {
  const FlagName* entries = nullptr;
  std::uint16_t count = 0;
};

inline constexpr std::uint8_t kNoDirfd = 0xff;

struct ParamInfo {
  const char* name;
  ParamType type;
  PrintFormat format;
  const FlagTable* flags = nullptr;     // for flag / enum-flag / mode parameters
  std::uint8_t dirfd_index = kNoDirfd;  // for kFsRelPath: index of the dirfd parameter
};

struct EventInfo {
  const char* name;  // syscall-style name ("open"), "NA" for unused slots
  EventCategory category;
  EventSource source;
  std::uint16_t flags;  // EventFlag bits
  std::uint8_t nparams;
  const ParamInfo* params;
};

}  // namespace saker::syscall::scap
