// The audit webhook: an HTTPS (or, if configured, plain HTTP) server that accepts what
// the Kubernetes API server's webhook backend POSTs (EventList, Event or an array of
// events, application/json) on one path, and queues the events for next_batch. What a
// request gets is decided by http::RequestHandler; this class owns sockets and threads.
//
// Why not httplib's own server loop: it gives each connection a worker from accept to
// close, reads heads with only a per-read timeout and has a listen backlog of 5, so a
// few clients sending a header byte every 2 s, or idling, held every worker. Here one
// poller thread accepts (backlog `listen_backlog`), completes TLS handshakes and reads
// request heads without blocking, under `header_timeout_ms`, `max_header_bytes` and
// `max_header_count`; only a connection with a complete head goes to a worker (pool of
// `threads`), which runs httplib's request parsing and our handlers over a bounded
// ConnStream; a kept-alive connection then returns to the poller to idle. Connections
// are capped (`max_connections`, `max_idle_connections`: the oldest idle one is closed
// to make room). stop() (also from the destructor) wakes every wait at once through an
// eventfd that all polls include, so it returns promptly whatever clients do.
//
// Threads: start() binds (throws on failure) and starts the poller and the workers;
// start/stop from one thread. Only the queue and Stats are shared with other threads.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "config.h"
#include "event_queue.h"
#include "http/request_handler.h"
#include "stats.h"

namespace saker::k8saudit {

class WebhookServer {
 public:
  WebhookServer(WebhookConfig cfg, ParseLimits limits, EventQueue* queue, Stats* stats);
  ~WebhookServer();
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;

  void start();
  void stop();
  int port() const { return port_; }

 private:
  struct Conn;
  void bind_listener();
  void poll_loop();
  void worker_loop();
  // Worker side: whether the next request's head is complete now or within a few ms
  // (see kHotWaitMs); false leaves what arrived buffered, for the poller.
  bool next_head_arrived(Conn& c);
  void accept_new();
  void take_returned();
  // Reads what a pending connection sent; false when it left the pending list.
  bool service(Conn& c);
  void expire(http::Clock::time_point now);
  // After a refusal: answer sent, stop writing, discard input until the client closes.
  void start_draining(Conn& c);
  void add_pending(std::unique_ptr<Conn> c);
  // Closes connections dropped during a poll round, forgets dispatched ones.
  void compact_pending();
  void evict_oldest();
  void close_conn(std::unique_ptr<Conn> c);

  WebhookConfig cfg_;
  Stats* stats_;
  http::RequestHandler handler_;
  SSL_CTX* tls_ = nullptr;
  int listen_fd_ = -1, stop_fd_ = -1, wake_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> open_{0};
  std::thread poller_;
  std::vector<std::thread> workers_;
  // Poller thread only.
  std::vector<std::unique_ptr<Conn>> pending_;  // oldest first
  // Shared between the poller and the workers.
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Conn>> ready_;      // complete heads, for the workers
  std::vector<std::unique_ptr<Conn>> returned_;  // kept alive, back to the poller
};

}  // namespace saker::k8saudit
