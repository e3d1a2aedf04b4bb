// The cloudtrail plugin: source of the `aws_cloudtrail` event source (CloudTrail log
// files and folders, plain or gzip) and extractor of its ct.* / s3.* / ec2.* / json.*
// fields. One class glued to the C ABI by the SDK; the work is done by the stream
// (file_stream.h) and the field extractor (fields/extractor.h).
#include <saker/sdk/plugin.h>

#include "config.h"
#include "fields/extractor.h"
#include "file_stream.h"
#include "s3_stream.h"
#include "sqs_stream.h"
#include "stats.h"

namespace saker::cloudtrail {
namespace {

class CloudTrailPlugin {
 public:
  static constexpr const char* kName = "cloudtrail";
  // The version of the upstream cloudtrail plugin whose fields this one serves, so that
  // rules files asking for it (required_plugin_versions) load as they are.
  static constexpr const char* kVersion = "0.17.1";
  static constexpr const char* kDescription =
      "AWS CloudTrail records from log files and folders, S3 buckets (SigV4) and SQS queues "
      "fed by S3 notifications";
  static constexpr const char* kContact = "https://github.com/saker-project/saker";
  static inline const char* const kInitSchema = init_schema();

  explicit CloudTrailPlugin(const sdk::InitContext& ctx)
      : cfg_(parse_init_config(ctx.config)), stats_(ctx.host), host_(ctx.host) {}

  // Source capability.
  std::string event_source() { return "aws_cloudtrail"; }
  std::vector<std::string> event_types() { return {"aws_cloudtrail"}; }
  std::string open_params() {
    return R"j([{"value":"/var/log/cloudtrail","desc":"a folder: every .json and .json.gz below it"},)j"
           R"j({"value":"file:///path/to/log.json.gz","desc":"one CloudTrail log file"},)j"
           R"j({"value":"s3://bucket/AWSLogs/","desc":"every object below a prefix (s3.follow: new ones too)"},)j"
           R"j({"value":"sqs://queue-name","desc":"objects announced by S3 notifications, shared with other instances"}])j";
  }
  std::unique_ptr<LogStream> open(const std::string& params) {
    OpenTarget t = parse_open_params(params);
    switch (t.kind) {
      case OpenTarget::Kind::kS3:
        return std::make_unique<S3Stream>(t.bucket, t.prefix, cfg_, &stats_);
      case OpenTarget::Kind::kSqs:
        return std::make_unique<SqsStream>(t.queue, cfg_, &stats_);
      case OpenTarget::Kind::kPath:
        break;
    }
    return std::make_unique<FileStream>(t.path, cfg_, &stats_,
                                        [h = host_] { return h.stop_requested(); });
  }

  // Extract capability.
  std::vector<sdk::FieldInfo> fields() { return fields_.infos(); }
  void extract(const sdk::Event& evt, sdk::ExtractRequest& req) {
    const uint64_t bad = fields_.bad_events();
    fields_.extract(evt, req);
    if (fields_.bad_events() != bad) stats_.add(Counter::kExtractErrors);
  }

 private:
  Config cfg_;
  Stats stats_;
  sdk::Host host_;
  FieldExtractor fields_;
};

}  // namespace
}  // namespace saker::cloudtrail

SAKER_PLUGIN(saker::cloudtrail::CloudTrailPlugin)
