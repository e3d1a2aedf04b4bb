// Plain data read from (and written to) the list blocks of a .scap capture: machine info,
// network interfaces, users and groups, and the process table with each process's open
// file descriptors. A state engine seeds itself from these before replaying events.
//
// Strings are std::string; multi-string fields (args, env, cgroups) are kept as on disk:
// NUL-separated bytes (use split_nul_list()). Values are owned; copying is cheap enough for
// start-up seeding.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace saker::syscall::scap {

// Thrown for malformed or truncated captures and I/O errors. offset() is the byte position
// in the (decompressed) capture stream where the problem was found.
class CaptureError : public std::runtime_error {
 public:
  CaptureError(const std::string& what, std::uint64_t offset)
      : std::runtime_error(what + " (at offset " + std::to_string(offset) + ")"), offset_(offset) {}
  std::uint64_t offset() const noexcept { return offset_; }

 private:
  std::uint64_t offset_;
};

// Thrown when the reader's stop check (ReaderOptions::stop) asked it to stop: while reading
// list blocks, or while waiting for bytes from a pipe that stalls. Not a malformed capture.
class CaptureInterrupted : public CaptureError {
 public:
  using CaptureError::CaptureError;
};

struct MachineInfo {
  std::uint32_t num_cpus = 0;
  std::uint64_t memory_size_bytes = 0;
  std::uint64_t max_pid = 0;
  std::string hostname;
  std::uint64_t boot_ts_epoch = 0;
  std::uint64_t flags = 0;
};

// File-descriptor kinds as stored in fd lists.
enum class FdType : std::uint8_t {
  kUnknown = 0,
  kFile = 1,
  kDirectory = 2,
  kIpv4Sock = 3,
  kIpv6Sock = 4,
  kIpv4ServSock = 5,
  kIpv6ServSock = 6,
  kFifo = 7,
  kUnixSock = 8,
  kEvent = 9,
  kUnsupported = 10,
  kSignalfd = 11,
  kEventpoll = 12,
  kInotify = 13,
  kTimerfd = 14,
  kNetlink = 15,
  kFileV2 = 16,
  kBpf = 17,
  kUserfaultfd = 18,
  kIoUring = 19,
  kMemfd = 20,
  kPidfd = 21,
};

struct FdEntry {
  std::int64_t fd = 0;
  std::uint64_t ino = 0;
  FdType type = FdType::kUnknown;
  std::string name;              // path / description for file-like fds and unix sockets
  std::uint32_t open_flags = 0;  // kFileV2
  std::uint32_t dev = 0;         // kFileV2 (newer captures)
  // sockets: for server sockets only sip/sport are meaningful. IPv4 uses the first 4 bytes.
  std::array<std::uint8_t, 16> sip{};
  std::array<std::uint8_t, 16> dip{};
  std::uint16_t sport = 0;
  std::uint16_t dport = 0;
  std::uint8_t l4proto = 0;  // 2 tcp, 3 udp, 4 icmp, 5 raw
  std::uint64_t unix_src = 0;
  std::uint64_t unix_dst = 0;
};

struct ProcessEntry {
  std::uint64_t tid = 0, pid = 0, ptid = 0;
  std::int64_t sid = -1, vpgid = -1;
  std::string comm, exe, exepath;
  std::string args;  // NUL-separated
  std::string cwd;
  std::uint64_t fdlimit = 0;
  std::uint32_t flags = 0;
  std::uint32_t uid = 0, gid = 0;
  std::uint32_t vmsize_kb = 0, vmrss_kb = 0, vmswap_kb = 0;
  std::uint64_t pfmajor = 0, pfminor = 0;
  std::string env;  // NUL-separated
  std::int64_t vtid = -1, vpid = -1;
  std::string cgroups;  // NUL-separated "subsys=path"
  std::string root;
  std::uint64_t pidns_init_start_ts = 0;
  std::uint32_t tty = 0;
  std::uint32_t loginuid = UINT32_MAX;
  bool exe_writable = false;
  std::uint64_t cap_inheritable = 0, cap_permitted = 0, cap_effective = 0;
  bool exe_upper_layer = false;
  std::uint64_t exe_ino = 0, exe_ino_ctime = 0, exe_ino_mtime = 0;
  bool exe_from_memfd = false;
  std::vector<FdEntry> fds;
};

struct UserEntry {
  std::uint32_t uid = 0, gid = 0;
  std::string name, home, shell;
};

struct GroupEntry {
  std::uint32_t gid = 0;
  std::string name;
};

// An interface address. family 2 (IPv4: first 4 bytes of each address) or 10 (IPv6).
struct InterfaceEntry {
  std::uint8_t family = 2;
  std::string name;
  std::array<std::uint8_t, 16> addr{}, netmask{}, bcast{};
  std::uint64_t linkspeed = 0;
};

// Splits "a\0b\0c\0" into {"a","b","c"} (views into s).
std::vector<std::string_view> split_nul_list(std::string_view s);

}  // namespace saker::syscall::scap
