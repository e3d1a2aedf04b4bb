// SQS over its JSON protocol (AWS JSON 1.0: POST /, X-Amz-Target: AmazonSQS.<Action>,
// signed with SigV4), the calls a competing consumer needs: ReceiveMessage (long
// polling), DeleteMessage, ChangeMessageVisibility, GetQueueUrl; plus CreateQueue and
// SendMessage for tests and tools. Every call is retried like any AWS request
// (http_client.h). Thread-safe: each call uses its own connection.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/http_client.h"
#include "stats.h"

namespace saker::cloudtrail {

struct SqsMessage {
  std::string id, receipt_handle, body;
  uint64_t receive_count = 0;
};

class SqsClient {
 public:
  // `stats` may be null (tools, tests): retries are then not counted.
  SqsClient(aws::HttpClient http, Stats* stats) : http_(std::move(http)), stats_(stats) {}

  std::string queue_url(const std::string& name);
  std::string create_queue(const std::string& name, uint32_t visibility_timeout_s);
  std::vector<SqsMessage> receive(const std::string& url, uint32_t max, uint32_t wait_s,
                                  uint32_t visibility_s);
  bool remove(const std::string& url, const std::string& receipt_handle);
  bool change_visibility(const std::string& url, const std::string& receipt_handle,
                         uint32_t seconds);
  bool send(const std::string& url, const std::string& body);
  // Approximate numbers of messages waiting and in flight (GetQueueAttributes).
  std::pair<uint64_t, uint64_t> depth(const std::string& url);

 private:
  // One action; throws sdk::PluginError with the answer when it fails for good.
  nlohmann::json call(const std::string& action, const nlohmann::json& body);

  aws::HttpClient http_;
  Stats* stats_;
};

// The S3 objects an SQS message announces: S3 event notifications (direct, or inside an
// SNS envelope), CloudTrail's own SNS notifications ({"s3Bucket", "s3ObjectKey": [...]})
// and EventBridge "Object Created" events. Empty for anything else (s3:TestEvent).
struct ObjectRef {
  std::string bucket, key;
};
std::vector<ObjectRef> objects_in_message(const std::string& body);

}  // namespace saker::cloudtrail
