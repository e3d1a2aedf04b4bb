// Live driver, socket syscalls (root): socket, bind, listen, connect and accept/accept4 over
// TCP on 127.0.0.1 and ::1, UDP, and unix sockets (tuple direction, addresses and ports),
// socketpair, sendto/recvfrom — success and failure, descriptors in dirty registers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

std::array<std::uint8_t, 16> v4(const char* a) {
  std::array<std::uint8_t, 16> r{};
  REQUIRE(inet_pton(AF_INET, a, r.data()) == 1);
  return r;
}
std::array<std::uint8_t, 16> v6(const char* a) {
  std::array<std::uint8_t, 16> r{};
  REQUIRE(inet_pton(AF_INET6, a, r.data()) == 1);
  return r;
}

sockaddr_in loopback4(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

std::uint16_t local_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0);
  return ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                                 : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
}

auto fd_is(long fd) {
  return [fd](const scap::EventView& v) { return pint(v, "fd") == fd; };
}

void check_endpoint(const scap::IpEndpoint& e, const std::array<std::uint8_t, 16>& addr,
                    std::uint16_t port) {
  CHECK(e.addr == addr);
  CHECK(e.port == port);
}

}  // namespace

TEST_CASE("live TCP over 127.0.0.1: socket, bind, listen, connect, accept4, accept") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"socket", "bind", "listen", "connect", "accept", "accept4"});
  int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(srv >= 0);
  auto so = h.next(SAKER_EVT_SOCKET_X, fd_is(srv));
  REQUIRE_MESSAGE(so, "seen: " << h.seen());
  check_header(so->view(), SAKER_EVT_SOCKET_X, this_tid());
  CHECK(puint(so->view(), "domain") == 2u);
  CHECK(puint(so->view(), "type") == static_cast<std::uint64_t>(SOCK_STREAM | SOCK_CLOEXEC));
  CHECK(puint(so->view(), "proto") == 0u);
  CHECK(socket(9999, SOCK_STREAM, 0) == -1);
  auto sof = h.next(SAKER_EVT_SOCKET_X,
                    [](const scap::EventView& v) { return pint(v, "fd") == -EAFNOSUPPORT; });
  REQUIRE(sof);
  CHECK(puint(sof->view(), "domain") == 9999u);

  sockaddr_in any = loopback4(0);
  REQUIRE(bind(srv, reinterpret_cast<sockaddr*>(&any), sizeof(any)) == 0);
  const std::uint16_t port = local_port(srv);
  auto bi = h.next(SAKER_EVT_BIND_X, fd_is(srv));
  REQUIRE(bi);
  check_header(bi->view(), SAKER_EVT_BIND_X, this_tid());
  CHECK(pint(bi->view(), "res") == 0);
  auto ba = paddr(bi->view(), "addr");
  REQUIRE(ba);
  CHECK(ba->family == 2);
  check_endpoint(ba->ip, v4("127.0.0.1"), 0);
  // failure: the port is taken
  int other = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in taken = loopback4(port);
  CHECK(bind(other, reinterpret_cast<sockaddr*>(&taken), sizeof(taken)) == -1);
  auto bif = h.next(SAKER_EVT_BIND_X, fd_is(other));
  REQUIRE(bif);
  CHECK(pint(bif->view(), "res") == -EADDRINUSE);
  check_endpoint(paddr(bif->view(), "addr")->ip, v4("127.0.0.1"), port);
  close(other);

  REQUIRE(listen(srv, 16) == 0);
  auto li = h.next(SAKER_EVT_LISTEN_X, fd_is(srv));
  REQUIRE(li);
  check_header(li->view(), SAKER_EVT_LISTEN_X, this_tid());
  CHECK(pint(li->view(), "res") == 0);
  CHECK(pint(li->view(), "backlog") == 16);
  CHECK(syscall(SYS_listen, dirty32(-1), 5) == -1);
  auto lif =
      h.next(SAKER_EVT_LISTEN_X, [](const scap::EventView& v) { return pint(v, "res") == -EBADF; });
  REQUIRE(lif);
  CHECK(pint(lif->view(), "fd") == -1);
  CHECK(pint(lif->view(), "backlog") == 5);

  // two clients: the second waits in the queue while the first is accepted
  int c1 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int c2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to = loopback4(port);
  REQUIRE(connect(c1, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0);
  REQUIRE(connect(c2, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0);
  const std::uint16_t p1 = local_port(c1), p2 = local_port(c2);
  auto co = h.next(SAKER_EVT_CONNECT_X, fd_is(c1));
  REQUIRE_MESSAGE(co, "seen: " << h.seen());
  check_header(co->view(), SAKER_EVT_CONNECT_X, this_tid());
  CHECK(pint(co->view(), "res") == 0);
  auto ct = ptuple(co->view(), "tuple");
  REQUIRE(ct);
  CHECK(ct->family == 2);
  check_endpoint(ct->src, v4("127.0.0.1"), p1);  // connect: local end first
  check_endpoint(ct->dst, v4("127.0.0.1"), port);
  auto ca = paddr(co->view(), "addr");
  REQUIRE(ca);
  check_endpoint(ca->ip, v4("127.0.0.1"), port);

  int a1 = accept4(srv, nullptr, nullptr, SOCK_CLOEXEC);
  REQUIRE(a1 >= 0);
  auto ac = h.next(SAKER_EVT_ACCEPT4_6_X, fd_is(a1));
  REQUIRE_MESSAGE(ac, "seen: " << h.seen());
  check_header(ac->view(), SAKER_EVT_ACCEPT4_6_X, this_tid());
  auto at = ptuple(ac->view(), "tuple");
  REQUIRE(at);
  check_endpoint(at->src, v4("127.0.0.1"), p1);  // accept: the peer first
  check_endpoint(at->dst, v4("127.0.0.1"), port);
  CHECK(pint(ac->view(), "flags") == SOCK_CLOEXEC);
  CHECK(puint(ac->view(), "queuemax") == 16u);
  CHECK(puint(ac->view(), "queuelen") == 1u);  // c2 still waiting
  CHECK(puint(ac->view(), "queuepct") == 6u);  // 1 of 16
  int a2 = accept(srv, nullptr, nullptr);
  REQUIRE(a2 >= 0);
  auto ac2 = h.next(SAKER_EVT_ACCEPT_5_X, fd_is(a2));
  REQUIRE(ac2);
  check_header(ac2->view(), SAKER_EVT_ACCEPT_5_X, this_tid());
  check_endpoint(ptuple(ac2->view(), "tuple")->src, v4("127.0.0.1"), p2);
  CHECK(puint(ac2->view(), "queuelen") == 0u);
  CHECK(puint(ac2->view(), "queuepct") == 0u);
  // failure: accept4 on a socket that does not listen
  CHECK(accept4(c1, nullptr, nullptr, 0) == -1);
  auto acf = h.next(SAKER_EVT_ACCEPT4_6_X,
                    [](const scap::EventView& v) { return pint(v, "fd") == -EINVAL; });
  REQUIRE(acf);
  CHECK(psize(acf->view(), "tuple") == 0u);
  // a non-blocking accept with nothing queued fails: no queue figures either
  int lnb = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in any2 = loopback4(0);
  REQUIRE(bind(lnb, reinterpret_cast<sockaddr*>(&any2), sizeof(any2)) == 0);
  REQUIRE(listen(lnb, 8) == 0);
  CHECK(accept4(lnb, nullptr, nullptr, 0) == -1);
  auto acq = h.next(SAKER_EVT_ACCEPT4_6_X,
                    [](const scap::EventView& v) { return pint(v, "fd") == -EAGAIN; });
  REQUIRE(acq);
  CHECK(puint(acq->view(), "queuemax") == 0u);
  CHECK(puint(acq->view(), "queuelen") == 0u);
  close(lnb);

  // a non-blocking connect in progress (EINPROGRESS) already has both ends
  int nb = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  const int nr = connect(nb, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  const long nres = nr == 0 ? 0 : -errno;
  REQUIRE((nres == 0 || nres == -EINPROGRESS));
  auto ip = h.next(SAKER_EVT_CONNECT_X, fd_is(nb));
  REQUIRE(ip);
  CHECK(pint(ip->view(), "res") == nres);
  auto ipt = ptuple(ip->view(), "tuple");
  REQUIRE(ipt);
  check_endpoint(ipt->src, v4("127.0.0.1"), local_port(nb));
  check_endpoint(ipt->dst, v4("127.0.0.1"), port);
  close(nb);

  // failure: connection refused; no tuple, the address still there
  close(a1);
  close(a2);
  close(srv);
  int c3 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(connect(c3, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == -1);
  auto cf = h.next(SAKER_EVT_CONNECT_X, fd_is(c3));
  REQUIRE(cf);
  CHECK(pint(cf->view(), "res") == -ECONNREFUSED);
  CHECK(psize(cf->view(), "tuple") == 0u);
  check_endpoint(paddr(cf->view(), "addr")->ip, v4("127.0.0.1"), port);
  close(c1);
  close(c2);
  close(c3);
}

TEST_CASE("live TCP over ::1: connect and accept tuples in IPv6") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"connect", "accept4", "bind"});
  int srv = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(srv >= 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  REQUIRE(bind(srv, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  auto bi = h.next(SAKER_EVT_BIND_X, fd_is(srv));
  REQUIRE(bi);
  CHECK(paddr(bi->view(), "addr")->family == 10);
  check_endpoint(paddr(bi->view(), "addr")->ip, v6("::1"), 0);
  REQUIRE(listen(srv, 4) == 0);
  const std::uint16_t port = local_port(srv);
  a.sin6_port = htons(port);
  int c = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  const std::uint16_t cp = local_port(c);
  auto co = h.next(SAKER_EVT_CONNECT_X, fd_is(c));
  REQUIRE(co);
  auto t = ptuple(co->view(), "tuple");
  REQUIRE(t);
  CHECK(t->family == 10);
  check_endpoint(t->src, v6("::1"), cp);
  check_endpoint(t->dst, v6("::1"), port);
  CHECK(paddr(co->view(), "addr")->family == 10);
  check_endpoint(paddr(co->view(), "addr")->ip, v6("::1"), port);
  int ac = accept4(srv, nullptr, nullptr, 0);
  REQUIRE(ac >= 0);
  auto ae = h.next(SAKER_EVT_ACCEPT4_6_X, fd_is(ac));
  REQUIRE(ae);
  auto at = ptuple(ae->view(), "tuple");
  REQUIRE(at);
  CHECK(at->family == 10);
  check_endpoint(at->src, v6("::1"), cp);
  check_endpoint(at->dst, v6("::1"), port);
  CHECK(pint(ae->view(), "flags") == 0);
  close(ac);
  close(c);
  close(srv);
}

TEST_CASE("live UDP: connect, sendto and recvfrom with tuples and data") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"connect", "sendto", "recvfrom"});
  int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in a = loopback4(0);
  REQUIRE(bind(rx, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  const std::uint16_t port = local_port(rx);
  a.sin_port = htons(port);
  int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  // unconnected: the destination is the sendto address
  const std::string msg(120, 'u');
  REQUIRE(sendto(tx, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 120);
  const std::uint16_t txp = local_port(tx);
  auto se = h.next(SAKER_EVT_SENDTO_X, fd_is(tx));
  REQUIRE_MESSAGE(se, "seen: " << h.seen());
  check_header(se->view(), SAKER_EVT_SENDTO_X, this_tid());
  CHECK(pint(se->view(), "res") == 120);
  CHECK(pbytes(se->view(), "data") == msg.substr(0, 80));  // cut at the default snaplen
  CHECK(puint(se->view(), "size") == 120u);
  auto st = ptuple(se->view(), "tuple");
  REQUIRE(st);
  CHECK(st->family == 2);
  check_endpoint(st->dst, v4("127.0.0.1"), port);
  CHECK(st->src.port == txp);
  char buf[256];
  sockaddr_in from{};
  socklen_t fl = sizeof(from);
  REQUIRE(recvfrom(rx, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &fl) == 120);
  auto re = h.next(SAKER_EVT_RECVFROM_X, fd_is(rx));
  REQUIRE(re);
  check_header(re->view(), SAKER_EVT_RECVFROM_X, this_tid());
  CHECK(pint(re->view(), "res") == 120);
  CHECK(pbytes(re->view(), "data") == msg.substr(0, 80));
  CHECK(puint(re->view(), "size") == sizeof(buf));
  auto rt = ptuple(re->view(), "tuple");
  REQUIRE(rt);
  check_endpoint(rt->src, v4("127.0.0.1"), txp);  // received: the sender first
  check_endpoint(rt->dst, v4("127.0.0.1"), port);

  // connected UDP: the kernel's tuple
  REQUIRE(connect(tx, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  auto co = h.next(SAKER_EVT_CONNECT_X, fd_is(tx));
  REQUIRE(co);
  CHECK(pint(co->view(), "res") == 0);
  check_endpoint(ptuple(co->view(), "tuple")->src, v4("127.0.0.1"), txp);
  check_endpoint(ptuple(co->view(), "tuple")->dst, v4("127.0.0.1"), port);

  // failures: a bad descriptor (dirty register); recvfrom with nothing queued
  CHECK(syscall(SYS_sendto, dirty32(-1), msg.data(), 10, 0, nullptr, 0) == -1);
  auto sf =
      h.next(SAKER_EVT_SENDTO_X, [](const scap::EventView& v) { return pint(v, "res") == -EBADF; });
  REQUIRE(sf);
  CHECK(pint(sf->view(), "fd") == -1);
  CHECK(psize(sf->view(), "tuple") == 0u);
  CHECK(pbytes(sf->view(), "data") == msg.substr(0, 10));  // what it was asked to send
  CHECK(recvfrom(rx, buf, sizeof(buf), MSG_DONTWAIT, nullptr, nullptr) == -1);
  auto rf = h.next(SAKER_EVT_RECVFROM_X,
                   [](const scap::EventView& v) { return pint(v, "res") == -EAGAIN; });
  REQUIRE(rf);
  CHECK(pbytes(rf->view(), "data").empty());
  CHECK(psize(rf->view(), "tuple") == 0u);
  close(tx);
  close(rx);
}

TEST_CASE("live unix sockets: bind, connect, accept with paths; socketpair") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"bind", "connect", "accept4", "socketpair"});
  TempDir dir;
  const std::string path = dir / "sock";
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
  REQUIRE(bind(srv, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  auto bi = h.next(SAKER_EVT_BIND_X, fd_is(srv));
  REQUIRE(bi);
  CHECK(paddr(bi->view(), "addr")->family == 1);
  CHECK(paddr(bi->view(), "addr")->unix_path == path);
  REQUIRE(listen(srv, 4) == 0);
  int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0);
  auto co = h.next(SAKER_EVT_CONNECT_X, fd_is(c));
  REQUIRE_MESSAGE(co, "seen: " << h.seen());
  check_header(co->view(), SAKER_EVT_CONNECT_X, this_tid());
  auto t = ptuple(co->view(), "tuple");
  REQUIRE(t);
  CHECK(t->family == 1);
  // outbound: the peer (the server end) first, then this socket; the peer's name
  CHECK(t->unix_src != 0u);
  CHECK(t->unix_dst != 0u);
  CHECK(t->unix_src != t->unix_dst);
  CHECK(t->unix_path == path);
  CHECK(paddr(co->view(), "addr")->unix_path == path);
  int ac = accept4(srv, nullptr, nullptr, SOCK_CLOEXEC);
  REQUIRE(ac >= 0);
  auto ae = h.next(SAKER_EVT_ACCEPT4_6_X, fd_is(ac));
  REQUIRE(ae);
  auto at = ptuple(ae->view(), "tuple");
  REQUIRE(at);
  CHECK(at->family == 1);
  CHECK(at->unix_path == path);
  // inbound: this socket (the server end) first, then its peer (the connecting socket)
  CHECK(at->unix_src == t->unix_src);
  CHECK(at->unix_dst == t->unix_dst);
  // failure: nobody listens there
  const std::string none = dir / "none";
  sockaddr_un b{};
  b.sun_family = AF_UNIX;
  std::strncpy(b.sun_path, none.c_str(), sizeof(b.sun_path) - 1);
  int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CHECK(connect(c2, reinterpret_cast<sockaddr*>(&b), sizeof(b)) == -1);
  auto cf = h.next(SAKER_EVT_CONNECT_X, fd_is(c2));
  REQUIRE(cf);
  CHECK(pint(cf->view(), "res") == -ENOENT);
  CHECK(paddr(cf->view(), "addr")->unix_path == none);

  // an abstract name (a NUL first byte, not terminated): the name without the NUL, as the
  // scap drivers write it
  const std::string abs_name = "saker-abs-" + std::to_string(getpid());
  sockaddr_un ab{};
  ab.sun_family = AF_UNIX;
  std::memcpy(ab.sun_path + 1, abs_name.data(), abs_name.size());
  const socklen_t ablen =
      static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + abs_name.size());
  int asrv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(bind(asrv, reinterpret_cast<sockaddr*>(&ab), ablen) == 0);
  auto abi = h.next(SAKER_EVT_BIND_X, fd_is(asrv));
  REQUIRE(abi);
  CHECK(paddr(abi->view(), "addr")->unix_path == abs_name);
  REQUIRE(listen(asrv, 1) == 0);
  int acl = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(connect(acl, reinterpret_cast<sockaddr*>(&ab), ablen) == 0);
  auto aco = h.next(SAKER_EVT_CONNECT_X, fd_is(acl));
  REQUIRE(aco);
  CHECK(ptuple(aco->view(), "tuple")->unix_path == abs_name);
  CHECK(paddr(aco->view(), "addr")->unix_path == abs_name);
  close(acl);
  close(asrv);

  int sv[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  auto sp = h.next(SAKER_EVT_SOCKETPAIR_X);
  REQUIRE_MESSAGE(sp, "seen: " << h.seen());
  check_header(sp->view(), SAKER_EVT_SOCKETPAIR_X, this_tid());
  CHECK(pint(sp->view(), "res") == 0);
  CHECK(pint(sp->view(), "fd1") == sv[0]);
  CHECK(pint(sp->view(), "fd2") == sv[1]);
  CHECK(puint(sp->view(), "source") != 0u);
  CHECK(puint(sp->view(), "peer") != 0u);
  CHECK(puint(sp->view(), "source") != puint(sp->view(), "peer"));
  CHECK(puint(sp->view(), "domain") == 1u);
  CHECK(puint(sp->view(), "type") == static_cast<std::uint64_t>(SOCK_STREAM | SOCK_CLOEXEC));
  CHECK(puint(sp->view(), "proto") == 0u);
  CHECK(socketpair(AF_INET, SOCK_STREAM, 0, sv + 0) == -1);
  auto spf = h.next(SAKER_EVT_SOCKETPAIR_X);
  REQUIRE(spf);
  CHECK(pint(spf->view(), "res") == -EOPNOTSUPP);
  CHECK(pint(spf->view(), "fd1") == -1);
  CHECK(puint(spf->view(), "source") == 0u);
  close(sv[0]);
  close(sv[1]);
  close(c2);
  close(ac);
  close(c);
  close(srv);
}
