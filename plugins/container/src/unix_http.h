// HTTP/1.1 GET over a unix socket with libcurl (CURLOPT_UNIX_SOCKET_PATH), as container
// runtimes serve their APIs. Every call is bounded in time (connect and total timeouts) and
// in size, and may be cancelled through a flag; none is ever made on the event path (only
// the RuntimeWorker's threads call these). One UnixHttp object per thread.
//
// The client lives in the companion library libcontainer_http.so (companion.h), the only
// code that includes libcurl (companions/unix_http.cpp): the plugin only sees this
// interface and gets objects from the companion's factory.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
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
  virtual ~UnixHttp() = default;

  // GET `path` (e.g. "/v1.41/containers/ID/json") from the server on `socket_path`.
  // `cancel` (optional) aborts the transfer soon after it becomes true.
  virtual HttpResult get(const std::string& socket_path, const std::string& path,
                         uint32_t connect_ms, uint32_t total_ms,
                         const std::atomic<bool>* cancel = nullptr, size_t max_body = 8u << 20) = 0;

  // Streaming GET: `on_line` gets each newline-terminated line of the body as it arrives.
  // Returns when the server closes, on error, or soon after `stop` becomes true (the
  // transfer is polled at least once a second).
  virtual HttpResult stream_lines(const std::string& socket_path, const std::string& path,
                                  uint32_t connect_ms, const std::atomic<bool>& stop,
                                  const std::function<void(std::string_view)>& on_line) = 0;
};

// The companion's factory (companion.h: kHttpFactory; nullptr if the client cannot be
// made). Defined in libcontainer_http.so only: the plugin reaches it through dlsym.
using HttpClientFactory = UnixHttp* (*)();
// The client itself, for the companion's entry point.
std::unique_ptr<UnixHttp> make_unix_http();

}  // namespace saker::container
