// The audit webhook server: listener, poller and workers; see webhook_server.h.
#include "webhook_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <saker/sdk/types.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "http/head_scanner.h"

namespace saker::k8saudit {

using http::Clock;

struct WebhookServer::Conn {
  enum class Phase { kHandshake, kHead, kIdle, kDraining };
  Conn(std::unique_ptr<http::ConnStream> s, const HttpLimits& l)
      : stream(std::move(s)), scan(l.max_header_bytes, l.max_header_count) {}
  std::unique_ptr<http::ConnStream> stream;
  http::HeadScanner scan;
  Phase phase = Phase::kHead;
  Clock::time_point deadline{};
  short want = POLLIN;
  uint32_t requests = 0;
  size_t drained = 0;
  bool done = false;  // left the pending list during this poll round
};

namespace {

constexpr size_t kPullBytes = 16 * 1024;
// Discarding the input of a refused request before closing (so the client reads our
// answer instead of a reset): at most this long, and at most kDrainBytes + max_body_bytes.
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr size_t kDrainBytes = 1024 * 1024;
// After a response on a kept-alive connection, the worker waits this long for the next
// request's head before handing the connection back to the poller: a client sending
// requests back to back (the API server's batches) skips two thread hand-overs per
// request, and a worker is held at most this long by a silent client.
constexpr int kHotWaitMs = 3;

std::string address_text(const sockaddr_storage& ss, int* port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof(buf));
    *port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof(buf));
    *port = ntohs(a->sin6_port);
  }
  return buf;
}

// Best effort, never waits: the client is being dropped anyway.
void send_status_line(http::Transport& t, const char* status) {
  std::string msg =
      std::string("HTTP/1.1 ") + status + "\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
  short want = 0;
  t.send(msg.data(), msg.size(), &want);
}

}  // namespace

WebhookServer::WebhookServer(WebhookConfig cfg, ParseLimits limits, EventQueue* queue, Stats* stats)
    : cfg_(std::move(cfg)), stats_(stats), handler_(cfg_, limits, queue, stats) {}

WebhookServer::~WebhookServer() { stop(); }

void WebhookServer::bind_listener() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  std::string where = cfg_.host + ":" + std::to_string(cfg_.port);
  std::string port = std::to_string(cfg_.port);
  if (getaddrinfo(cfg_.host.c_str(), port.c_str(), &hints, &res) != 0 || !res) {
    throw sdk::PluginError("k8saudit webhook cannot listen on " + where + ": bad address");
  }
  int err = 0;
  for (addrinfo* ai = res; ai && listen_fd_ < 0; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
      err = errno;
      continue;
    }
    // SO_REUSEADDR only (httplib's default adds SO_REUSEPORT, with which a second
    // saker on the same port would bind silently and the kernel would split the API
    // server's connections between the two).
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
        ::listen(fd, cfg_.http.listen_backlog) == 0) {
      listen_fd_ = fd;
    } else {
      err = errno;
      ::close(fd);
    }
  }
  freeaddrinfo(res);
  if (listen_fd_ < 0) {
    std::string why = err == EADDRINUSE ? "the port is already in use (another saker, or "
                                          "another program, listens there)"
                                        : std::strerror(err);
    throw sdk::PluginError("k8saudit webhook cannot listen on " + where + ": " + why);
  }
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len);
  address_text(ss, &port_);
}

