// Counters; see stats.h.
#include "stats.h"

#include <iterator>

namespace saker::cloudtrail {
namespace {

struct CounterInfo {
  const char* name;
  const char* help;
};

constexpr CounterInfo kInfo[] = {
    {"records", "CloudTrail records read"},
    {"records_malformed", "Records skipped because they are not a JSON object"},
    {"records_oversized", "Records skipped because they are over max_record_bytes"},
    {"files_read", "Log files or objects read to their end"},
    {"files_not_cloudtrail", "Log files or objects that are not in {\"Records\":[...]} form"},
    {"files_truncated", "Log files or objects that ended early or failed to read"},
    {"timestamp_invalid", "Records without a usable eventTime (read time used)"},
    {"extract_errors", "Events the field extractor could not read"},
    {"objects_listed", "S3 objects found to read (listing or SQS notifications)"},
    {"objects_failed", "S3 objects given up after every retry"},
    {"http_retries", "S3/SQS requests retried after a 5xx, a timeout or a cut body"},
    {"sqs_messages", "SQS messages received"},
    {"sqs_deleted", "SQS messages deleted after their records were evaluated"},
    {"sqs_visibility_extended", "SQS visibility timeouts extended for long objects"},
    {"sqs_ignored", "SQS messages that named no S3 object"},
};
static_assert(std::size(kInfo) == static_cast<size_t>(Counter::kCount));

}  // namespace

Stats::Stats(sdk::Host host) : host_(host) {
  for (size_t i = 0; i < ids_.size(); ++i)
    ids_[i] = host_.register_counter(kInfo[i].name, kInfo[i].help);
}

void Stats::add(Counter c, uint64_t n) {
  const auto i = static_cast<size_t>(c);
  values_[i] += n;
  host_.metric_add(ids_[i], n);
}

}  // namespace saker::cloudtrail

namespace saker::cloudtrail {

void Stats::warn(std::string line) {
  std::lock_guard lock(mu_);
  if (pending_.size() >= kMaxPendingLogs) {
    ++suppressed_;
    return;
  }
  pending_.push_back(std::move(line));
}

void Stats::flush_logs() {
  std::vector<std::string> lines;
  uint64_t suppressed = 0;
  {
    std::lock_guard lock(mu_);
    lines.swap(pending_);
    std::swap(suppressed, suppressed_);
  }
  for (const auto& l : lines) host_.log(sdk::LogLevel::kWarning, l);
  if (suppressed) {
    host_.log(sdk::LogLevel::kWarning,
              std::to_string(suppressed) + " more warnings suppressed (see the plugin's metrics)");
  }
}

Counter problem_counter(Problem p) {
  switch (p) {
    case Problem::kMalformedRecord:
      return Counter::kRecordsMalformed;
    case Problem::kOversizedRecord:
      return Counter::kRecordsOversized;
    case Problem::kNotCloudTrail:
      return Counter::kFilesNotCloudTrail;
    case Problem::kTruncated:
      break;
  }
  return Counter::kFilesTruncated;
}

}  // namespace saker::cloudtrail
