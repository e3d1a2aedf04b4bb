// Names and letters of descriptor kinds, and socket naming (see fd_info.h).
#include "fd_info.h"

#include <arpa/inet.h>

#include <array>
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

// "0".."255", each as up to 3 digits and its length, built at compile time: an address byte
// is copied, not divided.
struct OctetText {
  char text[3];
  std::uint8_t len;
};
constexpr std::array<OctetText, 256> kOctets = [] {
  std::array<OctetText, 256> t{};
  for (unsigned v = 0; v < 256; ++v) {
    OctetText& o = t[v];
    if (v >= 100) o.text[o.len++] = static_cast<char>('0' + v / 100);
    if (v >= 10) o.text[o.len++] = static_cast<char>('0' + v / 10 % 10);
    o.text[o.len++] = static_cast<char>('0' + v % 10);
  }
  return t;
}();

char* put_octet(char* p, std::uint8_t v) {
  const OctetText& o = kOctets[v];
  std::memcpy(p, o.text, 3);  // the buffer has room: only len bytes count
  return p + o.len;
}

// A port (0..65535): the high part (v / 100) by the octet table when it is under 256, then
// the last two digits.
char* put_port(char* p, unsigned v) {
  if (v < 10) {
    *p++ = static_cast<char>('0' + v);
    return p;
  }
  const unsigned hi = v / 100, lo = v % 100;
  if (hi == 0) {
    *p++ = static_cast<char>('0' + lo / 10);
  } else {
    if (hi < 256) {
      p = put_octet(p, static_cast<std::uint8_t>(hi));
    } else {
      const unsigned h2 = hi / 100, l2 = hi % 100;  // hi < 656: h2 < 7
      *p++ = static_cast<char>('0' + h2);
      *p++ = static_cast<char>('0' + l2 / 10);
      *p++ = static_cast<char>('0' + l2 % 10);
    }
    *p++ = static_cast<char>('0' + lo / 10);
  }
  *p++ = static_cast<char>('0' + lo % 10);
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
    p = put_octet(p, addr[0]);
    for (std::size_t i = 1; i < 4; ++i) {
      *p++ = '.';
      p = put_octet(p, addr[i]);
    }
  }
  *p++ = ':';
  return put_port(p, port);
}

}  // namespace

// On every socket event that carries a tuple: built in a stack buffer, assigned into the
// name's existing buffer (no allocation once the name has held a tuple).
void update_socket_name(FdInfo& fd) {
  if (!fd.is_inet()) return;
  const bool v6 = fd.is_ipv6();
  char buf[2 * (INET6_ADDRSTRLEN + 6) + 2 + 3];  // + 3: put_octet writes 3 bytes
  char* p = put_endpoint(buf, fd.cip, fd.cport, v6);
  *p++ = '-';
  *p++ = '>';
  p = put_endpoint(p, fd.sip, fd.sport, v6);
  fd.name.assign(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace saker::syscall
