// What the source's open() returns: a stream of records from files, an S3 bucket or an
// SQS queue. Each hands out views of records it owns until the next next_batch (the C
// ABI's rule). Used by one source thread at a time.
#pragma once

#include <saker/sdk/types.h>

#include <string>

namespace saker::cloudtrail {

class LogStream {
 public:
  virtual ~LogStream() = default;
  virtual sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) = 0;
  virtual bool progress(uint32_t& permille, std::string& text) = 0;
};

}  // namespace saker::cloudtrail
