// S3 for the readers: ListObjectsV2 (every page) and GetObject streamed through an
// ObjectReader. A read that fails part-way (a 5xx, a timeout, a connection cut in the
// middle of the body) is retried with backoff and resumed with a Range request from the
// last byte received, so no record is read twice; if the server ignores the range the
// object is read again from the start and the records already handed out are skipped.
// Every retry is counted and logged. Used from one reader thread.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "aws/http_client.h"
#include "record_splitter.h"
#include "stats.h"

namespace saker::cloudtrail {

struct S3Settings {
  std::string endpoint;  // "" = https://s3.<region>.amazonaws.com (virtual-hosted buckets)
  std::string region;
  aws::Credentials creds;
  aws::RetryPolicy retry;
  SplitterLimits limits;
  uint32_t page_size = 1000;  // ListObjectsV2 max-keys
};

struct S3Object {
  std::string key;
  uint64_t size = 0;
};

class S3Objects {
 public:
  S3Objects(S3Settings settings, Stats* stats, const std::atomic<bool>* stop);

  // Keys below `prefix` after `start_after`, in key order. Throws sdk::PluginError when
  // the listing fails for good (after retries, or at once for 4xx answers).
  std::vector<S3Object> list(const std::string& bucket, const std::string& prefix,
                             const std::string& start_after);
  // Reads one object; `record` gets each record (compact JSON). False when it was given
  // up after every retry (reported and counted).
  using RecordFn = std::function<void(std::string_view compact)>;
  bool read(const std::string& bucket, const std::string& key, const RecordFn& record);
  // Uploads an object (used by tests and tools; retried like the rest).
  aws::HttpResult put(const std::string& bucket, const std::string& key, const std::string& body);

 private:
  aws::HttpClient client_for(const std::string& bucket) const;
  std::string path_for(const std::string& bucket, const std::string& key) const;

  S3Settings s_;
  bool virtual_hosted_;
  Stats* stats_;
  const std::atomic<bool>* stop_;
};

}  // namespace saker::cloudtrail
