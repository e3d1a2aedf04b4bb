// fd.* fields: the descriptor the event acts on (or creates). Sockets expose their client
// and server endpoints (fd.cip/sip...) and, from this process's point of view, local and
// remote ones (fd.lip/rip...): local is the client side for a connecting socket and the
// server side for an accepted one.
#include <algorithm>
#include <array>
#include <cstdio>

#include "event_table.h"
#include "field_table.h"
#include "state/paths.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

#define SAKER_FD_OR_RETURN(f) \
  const FdInfo* f = c.ec.fd;  \
  if (!f) return

// An event acting on a descriptor the state does not know (a descriptor opened before the
// capture and missing from its tables, mmap's -1, an old layout without the parameter):
// libsinsp describes it as an fd of no type named "" (typechar 'o', directory "/").
bool acts_on_fd(const FieldCtx& c) {
  constexpr std::uint16_t kFdFlags =
      scap::kEfUsesFd | scap::kEfDestroysFd | scap::kEfReadsFromFd | scap::kEfWritesToFd;
  return c.ec.has_fd || (c.ec.evt.info().flags & kFdFlags);
}
const FdInfo* fd_or_unknown(const FieldCtx& c) {
  static const FdInfo kUnknownFd;
  if (c.ec.fd) return c.ec.fd;
  return acts_on_fd(c) ? &kUnknownFd : nullptr;
}
// A descriptor of a known kind (libsinsp gives ino, dev, is_server and l4proto for those).
bool typed(const FdInfo& f) { return f.type != FdType::kUnknown; }

void set_ip(const FieldCtx& c, const FdInfo& f, const std::array<std::uint8_t, 16>& ip) {
  c.req.set_bytes(ip.data(), f.is_ipv6() ? 16 : 4);
}
void set_net(const FieldCtx& c, const FdInfo& f, const std::array<std::uint8_t, 16>& ip) {
  std::uint8_t buf[17];
  const std::size_t n = f.is_ipv6() ? 16 : 4;
  std::copy_n(ip.begin(), n, buf);
  buf[n] = static_cast<std::uint8_t>(n * 8);
  c.req.set_bytes(buf, n + 1);
}
bool is_local_client(const FdInfo& f) { return f.role != FdRole::kServer; }

// fd.ip, fd.port, fd.net match either endpoint in Falco: lists of the client and the server
// value (the client only once the socket is connected).
void fd_ip_any(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!f->is_inet()) return;
  const std::size_t n = f->is_ipv6() ? 16 : 4;
  auto view = [n](const std::array<std::uint8_t, 16>& ip) {
    return std::string_view(reinterpret_cast<const char*>(ip.data()), n);
  };
  std::string_view v[2] = {view(f->sip), view(f->cip)};
  c.req.set_bytes_list(v, c.list && f->connected ? 2 : 1);
}
void fd_port_any(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!f->is_inet()) return;
  std::uint64_t v[2] = {f->sport, f->cport};
  c.req.set_numbers(v, c.list && f->connected ? 2 : 1);
}
void fd_net_any(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!f->is_inet()) return;
  const std::size_t n = f->is_ipv6() ? 16 : 4;
  std::array<std::array<char, 17>, 2> buf;
  std::string_view v[2];
  const std::array<std::uint8_t, 16>* ips[2] = {&f->sip, &f->cip};
  for (int i = 0; i < 2; ++i) {
    std::copy_n(ips[i]->begin(), n, buf[i].begin());
    buf[i][n] = static_cast<char>(n * 8);
    v[i] = std::string_view(buf[i].data(), n + 1);
  }
  c.req.set_bytes_list(v, c.list && f->connected ? 2 : 1);
}

