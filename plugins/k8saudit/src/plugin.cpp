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
  static inline const char* const kInitSchema = init_schema();

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