void WebhookServer::start() {
  if (cfg_.tls) {
    if (cfg_.ssl_certificate.empty() || cfg_.ssl_key.empty()) {
      throw sdk::PluginError("https webhook needs 'ssl_certificate' and 'ssl_key'");
    }
    tls_ = http::make_tls_context(cfg_.ssl_certificate, cfg_.ssl_key, cfg_.client_ca);
  }
  try {
    bind_listener();
  } catch (...) {
    http::free_tls_context(tls_);
    tls_ = nullptr;
    throw;
  }
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  stopping_ = false;
  poller_ = std::thread([this] { poll_loop(); });
  for (size_t i = 0; i < cfg_.threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

void WebhookServer::stop() {
  if (!poller_.joinable()) return;
  stopping_ = true;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t w = ::write(stop_fd_, &one, sizeof(one));  // stays readable
  poller_.join();
  { std::lock_guard lock(mu_); }
  cv_.notify_all();
  for (auto& t : workers_) t.join();
  workers_.clear();
  pending_.clear();
  ready_.clear();
  returned_.clear();
  open_ = 0;
  for (int* fd : {&listen_fd_, &stop_fd_, &wake_fd_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
  http::free_tls_context(tls_);
  tls_ = nullptr;
}

void WebhookServer::close_conn(std::unique_ptr<Conn> c) {
  c.reset();
  --open_;
}

void WebhookServer::compact_pending() {
  for (auto& c : pending_) {
    if (c && c->done) close_conn(std::move(c));
  }
  pending_.erase(std::remove(pending_.begin(), pending_.end(), nullptr), pending_.end());
}

void WebhookServer::evict_oldest() {
  stats_->add(Counter::kConnEvicted);
  close_conn(std::move(pending_.front()));
  pending_.erase(pending_.begin());
}

void WebhookServer::add_pending(std::unique_ptr<Conn> c) {
  compact_pending();
  while (pending_.size() >= cfg_.http.max_idle_connections && !pending_.empty()) evict_oldest();
  pending_.push_back(std::move(c));
}

void WebhookServer::accept_new() {
  for (int i = 0; i < 256; ++i) {
    sockaddr_storage ss{};
    socklen_t len = sizeof(ss);
    int fd =
        ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN, or an error the next poll round retries
    compact_pending();
    if (open_ >= cfg_.http.max_connections) {
      if (pending_.empty()) {  // every connection is being served: no room
        stats_->add(Counter::kConnRefused);
        ::close(fd);
        continue;
      }
      evict_oldest();
    }
    int yes = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
    int port = 0;
    std::string ip = address_text(ss, &port);
    auto c = std::make_unique<Conn>(std::make_unique<http::ConnStream>(
                                        http::make_socket_transport(fd, tls_), ip, port, stop_fd_),
                                    cfg_.http);
    ++open_;
    c->phase = tls_ ? Conn::Phase::kHandshake : Conn::Phase::kHead;
    c->deadline = Clock::now() + std::chrono::milliseconds(cfg_.http.header_timeout_ms);
    add_pending(std::move(c));
    service(*pending_.back());
  }
}

bool WebhookServer::service(Conn& c) {
  auto& t = c.stream->transport();
  auto drop = [&](Counter counter, const char* status) {
    if (status) send_status_line(t, status);
    if (counter != Counter::kCount) stats_->add(counter);
    c.done = true;
    return false;
  };
  if (c.phase == Conn::Phase::kDraining) {
    char buf[64 * 1024];
    for (;;) {
      ssize_t n = ::recv(t.fd(), buf, sizeof(buf), MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        c.want = POLLIN;
        return true;
      }
      if (n <= 0 || (c.drained += static_cast<size_t>(n)) > kDrainBytes + cfg_.http.max_body_bytes)
        return drop(Counter::kCount, nullptr);
    }
  }
  if (c.phase == Conn::Phase::kHandshake) {
    short want = POLLIN;
    int r = t.handshake(&want);
    if (r == http::Transport::kWouldBlock) {
      c.want = want;
      return true;
    }
    if (r != 1) return drop(Counter::kCount, nullptr);
    c.phase = Conn::Phase::kHead;
  }
  for (;;) {
    if (!c.stream->unread().empty()) {
      if (c.phase == Conn::Phase::kIdle) {  // the next request starts: its head deadline
        c.phase = Conn::Phase::kHead;
        c.deadline = Clock::now() + std::chrono::milliseconds(cfg_.http.header_timeout_ms);
      }
      switch (c.scan.feed(c.stream->unread())) {
        case http::HeadScanner::State::kComplete: {
          c.done = true;
          std::lock_guard lock(mu_);
          auto it = std::find_if(pending_.begin(), pending_.end(),
                                 [&](const auto& p) { return p.get() == &c; });
          ready_.push_back(std::move(*it));
          cv_.notify_one();
          return false;
        }
        case http::HeadScanner::State::kTooLarge:
        case http::HeadScanner::State::kTooManyLines:
          stats_->add(Counter::kHeaderTooLarge);
          send_status_line(t, "431 Request Header Fields Too Large");
          start_draining(c);
          return true;
        case http::HeadScanner::State::kIncomplete:
          break;
      }
    }
    short want = POLLIN;
    ssize_t n = c.stream->pull(kPullBytes, &want);
    if (n == http::Transport::kWouldBlock) {
      c.want = want;
      return true;
    }
    if (n <= 0) return drop(Counter::kCount, nullptr);
  }
}

void WebhookServer::start_draining(Conn& c) {
  ::shutdown(c.stream->transport().fd(), SHUT_WR);
  c.phase = Conn::Phase::kDraining;
  c.drained = 0;
  c.want = POLLIN;
  c.deadline = Clock::now() + kDrainTime;
}

void WebhookServer::take_returned() {
  uint64_t v;
  [[maybe_unused]] ssize_t r = ::read(wake_fd_, &v, sizeof(v));
  std::vector<std::unique_ptr<Conn>> back;
  {
    std::lock_guard lock(mu_);
    back.swap(returned_);
  }
  for (auto& c : back) {
    c->scan.reset();
    c->done = false;
    if (c->phase == Conn::Phase::kDraining) {
      start_draining(*c);
    } else {
      c->phase = Conn::Phase::kIdle;
      c->deadline = Clock::now() + std::chrono::seconds(cfg_.http.keep_alive_timeout_s);
    }
    add_pending(std::move(c));
    service(*pending_.back());  // pipelined bytes, or TLS records already decrypted
  }
}

void WebhookServer::expire(Clock::time_point now) {
  for (auto& c : pending_) {
    if (!c || c->done || now < c->deadline) continue;
    c->done = true;
    if (c->phase == Conn::Phase::kIdle || c->phase == Conn::Phase::kDraining) continue;
    stats_->add(Counter::kHeaderTimeout);
    if (c->phase == Conn::Phase::kHead) {
      send_status_line(c->stream->transport(), "408 Request Timeout");
    }
  }
}

void WebhookServer::poll_loop() {
  std::vector<pollfd> fds;
  while (!stopping_) {
    compact_pending();
    stats_->set_connections_gauge(open_);
    fds.assign({{stop_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}});
    auto now = Clock::now();
    auto next = now + std::chrono::seconds(1);
    for (auto& c : pending_) {
      fds.push_back({c->stream->transport().fd(), c->want, 0});
      next = std::min(next, c->deadline);
    }
    int ms = static_cast<int>(std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
    int r = ::poll(fds.data(), fds.size(), ms);
    if (r < 0 && errno != EINTR) break;
    if (fds[0].revents) break;
    size_t n = pending_.size();  // the entries polled; more may be added below
    for (size_t i = 0; i < n; ++i) {
      if (fds[3 + i].revents && pending_[i] && !pending_[i]->done) service(*pending_[i]);
    }
    if (fds[1].revents) take_returned();
    if (fds[2].revents) accept_new();
    expire(Clock::now());
  }
}

bool WebhookServer::next_head_arrived(Conn& c) {
  c.scan.reset();
  auto& t = c.stream->transport();
  for (int round = 0; round < 4; ++round) {
    if (!c.stream->unread().empty()) {
      auto state = c.scan.feed(c.stream->unread());
      if (state != http::HeadScanner::State::kIncomplete) {
        if (state != http::HeadScanner::State::kComplete) c.scan.reset();  // poller: 431
        return state == http::HeadScanner::State::kComplete;
      }
    }
    short want = POLLIN;
    ssize_t n = c.stream->pull(kPullBytes, &want);
    if (n > 0) continue;
    if (n != http::Transport::kWouldBlock || t.fd() < 0) return false;
    pollfd fds[2] = {{t.fd(), want, 0}, {stop_fd_, POLLIN, 0}};
    if (::poll(fds, 2, kHotWaitMs) <= 0 || fds[1].revents) return false;
  }
  return false;  // a head arriving in pieces: the poller takes it from here
}

void WebhookServer::worker_loop() {
  for (;;) {
    std::unique_ptr<Conn> c;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !ready_.empty(); });
      if (stopping_) return;
      c = std::move(ready_.front());
      ready_.pop_front();
    }
    bool last = ++c->requests >= cfg_.http.keep_alive_max_requests;
    auto next = handler_.serve(*c->stream, c->scan.head_size(), last || stopping_);
    while (next == http::RequestHandler::Next::kKeep && !stopping_ && next_head_arrived(*c)) {
      last = ++c->requests >= cfg_.http.keep_alive_max_requests;
      next = handler_.serve(*c->stream, c->scan.head_size(), last || stopping_);
    }
    if (next == http::RequestHandler::Next::kClose || stopping_) {
      close_conn(std::move(c));
      continue;
    }
    c->phase =
        next == http::RequestHandler::Next::kLinger ? Conn::Phase::kDraining : Conn::Phase::kIdle;
    {
      std::lock_guard lock(mu_);
      returned_.push_back(std::move(c));
    }
    uint64_t one = 1;
    [[maybe_unused]] ssize_t w = ::write(wake_fd_, &one, sizeof(one));
  }
}

}  // namespace saker::k8saudit
