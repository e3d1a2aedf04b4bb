// The web plugin: Falco's `webserver` (cpp-httplib, optional TLS with one combined PEM)
// serving /healthz (liveness that reflects the sources' loops and the outputs'
// draining, not just "the process answers"), /readyz (readiness, per source with
// ?source=NAME), /versions, and /metrics (Prometheus text) when
// prometheus_metrics_enabled. Everything it reports comes from the host's status_json.
// init_config = the `webserver` section: listen_address, listen_port, threadiness,
// k8s_healthz_endpoint, prometheus_metrics_enabled, ssl_enabled, ssl_certificate, plus
// saker's source_stall_timeout_ms and output_stall_timeout_ms.
#include <httplib.h>
#include <saker/sdk/plugin.h>

#include <thread>

#include "health.h"
#include "output_common.h"

namespace {

using namespace saker::sdk;
using nlohmann::json;
using saker::outputs::Params;

class WebPlugin {
 public:
  static constexpr const char* kName = "web";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "HTTP(S) endpoints: /healthz (real liveness), /readyz, /versions, Prometheus /metrics";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object"})";

  explicit WebPlugin(const InitContext& ctx) : host_(ctx.host) {
    Params p(ctx.config, "webserver");
    address_ = p.str("listen_address", "0.0.0.0");
    const uint64_t port = p.uint("listen_port", 8765);
    if (port == 0 || port > 65535) p.fail("listen_port", "expected a port number (1-65535)");
    healthz_path_ = p.str("k8s_healthz_endpoint", "/healthz");
    if (healthz_path_.empty() || healthz_path_[0] != '/') {
      p.fail("k8s_healthz_endpoint", "expected a path starting with '/'");
    }
    metrics_ = p.boolean("prometheus_metrics_enabled", false);
    health_.source_stall_timeout_ms = p.uint("source_stall_timeout_ms", 10000);
    health_.output_stall_timeout_ms = p.uint("output_stall_timeout_ms", 30000);
    const uint64_t threads = p.uint("threadiness", 0);
    if (p.boolean("ssl_enabled", false)) {
      const std::string pem = p.str("ssl_certificate", "/etc/saker/saker.pem");
      // One PEM holding the certificate and its key, as Falco's ssl_certificate.
      auto ssl = std::make_unique<httplib::SSLServer>(pem.c_str(), pem.c_str());
      if (!ssl->is_valid())
        p.fail("ssl_certificate", "cannot load certificate and key from " + pem);
      server_ = std::move(ssl);
    } else {
      server_ = std::make_unique<httplib::Server>();
    }
    if (threads > 0) {
      server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    }
    routes();
    if (!server_->bind_to_port(address_, static_cast<int>(port))) {
      p.fail("listen_port", "cannot listen on " + address_ + ":" + std::to_string(port));
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    host_.log(LogLevel::kInfo, std::string("listening on ") +
                                   (p.boolean("ssl_enabled", false) ? "https" : "http") + "://" +
                                   address_ + ":" + std::to_string(port) + " (" + healthz_path_ +
                                   ", /readyz, /versions" + (metrics_ ? ", /metrics)" : ")"));
  }
  ~WebPlugin() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }

 private:
  json state() const {
    json j = json::parse(host_.status_json(), nullptr, false);
    return j.is_discarded() ? json::object() : j;
  }
  static void reply(httplib::Response& res, const saker::web::Answer& a) {
    res.status = a.status;
    res.set_content(a.body, "application/json");
  }
  void routes() {
    server_->Get(healthz_path_, [this](const httplib::Request&, httplib::Response& res) {
      reply(res, saker::web::healthz(state(), health_));
    });
    server_->Get("/readyz", [this](const httplib::Request& req, httplib::Response& res) {
      reply(res, saker::web::readyz(state(), health_, req.get_param_value("source")));
    });
    server_->Get("/versions", [this](const httplib::Request&, httplib::Response& res) {
      reply(res, saker::web::versions(state()));
    });
    if (metrics_) {
      server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(saker::web::prometheus_text(state(), saker::web::read_process_stats()),
                        "text/plain; version=0.0.4");
      });
    }
  }

  Host host_;
  std::string address_, healthz_path_;
  bool metrics_ = false;
  saker::web::HealthSettings health_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace

SAKER_PLUGIN(WebPlugin)
