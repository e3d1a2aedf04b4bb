// HTTP/1.1 GET over a unix socket with libcurl (CURLOPT_UNIX_SOCKET_PATH), as container
// runtimes serve their APIs. Every call is bounded in time (connect and total timeouts) and
// in size, and may be cancelled through a flag; none is ever made on the event path (only
// the RuntimeWorker's threads call these). One UnixHttp object per thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace saker::container {

struct HttpResult {
  bool ok = false;    // transport succeeded (any status)
  long status = 0;    // HTTP status
  std::string body;   // the body (truncated requests fail instead)
  std::string error;  // transport error text when !ok
};

class UnixHttp {
 public:
  UnixHttp();
  ~UnixHttp();
  UnixHttp(const UnixHttp&) = delete;
  UnixHttp& operator=(const UnixHttp&) = delete;

  // GET `path` (e.g. "/v1.41/containers/ID/json") from the server on `socket_path`.
  // `cancel` (optional) aborts the transfer soon after it becomes true.
  HttpResult get(const std::string& socket_path, const std::string& path, uint32_t connect_ms,
                 uint32_t total_ms, const std::atomic<bool>* cancel = nullptr,
                 size_t max_body = 8u << 20);

  // Streaming GET: `on_line` gets each newline-terminated line of the body as it arrives.
  // Returns when the server closes, on error, or soon after `stop` becomes true (the
  // transfer is polled at least once a second).
  HttpResult stream_lines(const std::string& socket_path, const std::string& path,
                          uint32_t connect_ms, const std::atomic<bool>& stop,
                          const std::function<void(std::string_view)>& on_line);

 private:
  void* curl_;  // CURL*
};

// curl_global_init, once per process (thread-safe).
void init_curl_once();

}  // namespace saker::container
