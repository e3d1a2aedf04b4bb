// The audit webhook: an HTTPS (or, if configured, plain HTTP) server that accepts what
// the Kubernetes API server's webhook backend POSTs (EventList, Event or an array of
// events, application/json) on one path, and queues the events for next_batch.
//
// Every refusal has its status and a counter: 400 malformed / too deep / not events,
// 401 bearer token missing or wrong, 404 other paths, 405 other methods, 413 body or
// event too large, 415 not application/json, 503 queue full (with Retry-After). With
// `client_ca` set, TLS clients must present a certificate signed by that CA.
//
// Threads: start() binds (throws on failure) and runs the acceptor on its own thread,
// requests are served by a fixed pool of `threads` workers; stop() (also from the
// destructor) closes the listener and joins every thread. Slow clients are cut off by
// the read timeout. Only the queue and Stats are shared with other threads.
#pragma once

#include <atomic>
#include <memory>
#include <thread>

#include "config.h"
#include "event_queue.h"
#include "stats.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

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
  void install_handlers();
  void handle_post(const httplib::Request& req, httplib::Response& res);
  bool authorized(const httplib::Request& req) const;
  void log_response(const httplib::Request& req, const httplib::Response& res);

  WebhookConfig cfg_;
  ParseLimits limits_;
  EventQueue* queue_;
  Stats* stats_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};
  int port_ = 0;
};

}  // namespace saker::k8saudit
