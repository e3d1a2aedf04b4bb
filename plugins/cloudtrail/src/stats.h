// The plugin's counters, exported as host metrics ("<instance>_<name>") and mirrored in
// atomics for tests and progress text. add() is thread-safe (the S3/SQS readers will
// count from their own threads); log lines go through the host on the source thread.
#pragma once

#include <saker/sdk/host.h>

#include <array>
#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "record_splitter.h"

namespace saker::cloudtrail {

enum class Counter {
  kRecords,             // records handed to the engine
  kRecordsMalformed,    // records skipped: not JSON, or not an object
  kRecordsOversized,    // records skipped: over max_record_bytes
  kFilesRead,           // files or objects read to their end
  kFilesNotCloudTrail,  // inputs that are not {"Records":[...]} (the rest of them ignored)
  kFilesTruncated,      // inputs that ended inside a record or document, or failed to read
  kTimestampInvalid,    // records without a usable eventTime (the read time is used)
  kExtractErrors,       // events the extractor could not index (not JSON objects)
  kObjectsListed,       // S3 objects found by listing (or named by SQS notifications)
  kObjectsFailed,       // S3 objects given up after every retry
  kHttpRetries,         // S3/SQS requests retried (5xx, timeouts, lost connections, cut bodies)
  kSqsMessages,         // SQS messages received
  kSqsDeleted,          // SQS messages deleted once their records were evaluated
  kSqsExtended,         // visibility timeouts extended for messages still being read
  kSqsIgnored,          // SQS messages that named no S3 object (deleted, counted)
  kCount
};

// The counter a problem of the record reader is counted in.
Counter problem_counter(Problem p);

class Stats {
 public:
  explicit Stats(sdk::Host host);
  void add(Counter c, uint64_t n = 1);
  uint64_t get(Counter c) const { return values_[static_cast<size_t>(c)].load(); }
  const sdk::Host& host() const { return host_; }
  // A warning from any thread; written out by flush_logs() on the source thread (the host
  // API allows logging only there). Bounded: lines beyond kMaxPendingLogs are counted.
  void warn(std::string line);
  void flush_logs();
  static constexpr size_t kMaxPendingLogs = 256;

 private:
  std::mutex mu_;
  std::vector<std::string> pending_;
  uint64_t suppressed_ = 0;
  sdk::Host host_;
  std::array<std::atomic<uint64_t>, static_cast<size_t>(Counter::kCount)> values_{};
  std::array<uint32_t, static_cast<size_t>(Counter::kCount)> ids_{};
};

}  // namespace saker::cloudtrail