void fd_num(const FieldCtx& c) {
  if (c.ec.has_fd) return c.req.set(c.ec.fd_num);
  if (acts_on_fd(c)) c.req.set(std::int64_t{-1});
}
void fd_type(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->type != FdType::kUnknown) c.req.set(fd_type_name(f->type));
}
// The type letter as a static one-character string, handed over without a copy (the
// stable rules read fd.typechar on every open).
void fd_typechar(const FieldCtx& c) {
  static constexpr auto kLetters = [] {
    std::array<std::array<char, 2>, 256> t{};
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = {static_cast<char>(i), '\0'};
    return t;
  }();
  const FdInfo* f = fd_or_unknown(c);
  if (f) c.req.set_ref(kLetters[static_cast<unsigned char>(fd_type_char(f->type))].data(), 1);
}
// "" for a descriptor without a name (an unnamed socket, an unknown fd), as libsinsp.
void fd_name(const FieldCtx& c) {
  const FdInfo* f = fd_or_unknown(c);
  if (f) c.req.set_ref(f->name);
}
// The path as the opening call gave it (Falco's fd.nameraw: "../../etc/passwd" stays so),
// else the name.
void fd_nameraw(const FieldCtx& c) {
  const FdInfo* f = fd_or_unknown(c);
  if (f) c.req.set_ref(f->name_raw.empty() ? f->name : f->name_raw);
}
void fd_directory(const FieldCtx& c) {
  const FdInfo* f = fd_or_unknown(c);
  if (!f) return;
  if (f->type == FdType::kDirectory) return set_nonempty(c, f->name);
  if (f->is_file() || !typed(*f)) {
    const std::string_view d = path_dirname(f->name);
    c.req.set(d.empty() ? std::string_view("/") : d);
  }
}
void fd_filename(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_file() && f->type != FdType::kDirectory) set_nonempty(c, path_basename(f->name));
}
void fd_ino(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (typed(*f)) c.req.set(f->ino);
}
// Upper-case hex, as Falco prints fd.dev.
void fd_dev(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!typed(*f)) return;
  char buf[12];
  const int n = std::snprintf(buf, sizeof buf, "%X", static_cast<unsigned>(f->dev));
  c.req.set(std::string_view(buf, static_cast<std::size_t>(n)));
}
// The server endpoint of a socket not connected yet is known once it is bound to a port.
bool has_server_end(const FdInfo& f) { return f.connected || f.sport != 0; }
void fd_cip(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_ip(c, *f, f->cip);
}
void fd_sip(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && has_server_end(*f)) set_ip(c, *f, f->sip);
}
void fd_lip(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_ip(c, *f, is_local_client(*f) ? f->cip : f->sip);
}
void fd_rip(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_ip(c, *f, is_local_client(*f) ? f->sip : f->cip);
}
void fd_cport(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) c.req.set(f->cport);
}
void fd_sport(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && has_server_end(*f)) c.req.set(f->sport);
}
void fd_lport(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) c.req.set(is_local_client(*f) ? f->cport : f->sport);
}
void fd_rport(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) c.req.set(is_local_client(*f) ? f->sport : f->cport);
}
void fd_cnet(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_net(c, *f, f->cip);
}
void fd_snet(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet()) set_net(c, *f, f->sip);
}
void fd_lnet(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_net(c, *f, is_local_client(*f) ? f->cip : f->sip);
}
void fd_rnet(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet() && f->connected) set_net(c, *f, is_local_client(*f) ? f->sip : f->cip);
}
// The transport protocol as Falco knows it: once a socket is connected, bound to a port or
// accepted ("" before, and for descriptors that are not inet sockets).
std::string_view known_l4proto(const FdInfo& f) {
  const bool known = f.is_inet() && (has_server_end(f) || f.role != FdRole::kNone);
  return known ? l4proto_name(f.l4proto) : std::string_view();
}
void fd_l4proto(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!typed(*f)) return;
  const std::string_view n = known_l4proto(*f);
  c.req.set(n.empty() ? std::string_view("<NA>") : n);
}
void fd_sockfamily(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (f->is_inet())
    c.req.set("ip");
  else if (f->type == FdType::kUnixSock)
    c.req.set("unix");
}
// An inet socket not connected yet counts as a server end (libsinsp); other kinds of
// descriptor are server ends only when accepted.
void fd_is_server(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  if (!typed(*f)) return;
  if (f->is_inet() && !f->connected) return c.req.set(true);
  c.req.set(f->role == FdRole::kServer);
}
void fd_connected(const FieldCtx& c) {
  SAKER_FD_OR_RETURN(f);
  c.req.set(f->connected);
}
void fd_name_changed(const FieldCtx& c) {
  if (c.ec.fd) c.req.set(false);
}
// DNS names of endpoints need a resolver this plugin does not have: always <NA>.
void no_value(const FieldCtx&) {}

}  // namespace

