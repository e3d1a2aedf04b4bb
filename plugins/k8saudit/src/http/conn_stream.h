// One webhook connection as httplib sees it (an httplib::Stream), with every bound of
// a request enforced at the byte level, whatever httplib asks for: the head must be in
// by its deadline; the body, counted as sent (chunk framing included), stops at its
// byte bound and its deadline; a read waits at most read_timeout for the next bytes;
// a write at most write_timeout; and every wait ends at once when the server stops.
// A failed read says why (failure()), so the handler can answer 413 or 408 rather than
// httplib's generic 400.
//
// Input is buffered here: the poller thread reads the head into the buffer before a
// worker takes the connection; bytes beyond the current request (pipelining) stay for
// the next one. Used by one thread at a time (poller, then one worker, then poller...).
#pragma once

#include <httplib.h>

#include <chrono>
#include <memory>
#include <string>

#include "transport.h"

namespace saker::k8saudit::http {

using Clock = std::chrono::steady_clock;

struct StreamLimits {
  std::chrono::milliseconds body_timeout{30000}, read_timeout{5000}, write_timeout{5000};
  size_t max_body_wire_bytes = SIZE_MAX;
};

class ConnStream : public httplib::Stream {
 public:
  enum class Failure { kNone, kClosed, kError, kTimeout, kBodyTooLarge, kStopped };

  // `stop_fd`: readable when the server stops (-1: none).
  ConnStream(std::unique_ptr<Transport> t, std::string remote_ip, int remote_port, int stop_fd);

  // Reads what is available now into the buffer, without waiting (poller side):
  // >0 bytes, 0 end of stream, -1 error, Transport::kWouldBlock (*want set).
  ssize_t pull(size_t max, short* want);
  std::string_view unread() const { return std::string_view(in_).substr(pos_); }
  Transport& transport() { return *t_; }

  // A worker starts serving a request whose head (`head_size` bytes) is buffered.
  void begin_request(size_t head_size, const StreamLimits& limits);
  Failure failure() const { return failure_; }
  // Body bytes read so far by httplib, as sent (chunk framing included).
  size_t body_wire_bytes() const { return body_bytes_; }

  // httplib::Stream
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return t_->fd(); }

 private:
  // Waits until the transport wants `events`, the deadline, or a stop.
  bool wait(short events, Clock::time_point deadline);
  bool fill();
  void compact();

  std::unique_ptr<Transport> t_;
  std::string remote_ip_;
  int remote_port_;
  int stop_fd_;
  std::string in_;
  size_t pos_ = 0;
  StreamLimits limits_;
  size_t head_left_ = 0, body_bytes_ = 0;
  Clock::time_point body_deadline_{};
  Failure failure_ = Failure::kNone;
};

}  // namespace saker::k8saudit::http
