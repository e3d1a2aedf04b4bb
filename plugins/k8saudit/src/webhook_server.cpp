// The audit webhook server; see webhook_server.h.
#include "webhook_server.h"

#include <httplib.h>
#include <openssl/crypto.h>
#include <saker/sdk/types.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace saker::k8saudit {
namespace {

void reply(httplib::Response& res, int status, const std::string& reason) {
  res.status = status;
  res.set_content(reason + "\n", "text/plain");
}

bool is_json_content_type(std::string v) {
  v = v.substr(0, v.find(';'));
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "application/json";
}

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

int status_for(ParseError e) { return e == ParseError::kEventTooLarge ? 413 : 400; }

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
    case 503:
      return Counter::kBusy;
    default:
      return Counter::kCount;
  }
}

std::unique_ptr<httplib::Server> make_server(const WebhookConfig& cfg) {
  std::unique_ptr<httplib::Server> s;
  if (!cfg.tls) return std::make_unique<httplib::Server>();
  if (cfg.ssl_certificate.empty() || cfg.ssl_key.empty()) {
    throw sdk::PluginError("https webhook needs 'ssl_certificate' and 'ssl_key'");
  }
  s = std::make_unique<httplib::SSLServer>(cfg.ssl_certificate.c_str(), cfg.ssl_key.c_str(),
                                           cfg.client_ca.empty() ? nullptr : cfg.client_ca.c_str());
  if (!s->is_valid()) {
    throw sdk::PluginError("cannot load TLS certificate/key/CA ('" + cfg.ssl_certificate + "', '" +
                           cfg.ssl_key + "', '" + cfg.client_ca + "')");
  }
  return s;
}

}  // namespace

WebhookServer::WebhookServer(WebhookConfig cfg, ParseLimits limits, EventQueue* queue, Stats* stats)
    : cfg_(std::move(cfg)), limits_(limits), queue_(queue), stats_(stats) {}

WebhookServer::~WebhookServer() { stop(); }

void WebhookServer::start() {
  server_ = make_server(cfg_);
  size_t threads = cfg_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  auto ms = [](uint32_t v) { return std::chrono::milliseconds(v); };
  server_->set_read_timeout(ms(cfg_.read_timeout_ms));
  server_->set_write_timeout(ms(cfg_.write_timeout_ms));
  server_->set_keep_alive_timeout(cfg_.keep_alive_timeout_s);
  server_->set_payload_max_length(cfg_.max_body_bytes);
  server_->set_tcp_nodelay(true);  // no Nagle + delayed-ACK stall between TLS records
  // httplib's default also sets SO_REUSEPORT, with which a second listener on the same
  // port (another saker) binds silently and the kernel splits the API server's
  // connections between the two. SO_REUSEADDR only: restarts still bind at once over
  // TIME_WAIT sockets, and a port really in use fails with EADDRINUSE.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  install_handlers();
  port_ = cfg_.port;
  errno = 0;
  bool ok = cfg_.port == 0 ? (port_ = server_->bind_to_any_port(cfg_.host)) > 0
                           : server_->bind_to_port(cfg_.host, cfg_.port);
  if (!ok) {
    int err = errno;  // httplib keeps bind()'s errno (close() of the socket succeeds)
    std::string why = err == EADDRINUSE ? "the port is already in use (another saker, or "
                                          "another program, listens there)"
                      : err != 0        ? std::strerror(err)
                                        : "bad address or port";
    throw sdk::PluginError("k8saudit webhook cannot listen on " + cfg_.host + ":" +
                           std::to_string(cfg_.port) + ": " + why);
  }
  listen_returned_ = false;
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_ = true;
  });
  // httplib's stop() does nothing until the accept loop has marked itself running: a
  // stop() right after start() would leave the loop running and join() waiting forever.
  while (!server_->is_running() && !listen_returned_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void WebhookServer::stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

void WebhookServer::install_handlers() {
  auto& s = *server_;
  s.Post(cfg_.path,
         [this](const httplib::Request& req, httplib::Response& res) { handle_post(req, res); });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    reply(res, 405, "only POST is accepted");
  };
  s.Get(cfg_.path, not_allowed);
  s.Put(cfg_.path, not_allowed);
  s.Patch(cfg_.path, not_allowed);
  s.Delete(cfg_.path, not_allowed);
  s.Options(cfg_.path, not_allowed);
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    reply(res, 400, "request could not be processed");
  });
  // A client that got an error is not trusted with its connection: closing it frees the
  // worker thread at once instead of after the keep-alive timeout (slowloris).
  s.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Unhandled;
      }));
  s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    log_response(req, res);
  });
}

bool WebhookServer::authorized(const httplib::Request& req) const {
  if (cfg_.bearer_token.empty()) return true;
  std::string expected = "Bearer " + cfg_.bearer_token;
  std::string got = req.get_header_value("Authorization");
  return got.size() == expected.size() &&
         CRYPTO_memcmp(got.data(), expected.data(), got.size()) == 0;
}

void WebhookServer::handle_post(const httplib::Request& req, httplib::Response& res) {
  if (!authorized(req)) {
    res.set_header("WWW-Authenticate", "Bearer");
    return reply(res, 401, "missing or wrong bearer token");
  }
  if (!is_json_content_type(req.get_header_value("Content-Type"))) {
    return reply(res, 415, "Content-Type must be application/json");
  }
  std::vector<std::string_view> views;
  ParseError err = split_document(req.body, limits_, &views);
  if (err != ParseError::kNone) return reply(res, status_for(err), parse_error_name(err));
  std::vector<QueuedEvent> events;
  events.reserve(views.size());
  uint64_t now = now_ns();
  for (auto v : views) events.push_back({std::string(v), event_time(v, now)});
  if (!queue_->push_all(std::move(events))) {
    res.set_header("Retry-After", "1");
    return reply(res, 503, "event queue full, retry later");
  }
  stats_->add(Counter::kRequestsAccepted);
  stats_->add(Counter::kEventsAccepted, views.size());
  reply(res, 200, "accepted " + std::to_string(views.size()) + " events");
}

void WebhookServer::log_response(const httplib::Request& req, const httplib::Response& res) {
  Counter c = counter_for_status(res.status);
  if (c == Counter::kCount) return;
  stats_->add(c);
  std::string reason = res.body.empty() ? "" : res.body.substr(0, res.body.size() - 1);
  stats_->warn("webhook: refused " + req.method + " " + req.path.substr(0, 128) + " from " +
               req.remote_addr + " with " + std::to_string(res.status) +
               (reason.empty() ? "" : ": " + reason));
}

}  // namespace saker::k8saudit
