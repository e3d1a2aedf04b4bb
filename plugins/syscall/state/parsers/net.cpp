// Parsers of socket events: socket/socketpair create, bind/listen make a server socket,
// connect/accept fill in both endpoints, and send/recv with an address (UDP) update them.
// Endpoints are stored as client (c*) and server (s*), as Falco's fd.cip/fd.sip are.
#include "param_format.h"
#include "parsers.h"

namespace saker::syscall::parsers {
namespace {

// The parameters these parsers read, their indexes per event type found once.
const ParamKey kArg_addr{"addr"};
const ParamKey kArg_domain{"domain"};
const ParamKey kArg_peer{"peer"};
const ParamKey kArg_proto{"proto"};
const ParamKey kArg_source{"source"};
const ParamKey kArg_tuple{"tuple"};
const ParamKey kArg_type{"type"};


constexpr std::int64_t kAfUnix = 1, kAfInet = 2, kAfInet6 = 10, kAfNetlink = 16;
constexpr std::uint64_t kSockStream = 1, kSockDgram = 2, kSockRaw = 3;

std::uint8_t l4_from_socket(std::uint64_t type, std::uint64_t proto) {
  type &= 0xf;                              // strip SOCK_NONBLOCK / SOCK_CLOEXEC
  if (proto == 1 || proto == 58) return 4;  // IPPROTO_ICMP / ICMPV6
  if (type == kSockStream) return 2;
  if (type == kSockDgram) return 3;
  if (type == kSockRaw) return 5;
  return 0;
}

void parse_socket(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0 || !ctx.thread) return;
  FdInfo f;
  f.fd = *res;
  auto domain = ctx.arg_int(kArg_domain).value_or(0);
  if (domain == kAfInet)
    f.type = FdType::kIpv4Sock;
  else if (domain == kAfInet6)
    f.type = FdType::kIpv6Sock;
  else if (domain == kAfUnix)
    f.type = FdType::kUnixSock;
  else if (domain == kAfNetlink)
    f.type = FdType::kNetlink;
  else
    f.type = FdType::kUnknown;
  f.l4proto = l4_from_socket(ctx.arg_uint(kArg_type).value_or(0), ctx.arg_uint(kArg_proto).value_or(0));
  if (FdInfo* stored = ctx.thread->fds->add(std::move(f))) ctx.fd = stored;
  ctx.fd_num = *res;
  ctx.has_fd = true;
}

void parse_socketpair(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0 || !ctx.thread) return;
  for (const char* n : {"fd1", "fd2"}) {
    auto fd = ctx.arg_int(n);
    if (!fd) continue;
    FdInfo f;
    f.fd = *fd;
    f.type = FdType::kUnixSock;
    f.unix_src = ctx.arg_uint(kArg_source).value_or(0);
    f.unix_dst = ctx.arg_uint(kArg_peer).value_or(0);
    ctx.thread->fds->add(std::move(f));
  }
}

// Copy a socket tuple into `fd`; `inbound` tuples (accept, recv) have the peer as source.
void apply_tuple(FdInfo& fd, const scap::SockTuple& t, bool client_is_src) {
  if (t.family == kAfUnix) {
    fd.type = FdType::kUnixSock;
    fd.unix_src = t.unix_src;
    fd.unix_dst = t.unix_dst;
    fd.name = scap::format_socktuple(t);  // "src->dst path", as Falco names unix sockets
    return;
  }
  if (t.family != kAfInet && t.family != kAfInet6) return;
  if (!fd.is_inet() || (t.family == kAfInet6) != fd.is_ipv6()) {
    fd.type = t.family == kAfInet6 ? FdType::kIpv6Sock : FdType::kIpv4Sock;
  }
  const scap::IpEndpoint& c = client_is_src ? t.src : t.dst;
  const scap::IpEndpoint& s = client_is_src ? t.dst : t.src;
  fd.cip = c.addr;
  fd.cport = c.port;
  // An unbound datagram socket reports the unspecified address as its source; Falco
  // shows the destination's address there instead (e.g. "::1:0->::1:2345").
  if (fd.cip == std::array<std::uint8_t, 16>{}) fd.cip = s.addr;
  fd.sip = s.addr;
  fd.sport = s.port;
  fd.connected = true;
  update_socket_name(fd);
}

std::optional<scap::SockTuple> tuple_of(const EventContext& ctx) {
  ArgRef a = ctx.arg(kArg_tuple);
  return a ? a.view->param_socktuple(a.index) : std::nullopt;
}

