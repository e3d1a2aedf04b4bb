// A bounded httplib::Stream over one connection; see conn_stream.h.
#include "conn_stream.h"

#include <poll.h>

#include <cstring>

namespace saker::k8saudit::http {
namespace {
constexpr size_t kReadChunk = 16 * 1024;
}

ConnStream::ConnStream(std::unique_ptr<Transport> t, std::string remote_ip, int remote_port,
                       int stop_fd)
    : t_(std::move(t)),
      remote_ip_(std::move(remote_ip)),
      remote_port_(remote_port),
      stop_fd_(stop_fd) {}

void ConnStream::compact() {
  if (pos_ == in_.size()) {
    in_.clear();
    pos_ = 0;
  } else if (pos_ > kReadChunk) {
    in_.erase(0, pos_);
    pos_ = 0;
  }
}

ssize_t ConnStream::pull(size_t max, short* want) {
  compact();
  size_t old = in_.size();
  in_.resize(old + max);
  ssize_t n = t_->recv(in_.data() + old, max, want);
  in_.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
  return n;
}

void ConnStream::begin_request(size_t head_size, const StreamLimits& limits) {
  limits_ = limits;
  head_left_ = head_size;
  body_bytes_ = 0;
  failure_ = Failure::kNone;
  body_deadline_ = Clock::now() + limits.body_timeout;
}

bool ConnStream::wait(short events, Clock::time_point deadline) {
  if (t_->fd() < 0) return true;  // memory: never blocks
  auto now = Clock::now();
  auto until = std::min(deadline, now + limits_.read_timeout);
  if (events & POLLOUT) until = std::min(deadline, now + limits_.write_timeout);
  for (;;) {
    now = Clock::now();
    if (now >= until) {
      failure_ = Failure::kTimeout;
      return false;
    }
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(until - now).count() + 1);
    pollfd fds[2] = {{t_->fd(), events, 0}, {stop_fd_, POLLIN, 0}};
    int r = ::poll(fds, stop_fd_ >= 0 ? 2 : 1, ms);
    if (r < 0 && errno != EINTR) {
      failure_ = Failure::kError;
      return false;
    }
    if (r > 0 && stop_fd_ >= 0 && (fds[1].revents & POLLIN)) {
      failure_ = Failure::kStopped;
      return false;
    }
    if (r > 0 && fds[0].revents) return true;
  }
}

// Refills the (empty) buffer; false with failure_ set when nothing can be read.
bool ConnStream::fill() {
  for (;;) {
    short want = POLLIN;
    ssize_t n = pull(kReadChunk, &want);
    if (n > 0) return true;
    if (n == 0) {
      failure_ = Failure::kClosed;
      return false;
    }
    if (n != Transport::kWouldBlock) {
      failure_ = Failure::kError;
      return false;
    }
    if (!wait(want, body_deadline_)) return false;
  }
}

ssize_t ConnStream::read(char* ptr, size_t size) {
  if (failure_ != Failure::kNone) return -1;
  if (pos_ == in_.size() && !fill()) return failure_ == Failure::kClosed ? 0 : -1;
  size_t n = std::min(size, in_.size() - pos_);
  // What goes past the head is body, bounded as sent.
  size_t head = std::min(n, head_left_);
  head_left_ -= head;
  if (n > head) {
    size_t room = limits_.max_body_wire_bytes - std::min(body_bytes_, limits_.max_body_wire_bytes);
    if (room == 0) {
      failure_ = Failure::kBodyTooLarge;
      return -1;
    }
    n = head + std::min(n - head, room);
    body_bytes_ += n - head;
  }
  std::memcpy(ptr, in_.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnStream::write(const char* ptr, size_t size) {
  if (failure_ == Failure::kStopped) return -1;
  auto deadline = Clock::now() + limits_.write_timeout;
  size_t done = 0;
  while (done < size) {
    short want = POLLOUT;
    ssize_t n = t_->send(ptr + done, size - done, &want);
    if (n > 0) {
      done += static_cast<size_t>(n);
      deadline = Clock::now() + limits_.write_timeout;
    } else if (n != Transport::kWouldBlock || !wait(want, deadline)) {
      if (failure_ == Failure::kNone) failure_ = Failure::kError;
      return -1;
    }
  }
  return static_cast<ssize_t>(size);
}

void ConnStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_ip_;
  port = remote_port_;
}

void ConnStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip.clear();
  port = 0;
}

}  // namespace saker::k8saudit::http
