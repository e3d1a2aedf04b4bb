// FdInfo: what the state engine knows about one open file descriptor (a file, a socket, a
// pipe, ...), built from capture fd lists and from the syscalls that create descriptors.
// Plain data; owned by an FdTable (or, for the fd of the event being processed, by the
// event context).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "capture_types.h"

namespace saker::syscall {

using FdType = scap::FdType;

// Which end of a connection this process holds (Falco's fd.is_server / client roles).
enum class FdRole : std::uint8_t { kNone, kClient, kServer };

struct FdInfo {
  std::int64_t fd = -1;
  FdType type = FdType::kUnknown;
  std::string name;              // path, socket tuple text, "pipe:[ino]", ...
  // A file's path as the opening call gave it ("../etc/passwd", "rel/x") when that is not
  // `name` itself (fd.nameraw); empty when the same, or not an open.
  std::string name_raw;
  std::uint32_t open_flags = 0;  // scap (PPM_O_*) flags for files
  std::uint32_t dev = 0;
  std::uint64_t ino = 0;
  // Sockets: client (c) and server (s) endpoints; IPv4 in the first 4 bytes.
  std::array<std::uint8_t, 16> cip{}, sip{};
  std::uint16_t cport = 0, sport = 0;
  std::uint8_t l4proto = 0;  // 0 unknown, 2 tcp, 3 udp, 4 icmp, 5 raw (scap codes)
  FdRole role = FdRole::kNone;
  std::uint64_t unix_src = 0, unix_dst = 0;
  bool connected = false;

  bool is_ipv4() const { return type == FdType::kIpv4Sock || type == FdType::kIpv4ServSock; }
  bool is_ipv6() const { return type == FdType::kIpv6Sock || type == FdType::kIpv6ServSock; }
  bool is_inet() const { return is_ipv4() || is_ipv6(); }
  bool is_file() const {
    return type == FdType::kFile || type == FdType::kFileV2 || type == FdType::kDirectory;
  }
};

// Falco's fd.type text ("file", "ipv4", "unix", ...) and fd.typechar letter.
std::string_view fd_type_name(FdType t) noexcept;
char fd_type_char(FdType t) noexcept;
// The fd.l4proto text: "tcp", "udp", "icmp", "raw" or "" when unknown.
std::string_view l4proto_name(std::uint8_t proto) noexcept;

// Address text of an endpoint (inet_ntop of the 4 or 16 bytes).
std::string ip_text(const std::array<std::uint8_t, 16>& addr, bool v6);
// Rebuild FdInfo::name for a socket from its endpoints ("cip:cport->sip:sport").
void update_socket_name(FdInfo& fd);

}  // namespace saker::syscall
