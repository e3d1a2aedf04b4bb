// The k8saudit plugin: source of the `k8s_audit` event source (a Kubernetes audit
// webhook, or replay files) and extractor of its ka.* / json.* / jevt.* fields.
// One class glued to the C ABI by the SDK; the work is done by the streams
// (streams.h) and the field extractor (fields/extractor.h).
#include <saker/sdk/plugin.h>

#include "config.h"
#include "fields/extractor.h"
#include "streams.h"

namespace saker::k8saudit {
namespace {

class K8sAuditPlugin {
 public:
  static constexpr const char* kName = "k8saudit";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Kubernetes audit events from the API server's webhook backend (HTTPS) or from files";
  static constexpr const char* kContact = "https://github.com/saker-project/saker";
  static constexpr const char* kInitSchema = R"json({
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "listen": {"type": "string", "description": "host:port to listen on (default 0.0.0.0:9765)"},
    "path": {"type": "string", "description": "URL path of the webhook (default /k8s-audit)"},
    "scheme": {"enum": ["https", "http"], "description": "https (default) or plain http"},
    "ssl_certificate": {"type": "string", "description": "PEM server certificate (https)"},
    "ssl_key": {"type": "string", "description": "PEM private key of the certificate (https)"},
    "client_ca": {"type": "string", "description": "PEM CA file: require client certificates (mTLS)"},
    "bearer_token": {"type": "string", "description": "require Authorization: Bearer <token>"},
    "max_body_bytes": {"type": "integer", "minimum": 64, "description": "largest request body / file document (default 12 MiB)"},
    "max_event_bytes": {"type": "integer", "minimum": 16, "description": "largest single event (default 256 KiB)"},
    "max_depth": {"type": "integer", "minimum": 2, "description": "deepest JSON nesting (default 64)"},
    "threads": {"type": "integer", "minimum": 1, "description": "HTTP worker threads (default 4)"},
    "read_timeout_ms": {"type": "integer", "description": "per-read timeout for slow clients (default 5000)"},
    "write_timeout_ms": {"type": "integer", "description": "per-write timeout (default 5000)"},
    "keep_alive_timeout_s": {"type": "integer", "description": "idle keep-alive connection lifetime (default 5)"},
    "queue_max_events": {"type": "integer", "minimum": 1, "description": "events waiting for the rules (default 65536)"},
    "queue_max_bytes": {"type": "integer", "minimum": 64, "description": "bytes waiting for the rules (default 128 MiB)"},
    "batch_size": {"type": "integer", "minimum": 1, "description": "events per batch (default 512)"},
    "cluster_name": {"type": "string", "description": "name of the cluster, the value of ka.cluster.name"}
  }
})json";

  explicit K8sAuditPlugin(const sdk::InitContext& ctx)
      : cfg_(parse_init_config(ctx.config)),
        stats_(ctx.host),
        fields_(cfg_.limits, &stats_, cfg_.cluster_name) {}

  // Source capability.
  std::string event_source() { return "k8s_audit"; }
  std::vector<std::string> event_types() { return {"k8s_audit"}; }
  std::string open_params() {
    return R"j([{"value":"","desc":"webhook as configured in init_config"},)j"
           R"j({"value":"https://0.0.0.0:9765/k8s-audit","desc":"HTTPS webhook"},)j"
           R"j({"value":"http://127.0.0.1:9765/k8s-audit","desc":"plain HTTP webhook"},)j"
           R"j({"value":"file:///path/to/audit.jsonl","desc":"replay a file (.json, .jsonl, .gz)"}])j";
  }
  std::unique_ptr<AuditStream> open(const std::string& params) {
    WebhookConfig wh = cfg_.webhook;
    OpenTarget t = parse_open_params(params, &wh);
    if (t.kind == OpenTarget::Kind::kFile)
      return std::make_unique<FileStream>(t.file, cfg_, &stats_);
    Config c = cfg_;
    c.webhook = wh;
    return std::make_unique<WebhookStream>(c, &stats_);
  }

  // Extract capability.
  std::vector<sdk::FieldInfo> fields() { return fields_.infos(); }
  void extract(const sdk::Event& evt, sdk::ExtractRequest& req) { fields_.extract(evt, req); }

 private:
  Config cfg_;
  Stats stats_;
  FieldExtractor fields_;
};

}  // namespace
}  // namespace saker::k8saudit

SAKER_PLUGIN(saker::k8saudit::K8sAuditPlugin)