std::string fd_resolved(const FdInfo& f) {
  std::string out = "<";
  out += fd_type_char(f.type);
  const std::string_view proto = known_l4proto(f);
  if (!proto.empty()) out += proto == "raw" ? 'r' : proto[0];  // t, u, i(cmp), r
  out += '>';
  out += f.name;
  return out;
}

std::vector<FieldEntry> fd_fields() {
  using FT = FieldType;
  return {
      field("fd.num", FT::kS64, "Descriptor number.", &fd_num),
      field("fd.type", FT::kString,
            "Kind of descriptor: file, directory, ipv4, ipv6, unix, pipe, event, signalfd, "
            "eventpoll, inotify, timerfd, netlink, bpf, userfaultfd, io_uring, memfd, pidfd.",
            &fd_type),
      field("fd.typechar", FT::kString, "One-letter kind of descriptor (f, d, 4, 6, u, p, ...).",
            &fd_typechar),
      field("fd.name", FT::kString,
            "Full name: the absolute path of a file, 'cip:cport->sip:sport' of a socket.",
            &fd_name),
      field("fd.nameraw", FT::kString,
            "A file's path as the opening call gave it, not made absolute (e.g. "
            "'../../etc/passwd'); otherwise the same as fd.name.",
            &fd_nameraw),
      field("fd.directory", FT::kString, "Directory of a file, or the directory itself.",
            &fd_directory),
      field("fd.filename", FT::kString, "Last component of a file's path.", &fd_filename),
      field("fd.ino", FT::kU64, "Inode number of the descriptor (0 when unknown).", &fd_ino),
      field("fd.dev", FT::kString, "Device number of the descriptor, in hexadecimal.", &fd_dev),
      field("fd.ip", FT::kIpAddr,
            "IP address of a socket: both ends (a list; fd.ip=X matches either) with "
            "fields.any_match_lists, else the server end.",
            &fd_ip_any)
          .with_list(),
      field("fd.cip", FT::kIpAddr, "Client IP address.", &fd_cip),
      field("fd.sip", FT::kIpAddr, "Server IP address.", &fd_sip),
      field("fd.lip", FT::kIpAddr, "Local IP address.", &fd_lip),
      field("fd.rip", FT::kIpAddr, "Remote IP address.", &fd_rip),
      field("fd.port", FT::kU64, "Port of a socket: both ends or the server end, like fd.ip.",
            &fd_port_any)
          .with_list(),
      field("fd.cport", FT::kU64, "Client port.", &fd_cport),
      field("fd.sport", FT::kU64, "Server port.", &fd_sport),
      field("fd.lport", FT::kU64, "Local port.", &fd_lport),
      field("fd.rport", FT::kU64, "Remote port.", &fd_rport),
      field("fd.net", FT::kIpNet, "Network of a socket: both ends or the server end, like fd.ip.",
            &fd_net_any)
          .with_list(),
      field("fd.cnet", FT::kIpNet, "Network of the client address.", &fd_cnet),
      field("fd.snet", FT::kIpNet, "Network of the server address.", &fd_snet),
      field("fd.lnet", FT::kIpNet, "Network of the local address.", &fd_lnet),
      field("fd.rnet", FT::kIpNet, "Network of the remote address.", &fd_rnet),
      field("fd.l4proto", FT::kString,
            "Transport protocol of a socket once connected, accepted or bound to a port: tcp, "
            "udp, icmp or raw; <NA> otherwise.",
            &fd_l4proto),
      field("fd.sockfamily", FT::kString, "Socket family: ip or unix.", &fd_sockfamily),
      field("fd.is_server", FT::kBool,
            "True if this process holds the server end of the socket (an accepted socket, or "
            "an inet socket not connected yet).",
            &fd_is_server),
      field("fd.connected", FT::kBool, "True if the socket is connected.", &fd_connected),
      field("fd.name_changed", FT::kBool, "True when the event changed the descriptor's name.",
            &fd_name_changed),
      field("fd.cip.name", FT::kString, "Domain name of the client IP (not resolved: <NA>).",
            &no_value),
      field("fd.sip.name", FT::kString, "Domain name of the server IP (not resolved: <NA>).",
            &no_value),
      field("fd.lip.name", FT::kString, "Domain name of the local IP (not resolved: <NA>).",
            &no_value),
      field("fd.rip.name", FT::kString, "Domain name of the remote IP (not resolved: <NA>).",
            &no_value),
  };
}

}  // namespace saker::syscall::fields
