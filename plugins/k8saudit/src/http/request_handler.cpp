// One webhook request; see request_handler.h.
#include "request_handler.h"

#include <openssl/crypto.h>

#include <chrono>

namespace saker::k8saudit::http {
namespace {

constexpr size_t kRatioFreeBytes = 1024 * 1024;  // decoded bytes before the ratio applies

// The request being served on this thread (process_request runs the handlers on the
// calling thread): what the handlers tell serve() about the connection.
struct Current {
  ConnStream* conn = nullptr;
  bool must_close = false;
  bool body_unread = false;
};
thread_local Current* t_current = nullptr;

void reply(httplib::Response& res, int status, const std::string& reason) {
  res.status = status;
  res.set_content(reason + "\n", "text/plain");
}

// A refusal decided before the body was read: the body is still on the wire, so the
// connection cannot carry another request.
httplib::Server::HandlerResponse refuse(httplib::Response& res, int status,
                                        const std::string& reason) {
  reply(res, status, reason);
  res.set_header("Connection", "close");
  if (t_current) t_current->must_close = t_current->body_unread = true;
  return httplib::Server::HandlerResponse::Handled;
}

std::string lower_trimmed(std::string v) {
  v = v.substr(0, v.find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  size_t b = v.find_first_not_of(" \t");
  v = b == std::string::npos ? "" : v.substr(b);
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v;
}

bool is_decimal(const std::string& s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos;
}

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Counter counter_for_status(int status) {
  switch (status) {
    case 400:
      return Counter::kBadRequest;
    case 401:
      return Counter::kUnauthorized;
    case 404:
      return Counter::kNotFound;
    case 405:
      return Counter::kBadMethod;
    case 413:
      return Counter::kTooLarge;
    case 415:
      return Counter::kBadContentType;
    case 431:
      return Counter::kHeaderTooLarge;
    case 503:
      return Counter::kBusy;
    default:
      return Counter::kCount;  // 408 and 501 are counted where they are decided
  }
}

// Receives the body as httplib decodes it (chunks joined, gzip/deflate inflated),
// refusing as soon as it outgrows its bound or its ratio to the bytes sent.
class BodySink {
 public:
  BodySink(const HttpLimits& l, bool encoded, const ConnStream* conn)
      : limits_(l), encoded_(encoded), conn_(conn) {}
  bool append(const char* d, size_t n) {
    size_t cap = encoded_ ? limits_.max_decompressed_bytes : limits_.max_body_bytes;
    if (body_.size() + n > cap) return refuse();
    body_.append(d, n);
    if (encoded_ && body_.size() > kRatioFreeBytes && conn_ &&
        body_.size() / std::max<size_t>(conn_->body_wire_bytes(), 1) >=
            limits_.max_compression_ratio) {
      return refuse();
    }
    return true;
  }
  bool refused() const { return refused_; }
  std::string& body() { return body_; }

 private:
  bool refuse() {
    refused_ = true;
    std::string().swap(body_);
    return false;
  }
  const HttpLimits& limits_;
  bool encoded_;
  const ConnStream* conn_;
  std::string body_;
  bool refused_ = false;
};

}  // namespace

RequestHandler::RequestHandler(const WebhookConfig& cfg, const ParseLimits& limits,
                               EventQueue* queue, Stats* stats)
    : cfg_(cfg), limits_(limits), queue_(queue), stats_(stats) {
  limits_.max_events = queue_->max_events();
  set_payload_max_length(cfg_.http.max_body_bytes);
  set_keep_alive_timeout(cfg_.http.keep_alive_timeout_s);
  set_keep_alive_max_count(cfg_.http.keep_alive_max_requests);
  set_pre_routing_handler(
      [this](const httplib::Request& req, httplib::Response& res) { return pre_route(req, res); });
  Post(".*", [this](const httplib::Request& req, httplib::Response& res,
                    const httplib::ContentReader& reader) { handle_post(req, res, reader); });
  set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    reply(res, 400, "request could not be processed");
    if (t_current) t_current->must_close = true;
  });
  set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    log_response(req, res);
  });
}

StreamLimits RequestHandler::stream_limits() const {
  StreamLimits l;
  l.body_timeout = std::chrono::milliseconds(cfg_.http.body_timeout_ms);
  l.read_timeout = std::chrono::milliseconds(cfg_.http.read_timeout_ms);
  l.write_timeout = std::chrono::milliseconds(cfg_.http.write_timeout_ms);
  // Chunk framing on top of the body: at most a line of hex digits per chunk.
  l.max_body_wire_bytes = cfg_.http.max_body_bytes + cfg_.http.max_body_bytes / 8 + 4096;
  return l;
}

RequestHandler::Next RequestHandler::serve(ConnStream& conn, size_t head_size, bool last) {
  Current cur{&conn, false, false};
  t_current = &cur;
  conn.begin_request(head_size, stream_limits());
  bool closed = false;
  bool ok = process_request(conn, last, closed, nullptr);
  t_current = nullptr;
  auto failure = conn.failure();
  if (ok && cur.body_unread &&
      (failure == ConnStream::Failure::kNone || failure == ConnStream::Failure::kBodyTooLarge)) {
    return Next::kLinger;
  }
  bool keep = ok && !closed && !last && !cur.must_close && failure == ConnStream::Failure::kNone;
  return keep ? Next::kKeep : Next::kClose;
}

bool RequestHandler::authorized(const httplib::Request& req) const {
  if (cfg_.bearer_token.empty()) return true;
  std::string expected = "Bearer " + cfg_.bearer_token;
  if (req.get_header_value_count("Authorization") != 1) return false;
  std::string got = req.get_header_value("Authorization");
  return got.size() == expected.size() &&
         CRYPTO_memcmp(got.data(), expected.data(), got.size()) == 0;
}