void parse_connect(State&, EventContext& ctx) {
  auto res = ctx.res();
  auto t = tuple_of(ctx);
  // A failed connect leaves the socket as it was (Falco 0.43: a unix socket whose connect
  // failed stays unnamed); one still in progress (non-blocking) is connecting to the tuple.
  constexpr std::int64_t kEinprogress = -115;
  if (!res || (*res < 0 && *res != kEinprogress) || !t || !ctx.thread || !ctx.has_fd) return;
  FdInfo* fd = ctx.thread->fds->find_mut(ctx.fd_num);
  if (!fd) return;
  ctx.fd = fd;  // find_mut may have made the table its own copy
  fd->role = FdRole::kClient;
  apply_tuple(*fd, *t, true);
}

void parse_accept(State&, EventContext& ctx) {
  auto res = ctx.res();
  auto t = tuple_of(ctx);
  if (!res || *res < 0 || !ctx.thread) return;
  // Built in its table slot (no temporary: the slot's name buffer is reused).
  FdInfo* f = ctx.thread->fds->slot(*res);
  if (!f) {
    f = &ctx.fd_scratch;
    *f = FdInfo{};
    f->fd = *res;
  } else {
    ctx.fd = f;
  }
  f->role = FdRole::kServer;
  if (t) {
    // The driver writes accept's tuple as peer -> local.
    apply_tuple(*f, *t, true);
    // accept only works on connection-oriented sockets: TCP for inet ones.
    if (f->is_inet()) f->l4proto = 2;
  }
  ctx.fd_num = *res;
  ctx.has_fd = true;
}

void parse_bind(State&, EventContext& ctx) {
  auto res = ctx.res();
  ArgRef a = ctx.arg(kArg_addr);
  if (!res || *res < 0 || !a || !ctx.thread || !ctx.has_fd) return;
  auto addr = a.view->param_sockaddr(a.index);
  if (!addr || !ctx.thread->fds->find(ctx.fd_num)) return;
  if (addr->family != kAfUnix && addr->family != kAfInet && addr->family != kAfInet6) return;
  FdInfo* fd = ctx.thread->fds->find_mut(ctx.fd_num);
  ctx.fd = fd;  // find_mut may have made the table its own copy
  if (addr->family == kAfUnix) {
    fd->name = std::string(addr->unix_path);
    return;
  }
  fd->sip = addr->ip.addr;
  fd->sport = addr->ip.port;
  // Until it is connected, a bound socket is named by its local address ("ip:port").
  if (fd->name.empty()) {
    fd->name = ip_text(addr->ip.addr, fd->is_ipv6()) + ":" + std::to_string(addr->ip.port);
  }
}

void parse_listen(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0 || !ctx.thread || !ctx.has_fd) return;
  const FdInfo* cur = ctx.thread->fds->find(ctx.fd_num);
  if (!cur || !cur->is_inet()) return;
  FdInfo* fd = ctx.thread->fds->find_mut(ctx.fd_num);
  ctx.fd = fd;  // find_mut may have made the table its own copy
  fd->role = FdRole::kServer;
  fd->type = fd->is_ipv6() ? FdType::kIpv6ServSock : FdType::kIpv4ServSock;
  fd->name = ip_text(fd->sip, fd->is_ipv6()) + ":" + std::to_string(fd->sport);
}

// sendto/sendmsg carry local -> remote; recvfrom/recvmsg remote -> local. A datagram
// socket's endpoints follow the last address used, as Falco's fd.name does.
template <bool kSend>
void parse_rw_tuple(State&, EventContext& ctx) {
  auto t = tuple_of(ctx);
  if (!t || !ctx.thread || !ctx.has_fd) return;
  const FdInfo* cur = ctx.thread->fds->find(ctx.fd_num);
  if (!cur || cur->type == FdType::kUnixSock) return;
  if (cur->connected && cur->l4proto == 2) return;  // a TCP connection never changes
  FdInfo* fd = ctx.thread->fds->find_mut(ctx.fd_num);
  ctx.fd = fd;  // find_mut may have made the table its own copy
  if (fd->role == FdRole::kNone) fd->role = kSend ? FdRole::kClient : FdRole::kServer;
  apply_tuple(*fd, *t, kSend ? fd->role == FdRole::kClient : fd->role == FdRole::kServer);
}

}  // namespace

void register_net(ParserTable& t) {
  on_event(t, "socket", &parse_socket);
  on_event(t, "socketpair", &parse_socketpair);
  on_event(t, "connect", &parse_connect);
  for (auto n : {"accept", "accept4"}) on_event(t, n, &parse_accept);
  on_event(t, "bind", &parse_bind);
  on_event(t, "listen", &parse_listen);
  for (auto n : {"sendto", "sendmsg"}) on_event(t, n, &parse_rw_tuple<true>);
  for (auto n : {"recvfrom", "recvmsg"}) on_event(t, n, &parse_rw_tuple<false>);
}

}  // namespace saker::syscall::parsers
