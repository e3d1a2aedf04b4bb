// Names and letters of descriptor kinds, and socket naming (see fd_info.h).
#include "fd_info.h"

#include <arpa/inet.h>

#include <cstring>

namespace saker::syscall {

std::string_view fd_type_name(FdType t) noexcept {
  switch (t) {
    case FdType::kFile:
    case FdType::kFileV2:
      return "file";
    case FdType::kDirectory:
      return "directory";
    case FdType::kIpv4Sock:
    case FdType::kIpv4ServSock:
      return "ipv4";
    case FdType::kIpv6Sock:
    case FdType::kIpv6ServSock:
      return "ipv6";
    case FdType::kUnixSock:
      return "unix";
    case FdType::kFifo:
      return "pipe";
    case FdType::kEvent:
      return "event";
    case FdType::kSignalfd:
      return "signalfd";
    case FdType::kEventpoll:
      return "eventpoll";
    case FdType::kInotify:
      return "inotify";
    case FdType::kTimerfd:
      return "timerfd";
    case FdType::kNetlink:
      return "netlink";
    case FdType::kBpf:
      return "bpf";
    case FdType::kUserfaultfd:
      return "userfaultfd";
    case FdType::kIoUring:
      return "io_uring";
    case FdType::kMemfd:
      return "memfd";
    case FdType::kPidfd:
      return "pidfd";
    default:
      return "<NA>";
  }
}

char fd_type_char(FdType t) noexcept {
  switch (t) {
    case FdType::kFile:
    case FdType::kFileV2:
      return 'f';
    case FdType::kDirectory:
      return 'd';
    case FdType::kIpv4Sock:
    case FdType::kIpv4ServSock:
      return '4';
    case FdType::kIpv6Sock:
    case FdType::kIpv6ServSock:
      return '6';
    case FdType::kUnixSock:
      return 'u';
    case FdType::kFifo:
      return 'p';
    case FdType::kEvent:
      return 'e';
    case FdType::kSignalfd:
      return 's';
    case FdType::kEventpoll:
      return 'l';
    case FdType::kInotify:
      return 'i';
    case FdType::kTimerfd:
      return 't';
    case FdType::kNetlink:
      return 'n';
    case FdType::kBpf:
      return 'b';
    case FdType::kUserfaultfd:
      return 'u';
    case FdType::kIoUring:
      return 'r';
    case FdType::kMemfd:
      return 'm';
    case FdType::kPidfd:
      return 'P';
    default:
      return 'o';
  }
}

std::string_view l4proto_name(std::uint8_t proto) noexcept {
  switch (proto) {
    case 2:
      return "tcp";
    case 3:
      return "udp";
    case 4:
      return "icmp";
    case 5:
      return "raw";
    default:
      return "";
  }
}

std::string ip_text(const std::array<std::uint8_t, 16>& addr, bool v6) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(v6 ? AF_INET6 : AF_INET, addr.data(), buf, sizeof buf);
  return buf;
}

namespace {

char* put_decimal(char* p, unsigned v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = digits[--n];
  return p;
}

// Appends "addr:port" to `p` (room for INET6_ADDRSTRLEN + 6 bytes); returns the new end.
// IPv4 is formatted by hand (inet_ntop costs more than the rest of the event's parsing).
char* put_endpoint(char* p, const std::array<std::uint8_t, 16>& addr, std::uint16_t port,
                   bool v6) {
  if (v6) {
    inet_ntop(AF_INET6, addr.data(), p, INET6_ADDRSTRLEN);
    p += std::strlen(p);
  } else {
    for (int i = 0; i < 4; ++i) {
      if (i) *p++ = '.';
      p = put_decimal(p, addr[static_cast<std::size_t>(i)]);
    }
  }
  *p++ = ':';
  return put_decimal(p, port);
}

}  // namespace

// On every socket event that carries a tuple: built in a stack buffer, assigned into the
// name's existing buffer (no allocation once the name has held a tuple).
void update_socket_name(FdInfo& fd) {
  if (!fd.is_inet()) return;
  const bool v6 = fd.is_ipv6();
  char buf[2 * (INET6_ADDRSTRLEN + 6) + 2];
  char* p = put_endpoint(buf, fd.cip, fd.cport, v6);
  *p++ = '-';
  *p++ = '>';
  p = put_endpoint(p, fd.sip, fd.sport, v6);
  fd.name.assign(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace saker::syscall