httplib::Server::HandlerResponse RequestHandler::pre_route(const httplib::Request& req,
                                                           httplib::Response& res) {
  if (!authorized(req)) {
    res.set_header("WWW-Authenticate", "Bearer");
    return refuse(res, 401, "missing or wrong bearer token");
  }
  if (req.path != cfg_.path) return refuse(res, 404, "not found");
  if (req.method != "POST") {
    res.set_header("Allow", "POST");
    return refuse(res, 405, "only POST is accepted");
  }
  if (req.get_header_value_count("Content-Type") != 1 ||
      lower_trimmed(req.get_header_value("Content-Type")) != "application/json") {
    return refuse(res, 415, "Content-Type must be application/json");
  }
  // httplib inflates gzip and deflate (and brotli); only the first two are accepted,
  // and our receiver bounds what comes out of them.
  std::string enc = lower_trimmed(req.get_header_value("Content-Encoding"));
  if (req.get_header_value_count("Content-Encoding") > 1 ||
      (enc != "" && enc != "identity" && enc != "gzip" && enc != "deflate")) {
    return refuse(res, 415, "Content-Encoding must be gzip, deflate or identity");
  }
  size_t te = req.get_header_value_count("Transfer-Encoding");
  size_t cl = req.get_header_value_count("Content-Length");
  if (te > 1 ||
      (te == 1 && lower_trimmed(req.get_header_value("Transfer-Encoding")) != "chunked")) {
    stats_->add(Counter::kBadRequest);
    return refuse(res, 501, "only the chunked Transfer-Encoding is supported");
  }
  if (cl > 1 || (te == 1 && cl == 1) ||
      (cl == 1 && !is_decimal(req.get_header_value("Content-Length")))) {
    return refuse(res, 400, "ambiguous or malformed Content-Length");
  }
  if (cl == 1 && std::stoull(req.get_header_value("Content-Length")) > cfg_.http.max_body_bytes) {
    stats_->add(Counter::kBodyTooLarge);
    return refuse(res, 413, "body over " + std::to_string(cfg_.http.max_body_bytes) + " bytes");
  }
  return HandlerResponse::Unhandled;
}

void RequestHandler::handle_post(const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader) {
  std::string enc = lower_trimmed(req.get_header_value("Content-Encoding"));
  bool encoded = enc == "gzip" || enc == "deflate";
  BodySink sink(cfg_.http, encoded, t_current ? t_current->conn : nullptr);
  std::string length = req.get_header_value("Content-Length");
  if (!encoded && is_decimal(length)) {  // pre_route checked it against max_body_bytes
    sink.body().reserve(std::min<size_t>(std::stoull(length), cfg_.http.max_body_bytes));
  }
  bool ok = reader([&](const char* d, size_t n) { return sink.append(d, n); });
  if (ok) return accept_body(std::move(sink.body()), res);
  if (t_current) t_current->must_close = t_current->body_unread = true;
  res.set_header("Connection", "close");
  auto failure = t_current ? t_current->conn->failure() : ConnStream::Failure::kNone;
  if (sink.refused()) {
    stats_->add(encoded ? Counter::kInflateRefused : Counter::kBodyTooLarge);
    return reply(res, 413, encoded ? "body too large once decompressed" : "body too large");
  }
  if (failure == ConnStream::Failure::kBodyTooLarge) {
    stats_->add(Counter::kBodyTooLarge);
    return reply(res, 413, "body too large");
  }
  if (failure == ConnStream::Failure::kTimeout) {
    stats_->add(Counter::kBodyTimeout);
    return reply(res, 408, "body not received in time");
  }
  reply(res, 400, "truncated or malformed body");
}

void RequestHandler::accept_body(std::string&& body, httplib::Response& res) {
  std::vector<std::string_view> views;
  ParseError err = split_document(body, limits_, &views);
  if (err == ParseError::kTooManyEvents) stats_->add(Counter::kNeverFits);
  if (err != ParseError::kNone) {
    bool large = err == ParseError::kEventTooLarge || err == ParseError::kTooManyEvents;
    return reply(res, large ? 413 : 400, parse_error_name(err));
  }
  size_t bytes = 0;
  for (auto v : views) bytes += v.size();
  if (!queue_->can_ever_hold(views.size(), bytes)) {
    stats_->add(Counter::kNeverFits);
    return reply(res, 413, "more events than the queue can ever hold");
  }
  std::vector<QueuedEvent> events;
  events.reserve(views.size());
  uint64_t now = now_ns();
  size_t out_of_range = 0;
  for (auto v : views) {
    bool oor = false;
    events.push_back({std::string(v), event_time(v, now, &oor)});
    out_of_range += oor;
  }
  if (out_of_range) stats_->add(Counter::kTimestampOutOfRange, out_of_range);
  std::string().swap(body);
  if (!queue_->push_all(std::move(events))) {
    res.set_header("Retry-After", "1");
    return reply(res, 503, "event queue full, retry later");
  }
  stats_->add(Counter::kRequestsAccepted);
  stats_->add(Counter::kEventsAccepted, views.size());
  reply(res, 200, "accepted " + std::to_string(views.size()) + " events");
}

void RequestHandler::log_response(const httplib::Request& req, const httplib::Response& res) {
  Counter c = counter_for_status(res.status);
  if (res.status < 400) return;
  if (c != Counter::kCount) stats_->add(c);
  std::string reason = res.body.empty() ? "" : res.body.substr(0, res.body.size() - 1);
  stats_->warn("webhook: refused " + req.method.substr(0, 16) + " " + req.path.substr(0, 128) +
               " from " + req.remote_addr + " with " + std::to_string(res.status) +
               (reason.empty() ? "" : ": " + reason));
}

}  // namespace saker::k8saudit::http
