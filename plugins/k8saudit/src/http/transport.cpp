// Socket, TLS and memory transports; see transport.h.
#include "transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <saker/sdk/types.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace saker::k8saudit::http {
namespace {

class SocketTransport : public Transport {
 public:
  explicit SocketTransport(int fd) : fd_(fd) {}
  ~SocketTransport() override { ::close(fd_); }
  int handshake(short*) override { return 1; }
  ssize_t recv(char* p, size_t n, short* want) override {
    for (;;) {
      ssize_t r = ::recv(fd_, p, n, 0);
      if (r >= 0) return r;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        *want = POLLIN;
        return kWouldBlock;
      }
      return -1;
    }
  }
  ssize_t send(const char* p, size_t n, short* want) override {
    for (;;) {
      ssize_t r = ::send(fd_, p, n, MSG_NOSIGNAL);
      if (r >= 0) return r;
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        *want = POLLOUT;
        return kWouldBlock;
      }
      return -1;
    }
  }
  int fd() const override { return fd_; }

 protected:
  int fd_;
};

class TlsTransport : public SocketTransport {
 public:
  TlsTransport(int fd, SSL_CTX* ctx) : SocketTransport(fd), ssl_(SSL_new(ctx)) {
    if (ssl_) SSL_set_fd(ssl_, fd);
  }
  ~TlsTransport() override {
    if (ssl_) SSL_free(ssl_);  // no close_notify: the peer may be hostile or gone
  }
  int handshake(short* want) override {
    if (!ssl_) return -1;
    ERR_clear_error();
    int r = SSL_accept(ssl_);
    if (r == 1) return 1;
    return status(r, want);
  }
  ssize_t recv(char* p, size_t n, short* want) override {
    ERR_clear_error();
    int r = SSL_read(ssl_, p, static_cast<int>(std::min<size_t>(n, 1 << 30)));
    if (r > 0) return r;
    if (SSL_get_error(ssl_, r) == SSL_ERROR_ZERO_RETURN) return 0;
    return status(r, want);
  }
  ssize_t send(const char* p, size_t n, short* want) override {
    ERR_clear_error();
    int r = SSL_write(ssl_, p, static_cast<int>(std::min<size_t>(n, 1 << 30)));
    if (r > 0) return r;
    return status(r, want);
  }

 private:
  int status(int r, short* want) {
    switch (SSL_get_error(ssl_, r)) {
      case SSL_ERROR_WANT_READ:
        *want = POLLIN;
        return kWouldBlock;
      case SSL_ERROR_WANT_WRITE:
        *want = POLLOUT;
        return kWouldBlock;
      default:
        return -1;
    }
  }
  SSL* ssl_;
};

class MemoryTransport : public Transport {
 public:
  MemoryTransport(std::string_view in, std::string* out) : in_(in), out_(out) {}
  int handshake(short*) override { return 1; }
  ssize_t recv(char* p, size_t n, short*) override {
    n = std::min(n, in_.size());
    std::memcpy(p, in_.data(), n);
    in_.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t send(const char* p, size_t n, short*) override {
    if (out_) out_->append(p, n);
    return static_cast<ssize_t>(n);
  }
  int fd() const override { return -1; }

 private:
  std::string_view in_;
  std::string* out_;
};

std::string tls_error() {
  char buf[256] = "unknown error";
  unsigned long e = ERR_get_error();
  if (e) ERR_error_string_n(e, buf, sizeof(buf));
  ERR_clear_error();
  return buf;
}

}  // namespace

std::unique_ptr<Transport> make_socket_transport(int fd, SSL_CTX* ctx) {
  if (ctx) return std::make_unique<TlsTransport>(fd, ctx);
  return std::make_unique<SocketTransport>(fd);
}

std::unique_ptr<Transport> make_memory_transport(std::string_view input, std::string* output) {
  return std::make_unique<MemoryTransport>(input, output);
}

SSL_CTX* make_tls_context(const std::string& cert, const std::string& key,
                          const std::string& client_ca) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) throw sdk::PluginError("cannot create a TLS context: " + tls_error());
  auto fail = [&](const std::string& what) {
    std::string why = tls_error();
    SSL_CTX_free(ctx);
    throw sdk::PluginError("cannot load TLS " + what + ": " + why);
  };
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
    fail("certificate '" + cert + "'");
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1)
    fail("key '" + key + "'");
  if (SSL_CTX_check_private_key(ctx) != 1) fail("key '" + key + "' (does not match)");
  if (!client_ca.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, client_ca.c_str(), nullptr) != 1)
      fail("client CA '" + client_ca + "'");
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return ctx;
}

void free_tls_context(SSL_CTX* ctx) {
  if (ctx) SSL_CTX_free(ctx);
}

}  // namespace saker::k8saudit::http
