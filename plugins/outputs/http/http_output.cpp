// The HTTP(S) output plugin (Falco's `http_output`): one POST per alert with Falco's
// alert JSON, a drop-in for Falcosidekick and Falco Talon. Falco's keys (url,
// user_agent, insecure, ca_cert, ca_bundle, ca_path, mtls, client_cert, client_key,
// echo, compress_uploads, keep_alive) plus saker's: headers, connect_timeout_ms,
// timeout_ms, gzip, retry_backoff_initial_ms, retry_backoff_max_ms, spool_dir,
// spool_max_bytes, extra_fields. Delivery, retries and the spool: http_delivery.h.
#include <saker/sdk/plugin.h>

#include <map>

#include "http_delivery.h"

namespace {

using namespace saker::sdk;
using saker::outputs::Params;
namespace http = saker::outputs::http;

class HttpChannel {
 public:
  HttpChannel(http::HttpSettings s, http::DeliveryHooks hooks)
      : line_(s.line), delivery_(std::move(s), std::move(hooks)) {}
  void emit(const Alert& a) {
    saker::outputs::render_line(line_, a, &body_);
    try {
      delivery_.send(body_);
    } catch (const std::runtime_error& e) {
      throw PluginError(e.what());
    }
  }

 private:
  saker::outputs::LineSettings line_;
  http::HttpDelivery delivery_;
  std::string body_;
};

class HttpOutput {
 public:
  static constexpr const char* kName = "http_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Posts alerts as Falco's JSON to an HTTP(S) endpoint (Falcosidekick, Talon, webhooks), "
      "with retries and an on-disk spool";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit HttpOutput(const InitContext& ctx)
      : host_(ctx.host), section_(ctx.instance_name.empty() ? kName : ctx.instance_name) {
    for (const auto& [name, help] : std::map<std::string, std::string>{
             {"num_delivered", "Alerts the endpoint accepted (2xx)"},
             {"num_spooled", "Alerts written to the spool while the endpoint was unreachable"},
             {"num_retries", "Failed delivery attempts of spooled alerts"},
             {"num_rejected", "Alerts the endpoint refused (4xx other than 408/429)"},
             {"num_spool_full", "Alerts lost because the spool was full"}}) {
      counters_[name] = host_.register_counter(name, help);
    }
    m_spool_records_ = host_.register_gauge("spool_records", "Alerts waiting in the spool");
    m_spool_bytes_ = host_.register_gauge("spool_bytes", "Bytes waiting in the spool");
  }

  std::unique_ptr<HttpChannel> open_output(const std::string& params) {
    Params p(params, section_);
    http::HttpSettings s = http::read_http_settings(p, section_);
    http::DeliveryHooks hooks;
    hooks.log = [h = host_](bool warning, const std::string& m) {
      h.log(warning ? LogLevel::kWarning : LogLevel::kInfo, m);
    };
    hooks.count = [this](const char* name, uint64_t d) { host_.metric_add(counters_.at(name), d); };
    hooks.spool_gauge = [this](uint64_t records, uint64_t bytes) {
      host_.metric_set(m_spool_records_, records);
      host_.metric_set(m_spool_bytes_, bytes);
    };
    try {
      return std::make_unique<HttpChannel>(std::move(s), std::move(hooks));
    } catch (const PluginError&) {
      throw;
    } catch (const std::runtime_error& e) {
      throw PluginError(section_ + ": " + e.what());
    }
  }

 private:
  Host host_;
  std::string section_;
  std::map<std::string, uint32_t> counters_;
  uint32_t m_spool_records_ = 0, m_spool_bytes_ = 0;
};

}  // namespace

SAKER_PLUGIN(HttpOutput)
