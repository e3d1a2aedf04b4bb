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
