// SQS calls and notification parsing; see sqs_client.h.
#include "sqs_client.h"

#include <saker/sdk/types.h>

namespace saker::cloudtrail {

using nlohmann::json;

json SqsClient::call(const std::string& action, const json& body) {
  const aws::Params headers = {{"X-Amz-Target", "AmazonSQS." + action},
                               {"Content-Type", "application/x-amz-json-1.0"}};
  auto res = http_.call(
      "POST", "/", {}, headers, body.dump(), [&](int attempt, const std::string& why, int delay) {
        if (!stats_) return;
        stats_->add(Counter::kHttpRetries);
        stats_->warn("sqs " + action + ": " + why + ", retry " + std::to_string(attempt) +
                     " after " + std::to_string(delay) + " ms");
      });
  if (!res.ok())
    throw sdk::PluginError("sqs " + action + ": " + res.describe() + " " + res.body.substr(0, 300));
  json j = json::parse(res.body.empty() ? "{}" : res.body, nullptr, false);
  if (j.is_discarded()) throw sdk::PluginError("sqs " + action + ": answer is not JSON");
  return j;
}

std::string SqsClient::queue_url(const std::string& name) {
  json j = call("GetQueueUrl", {{"QueueName", name}});
  if (!j.contains("QueueUrl") || !j["QueueUrl"].is_string())
    throw sdk::PluginError("sqs GetQueueUrl: no QueueUrl in the answer");
  return j["QueueUrl"].get<std::string>();
}

std::string SqsClient::create_queue(const std::string& name, uint32_t visibility_timeout_s) {
  json j = call("CreateQueue",
                {{"QueueName", name},
                 {"Attributes", {{"VisibilityTimeout", std::to_string(visibility_timeout_s)}}}});
  return j.value("QueueUrl", "");
}

std::vector<SqsMessage> SqsClient::receive(const std::string& url, uint32_t max, uint32_t wait_s,
                                           uint32_t visibility_s) {
  json j = call("ReceiveMessage", {{"QueueUrl", url},
                                   {"MaxNumberOfMessages", max},
                                   {"WaitTimeSeconds", wait_s},
                                   {"VisibilityTimeout", visibility_s},
                                   {"MessageSystemAttributeNames", {"ApproximateReceiveCount"}},
                                   {"AttributeNames", {"ApproximateReceiveCount"}}});
  std::vector<SqsMessage> out;
  if (!j.contains("Messages") || !j["Messages"].is_array()) return out;
  for (const auto& m : j["Messages"]) {
    SqsMessage s;
    s.id = m.value("MessageId", "");
    s.receipt_handle = m.value("ReceiptHandle", "");
    s.body = m.value("Body", "");
    if (m.contains("Attributes") && m["Attributes"].is_object()) {
      try {
        s.receive_count = std::stoull(m["Attributes"].value("ApproximateReceiveCount", "0"));
      } catch (...) {
      }
    }
    if (!s.receipt_handle.empty()) out.push_back(std::move(s));
  }
  return out;
}

bool SqsClient::remove(const std::string& url, const std::string& receipt_handle) {
  call("DeleteMessage", {{"QueueUrl", url}, {"ReceiptHandle", receipt_handle}});
  return true;
}

bool SqsClient::change_visibility(const std::string& url, const std::string& receipt_handle,
                                  uint32_t seconds) {
  call("ChangeMessageVisibility",
       {{"QueueUrl", url}, {"ReceiptHandle", receipt_handle}, {"VisibilityTimeout", seconds}});
  return true;
}

bool SqsClient::send(const std::string& url, const std::string& body) {
  call("SendMessage", {{"QueueUrl", url}, {"MessageBody", body}});
  return true;
}

std::pair<uint64_t, uint64_t> SqsClient::depth(const std::string& url) {
  json j = call("GetQueueAttributes",
                {{"QueueUrl", url},
                 {"AttributeNames",
                  {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"}}});
  auto num = [&](const char* k) -> uint64_t {
    if (!j.contains("Attributes") || !j["Attributes"].contains(k)) return 0;
    try {
      return std::stoull(j["Attributes"][k].get<std::string>());
    } catch (...) {
      return 0;
    }
  };
  return {num("ApproximateNumberOfMessages"), num("ApproximateNumberOfMessagesNotVisible")};
}

namespace {

// S3 event notification keys are URL-encoded, with '+' for spaces.
std::string url_decode(const std::string& s) {
  std::string out;
  auto hex = [](char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void collect(const json& j, std::vector<ObjectRef>* out, int depth) {
  if (depth > 3 || !j.is_object()) return;
  // SNS envelope: the notification is a JSON string in Message.
  if (j.contains("Message") && j["Message"].is_string()) {
    json inner = json::parse(j["Message"].get<std::string>(), nullptr, false);
    collect(inner, out, depth + 1);
    return;
  }
  // S3 event notification.
  if (j.contains("Records") && j["Records"].is_array()) {
    for (const auto& r : j["Records"]) {
      if (!r.is_object() || !r.contains("s3") || !r["s3"].is_object()) continue;
      const auto& s3 = r["s3"];
      const auto bucket =
          s3.contains("bucket") && s3["bucket"].is_object() ? s3["bucket"].value("name", "") : "";
      const auto key =
          s3.contains("object") && s3["object"].is_object() ? s3["object"].value("key", "") : "";
      if (!bucket.empty() && !key.empty()) out->push_back({bucket, url_decode(key)});
    }
    return;
  }
  // CloudTrail's SNS notification.
  if (j.contains("s3Bucket") && j["s3Bucket"].is_string() && j.contains("s3ObjectKey") &&
      j["s3ObjectKey"].is_array()) {
    for (const auto& k : j["s3ObjectKey"]) {
      if (k.is_string()) out->push_back({j["s3Bucket"].get<std::string>(), k.get<std::string>()});
    }
    return;
  }
  // EventBridge "Object Created".
  if (j.contains("detail") && j["detail"].is_object()) {
    const auto& d = j["detail"];
    const auto bucket =
        d.contains("bucket") && d["bucket"].is_object() ? d["bucket"].value("name", "") : "";
    const auto key =
        d.contains("object") && d["object"].is_object() ? d["object"].value("key", "") : "";
    if (!bucket.empty() && !key.empty()) out->push_back({bucket, key});
  }
}

}  // namespace

std::vector<ObjectRef> objects_in_message(const std::string& body) {
  std::vector<ObjectRef> out;
  json j = json::parse(body, nullptr, false);
  if (!j.is_discarded()) collect(j, &out, 0);
  return out;
}

}  // namespace saker::cloudtrail
