// The fake runtime (see fake_runtime.h): plain sockets, one thread per connection.
#include "fake_runtime.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace saker::container::testing {
namespace {

void write_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

std::string chunk(const std::string& s) {
  char len[32];
  std::snprintf(len, sizeof len, "%zx\r\n", s.size());
  return len + s + "\r\n";
}

}  // namespace

FakeRuntime::FakeRuntime(std::string socket_path, Mode mode)
    : path_(std::move(socket_path)), mode_(mode) {
  ::unlink(path_.c_str());
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::strncpy(a.sun_path, path_.c_str(), sizeof a.sun_path - 1);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    throw std::runtime_error("bind " + path_ + ": " + std::strerror(errno));
  }
  if (mode_ == Mode::kRefuse) {
    ::close(listen_fd_);  // the file stays: connect() is refused
    listen_fd_ = -1;
    return;
  }
  ::listen(listen_fd_, 64);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeRuntime::~FakeRuntime() {
  stop_ = true;
  cv_.notify_all();
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& t : conns_) t.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  ::unlink(path_.c_str());
}

void FakeRuntime::add_container(const std::string& id, const std::string& json) {
  std::lock_guard lock(mu_);
  containers_[id] = json;
}

void FakeRuntime::add_image(const std::string& id, const std::string& json) {
  std::lock_guard lock(mu_);
  images_[id] = json;
}

void FakeRuntime::push_event(const std::string& line) {
  {
    std::lock_guard lock(mu_);
    events_.push_back(line);
  }
  cv_.notify_all();
}

void FakeRuntime::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    conns_.emplace_back([this, fd] {
      serve(fd);
      ::close(fd);
    });
  }
}

std::string FakeRuntime::answer(const std::string& target, int* status) {
  std::lock_guard lock(mu_);
  *status = 404;
  auto strip = target.find("/containers/");
  if (target.ends_with("/containers/json")) {
    std::string list = "[";
    for (const auto& [id, body] : containers_) {
      if (list.size() > 1) list += ",";
      list += "{\"Id\":\"" + id + "\"}";
    }
    *status = 200;
    return list + "]";
  }
  if (strip != std::string::npos && target.ends_with("/json")) {
    const std::string id = target.substr(strip + 12, target.size() - strip - 12 - 5);
    auto it = containers_.find(id);
    if (it != containers_.end()) {
      *status = 200;
      return it->second;
    }
    return R"({"message":"no such container"})";
  }
  if (auto i = target.find("/images/"); i != std::string::npos && target.ends_with("/json")) {
    const std::string id = target.substr(i + 8, target.size() - i - 8 - 5);
    auto it = images_.find(id);
    if (it != images_.end()) {
      *status = 200;
      return it->second;
    }
  }
  return R"({"message":"not found"})";
}

void FakeRuntime::serve(int fd) {
  std::string req;
  char buf[4096];
  while (req.find("\r\n\r\n") == std::string::npos && !stop_) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.append(buf, static_cast<size_t>(n));
  }
  if (stop_) return;
  requests_++;
  if (mode_ == Mode::kHang) {
    while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return;
  }
  const auto sp1 = req.find(' '), sp2 = req.find(' ', sp1 + 1);
  const std::string target = req.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.find("/events") != std::string::npos) {
    streams_++;
    write_all(fd,
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n");
    size_t sent = 0;
    std::unique_lock lock(mu_);
    sent = events_.size();  // only events pushed after the stream opened
    while (!stop_) {
      cv_.wait_for(lock, std::chrono::milliseconds(50));
      while (sent < events_.size()) {
        const std::string line = events_[sent++] + "\n";
        lock.unlock();
        write_all(fd, chunk(line));
        lock.lock();
      }
    }
    return;
  }
  int status = 0;
  const std::string body = answer(target, &status);
  write_all(fd, "HTTP/1.1 " + std::to_string(status) + (status == 200 ? " OK" : " Not Found") +
                    "\r\nContent-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
}

}  // namespace saker::container::testing
