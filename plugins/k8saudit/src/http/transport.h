// The byte transport under one webhook connection: plain TCP or TLS (OpenSSL) over a
// non-blocking socket, or memory (tests, fuzzing). Calls never block: when a call
// cannot progress it returns kWouldBlock and says which readiness (POLLIN/POLLOUT) it
// waits for, and the caller polls with its own deadlines. One thread at a time.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

using SSL = struct ssl_st;
using SSL_CTX = struct ssl_ctx_st;

namespace saker::k8saudit::http {

class Transport {
 public:
  static constexpr ssize_t kWouldBlock = -2;
  virtual ~Transport() = default;
  // Completes the TLS handshake: 1 done, kWouldBlock (see *want), -1 failed.
  virtual int handshake(short* want) = 0;
  // >0 bytes, 0 end of stream, -1 error, kWouldBlock (see *want).
  virtual ssize_t recv(char* p, size_t n, short* want) = 0;
  virtual ssize_t send(const char* p, size_t n, short* want) = 0;
  // The socket to poll; -1 for memory.
  virtual int fd() const = 0;
};

// Owns `fd` (closed on destruction). With `ctx`, speaks TLS as the server side.
std::unique_ptr<Transport> make_socket_transport(int fd, SSL_CTX* ctx);

// Reads `input` (then end of stream), appends what is sent to *output.
std::unique_ptr<Transport> make_memory_transport(std::string_view input, std::string* output);

// A server-side TLS context: certificate chain and key (PEM, may be one file), and with
// a client CA, client certificates required. Throws sdk::PluginError naming the files.
SSL_CTX* make_tls_context(const std::string& cert, const std::string& key,
                          const std::string& client_ca);
void free_tls_context(SSL_CTX* ctx);

}  // namespace saker::k8saudit::http
