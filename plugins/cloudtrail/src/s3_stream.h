// The `s3://bucket/prefix` source: a reader thread lists the objects below the prefix
// (every page, in key order) and reads them one after the other (s3_objects.h: signed,
// retried, resumed), handing records to the source thread through a bounded queue. With
// `s3.follow` it lists again every poll interval for keys after the last one read, so
// only new objects are read; without it the stream ends after the listing. Owned by the
// source thread; the reader thread stops and joins at destruction.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "checkpoint.h"
#include "config.h"
#include "log_stream.h"
#include "record_queue.h"
#include "s3_objects.h"
#include "stats.h"

namespace saker::cloudtrail {

// The S3 settings for the readers from init_config and the credential chain.
S3Settings s3_settings(const Config& cfg);

class S3Stream : public LogStream {
 public:
  S3Stream(const std::string& bucket, const std::string& prefix, const Config& cfg, Stats* stats);
  ~S3Stream() override;
  sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) override;
  bool progress(uint32_t& permille, std::string& text) override;

 private:
  void run();
  void account_evaluated();

  std::string bucket_, prefix_;
  Config cfg_;
  Stats* stats_;
  std::atomic<bool> stop_{false};
  S3Objects s3_;
  RecordQueue queue_;
  std::vector<QueuedRecord> current_;
  std::atomic<uint64_t> listed_{0}, read_{0};
  uint64_t delivered_ = 0;
  std::string error_;  // set by the reader before it closes the queue
  Checkpoint checkpoint_;
  std::thread reader_;
};

}  // namespace saker::cloudtrail
