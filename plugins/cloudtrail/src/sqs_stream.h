// The `sqs://queue` source: a competing consumer of a queue fed by S3 notifications, so
// that several saker instances can share one queue (each message goes to one of them).
//
// A receiver thread long-polls ReceiveMessage, reads the objects each message announces
// (s3_objects.h) and queues their records tagged with the message. A message is deleted
// only once every one of its records was evaluated: the source thread counts a batch as
// evaluated when the engine asks for the next one (the core evaluates a batch before it
// asks again). Until then a housekeeping thread keeps extending the message's visibility
// timeout, so a long object is not handed to another instance meanwhile. An instance
// that dies (even with SIGKILL) deletes nothing it had not finished: its messages become
// visible again after the timeout and another instance reads them. A message whose object
// cannot be read is left to reappear (and, with a redrive policy, to reach the dead-letter
// queue). Owned by the source thread; both threads stop and join at destruction (within
// sqs.wait_time_s).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config.h"
#include "log_stream.h"
#include "record_queue.h"
#include "s3_objects.h"
#include "sqs_client.h"
#include "stats.h"

namespace saker::cloudtrail {

class SqsStream : public LogStream {
 public:
  SqsStream(const std::string& queue, const Config& cfg, Stats* stats);
  ~SqsStream() override;
  sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) override;
  bool progress(uint32_t& permille, std::string& text) override;

 private:
  struct InFlight {
    std::string id, receipt;
    uint64_t pushed = 0, evaluated = 0;
    bool all_pushed = false, failed = false;
    std::chrono::steady_clock::time_point visible_until;
  };
  void receive_loop();
  void housekeeping_loop();
  void account_evaluated();  // the records of current_ were evaluated
  void housekeeping_once();

  Config cfg_;
  Stats* stats_;
  std::atomic<bool> stop_{false};
  S3Objects s3_;
  SqsClient sqs_;
  std::string url_;
  RecordQueue queue_;
  std::mutex mu_;
  std::map<uint64_t, InFlight> inflight_;
  uint64_t next_seq_ = 1;
  std::vector<QueuedRecord> current_;
  uint64_t delivered_ = 0;
  std::thread receiver_, housekeeper_;
};

}  // namespace saker::cloudtrail
