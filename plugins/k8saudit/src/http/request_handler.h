// What the webhook does with one HTTP request, given its connection as a ConnStream:
// httplib parses the request (a subclass reaches its protected process_request), our
// pre-routing handler decides everything that can be decided from the head — bearer
// token first, then path, method, Content-Type, Content-Encoding, Transfer-Encoding,
// Content-Length — before a byte of the body is read or inflated, and the POST handler
// streams the body through a receiver that bounds it as decoded (size, and ratio to the
// bytes sent), then splits it into events and queues them all or none.
//
// No sockets here: the server (webhook_server.h) owns connections and threads, the
// fuzz target drives this with memory streams. serve() is thread-safe (per-request
// state lives on the calling thread); the queue and Stats are shared.
#pragma once

#include <httplib.h>

#include "config.h"
#include "conn_stream.h"
#include "event_queue.h"
#include "stats.h"

namespace saker::k8saudit::http {

class RequestHandler : private httplib::Server {
 public:
  RequestHandler(const WebhookConfig& cfg, const ParseLimits& limits, EventQueue* queue,
                 Stats* stats);

  // What to do with a connection after a request.
  enum class Next {
    kKeep,    // it may carry another request
    kClose,   // an error, `Connection: close`, or `last` set
    kLinger,  // refused with (part of) its body unread: the client is probably still
              // sending it, and closing now would reset the connection before the client
              // reads our answer; the caller discards its input for a bounded time first
  };
  // Serves the request whose head (`head_size` bytes) is buffered in `conn`.
  Next serve(ConnStream& conn, size_t head_size, bool last);

  StreamLimits stream_limits() const;

 private:
  HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res);
  void handle_post(const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader);
  void accept_body(std::string&& body, httplib::Response& res);
  bool authorized(const httplib::Request& req) const;
  void log_response(const httplib::Request& req, const httplib::Response& res);

  WebhookConfig cfg_;
  ParseLimits limits_;
  EventQueue* queue_;
  Stats* stats_;
};

}  // namespace saker::k8saudit::http
