// init_config and open params; see config.h. One table drives both the checks and the
// JSON schema, so they cannot disagree.
#include "config.h"

#include <saker/sdk/types.h>

#include <functional>
#include <nlohmann/json.hpp>

namespace saker::cloudtrail {
namespace {

using nlohmann::json;

struct Key {
  const char* path;  // "max_depth", "aws.region"
  const char* type;  // "integer", "boolean", "string"
  uint64_t min, max;
  const char* desc;
  std::function<void(Config&, const json&)> set;
};

template <class T>
std::function<void(Config&, const json&)> to(T Config::*f) {
  return [f](Config& c, const json& v) { c.*f = v.get<T>(); };
}

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"max_record_bytes", "integer", 1024, 1ull << 30,
       "Largest record kept; bigger ones are skipped and counted (default 16 MiB)",
       [](Config& c, const json& v) { c.limits.max_record_bytes = v.get<size_t>(); }},
      {"max_depth", "integer", 2, 1000, "Deepest JSON nesting accepted in a record (default 64)",
       [](Config& c, const json& v) { c.limits.max_depth = v.get<size_t>(); }},
      {"batch_size", "integer", 1, 65536, "Records handed to the engine per batch (default 512)",
       to(&Config::batch_size)},
      {"read_chunk", "integer", 4096, 64ull << 20,
       "Bytes read from a log file at a time (default 256 KiB)", to(&Config::read_chunk)},
      {"max_logged_problems", "integer", 0, 1000000,
       "Problems logged one by one per input; the rest are summarised (default 10)",
       to(&Config::max_logged_problems)},
      {"queue_max_records", "integer", 16, 1u << 24,
       "Records read from S3/SQS ahead of the engine (default 16384)",
       to(&Config::queue_max_records)},
      {"state_file", "string", 0, 0,
       "Where to keep the resume point of a file, folder or S3 replay (none by default)",
       [](Config& c, const json& v) { c.state_file = v.get<std::string>(); }},
      {"aws.region", "string", 0, 0, "AWS region (default: AWS_REGION, shared config, us-east-1)",
       [](Config& c, const json& v) { c.aws.region = v.get<std::string>(); }},
      {"aws.profile", "string", 0, 0, "Profile of the shared credentials/config files",
       [](Config& c, const json& v) { c.aws.profile = v.get<std::string>(); }},
      {"aws.s3_endpoint", "string", 0, 0,
       "S3 endpoint URL (path-style buckets), e.g. http://127.0.0.1:4568",
       [](Config& c, const json& v) { c.aws.s3_endpoint = v.get<std::string>(); }},
      {"aws.sqs_endpoint", "string", 0, 0, "SQS endpoint URL, e.g. http://127.0.0.1:4566",
       [](Config& c, const json& v) { c.aws.sqs_endpoint = v.get<std::string>(); }},
      {"aws.max_attempts", "integer", 1, 100, "Attempts per S3/SQS request (default 5)",
       [](Config& c, const json& v) { c.aws.max_attempts = v.get<uint32_t>(); }},
      {"aws.retry_base_ms", "integer", 1, 600000, "First retry delay; doubles each time (200)",
       [](Config& c, const json& v) { c.aws.retry_base_ms = v.get<uint32_t>(); }},
      {"aws.retry_max_ms", "integer", 1, 3600000, "Longest retry delay (default 10000)",
       [](Config& c, const json& v) { c.aws.retry_max_ms = v.get<uint32_t>(); }},
      {"aws.connect_timeout_ms", "integer", 10, 600000, "TCP/TLS connect timeout (5000)",
       [](Config& c, const json& v) { c.aws.connect_timeout_ms = v.get<uint32_t>(); }},
      {"aws.read_timeout_ms", "integer", 10, 600000,
       "Silence allowed while waiting for an answer's bytes (30000)",
       [](Config& c, const json& v) { c.aws.read_timeout_ms = v.get<uint32_t>(); }},
      {"s3.follow", "boolean", 0, 0, "Keep listing the bucket for new objects (default false)",
       [](Config& c, const json& v) { c.s3.follow = v.get<bool>(); }},
      {"s3.poll_interval_ms", "integer", 100, 86400000, "Time between listings when following",
       [](Config& c, const json& v) { c.s3.poll_interval_ms = v.get<uint32_t>(); }},
      {"s3.page_size", "integer", 1, 1000, "Keys per ListObjectsV2 page (default 1000)",
       [](Config& c, const json& v) { c.s3.page_size = v.get<uint32_t>(); }},
      {"sqs.wait_time_s", "integer", 0, 20,
       "ReceiveMessage long polling; a stop waits at most this long (default 10)",
       [](Config& c, const json& v) { c.sqs.wait_time_s = v.get<uint32_t>(); }},
      {"sqs.max_messages", "integer", 1, 10, "Messages per ReceiveMessage (default 10)",
       [](Config& c, const json& v) { c.sqs.max_messages = v.get<uint32_t>(); }},
      {"sqs.visibility_timeout_s", "integer", 1, 43200,
       "Visibility timeout asked for and kept extended while a message's objects are read",
       [](Config& c, const json& v) { c.sqs.visibility_timeout_s = v.get<uint32_t>(); }},
      {"sqs.delete", "boolean", 0, 0,
       "Delete a message once its records were evaluated (default true)",
       [](Config& c, const json& v) { c.sqs.delete_messages = v.get<bool>(); }},
      // Falco's cloudtrail plugin keys, accepted with their meaning.
      {"sqsDelete", "boolean", 0, 0, "Falco's name of sqs.delete",
       [](Config& c, const json& v) { c.sqs.delete_messages = v.get<bool>(); }},
      {"useS3SNS", "boolean", 0, 0,
       "Accepted for Falco configurations: the message format is recognised by itself",
       [](Config&, const json&) {}},
      {"s3DownloadConcurrency", "integer", 1, 1024,
       "Accepted for Falco configurations (objects are read one at a time)",
       [](Config&, const json&) {}},
  };
  return k;
}

void check_and_set(Config& c, const Key& k, const json& v, const std::string& where) {
  const std::string type = k.type;
  if (type == "integer") {
    if (!v.is_number_unsigned())
      throw sdk::PluginError(where + ": expected a non-negative integer");
    const auto n = v.get<uint64_t>();
    if (n < k.min || n > k.max) {
      throw sdk::PluginError(where + ": " + std::to_string(n) + " is outside [" +
                             std::to_string(k.min) + ", " + std::to_string(k.max) + "]");
    }
  } else if (type == "boolean" && !v.is_boolean()) {
    throw sdk::PluginError(where + ": expected true or false");
  } else if (type == "string" && !v.is_string()) {
    throw sdk::PluginError(where + ": expected a string");
  }
  k.set(c, v);
}

void walk(Config& c, const json& obj, const std::string& prefix) {
  for (const auto& [key, value] : obj.items()) {
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    const Key* found = nullptr;
    bool is_group = false;
    for (const auto& k : keys()) {
      if (path == k.path) found = &k;
      if (std::string(k.path).rfind(path + ".", 0) == 0) is_group = true;
    }
    if (found) {
      check_and_set(c, *found, value, "init_config." + path);
    } else if (is_group) {
      if (!value.is_object())
        throw sdk::PluginError("init_config." + path + ": expected an object");
      walk(c, value, path);
    } else {
      throw sdk::PluginError("init_config: unknown key '" + path + "'");
    }
  }
}

}  // namespace

const char* init_schema() {
  static const std::string schema = [] {
    json root = {{"$schema", "http://json-schema.org/draft-06/schema#"},
                 {"type", "object"},
                 {"additionalProperties", false},
                 {"properties", json::object()}};
    for (const auto& k : keys()) {
      std::string path = k.path;
      json* node = &root;
      size_t dot;
      while ((dot = path.find('.')) != std::string::npos) {
        json& group = (*node)["properties"][path.substr(0, dot)];
        if (group.is_null()) {
          group = {
              {"type", "object"}, {"additionalProperties", false}, {"properties", json::object()}};
        }
        node = &group;
        path = path.substr(dot + 1);
      }
      json p = {{"type", k.type}, {"description", k.desc}};
      if (std::string(k.type) == "integer") {
        p["minimum"] = k.min;
        p["maximum"] = k.max;
      }
      (*node)["properties"][path] = p;
    }
    return root.dump();
  }();
  return schema.c_str();
}

Config parse_init_config(const std::string& text) {
  Config c;
  if (text.empty()) return c;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !(j.is_object() || j.is_null() || j.is_string())) {
    throw sdk::PluginError("init_config: not a JSON object");
  }
  if (j.is_string()) {  // Falco configurations often pass init_config: ""
    if (!j.get<std::string>().empty()) return parse_init_config(j.get<std::string>());
    return c;
  }
  if (j.is_null()) return c;
  walk(c, j, "");
  return c;
}

OpenTarget parse_open_params(const std::string& params) {
  std::string p = params;
  // Configurations often quote the value as a JSON string.
  if (p.size() >= 2 && p.front() == '"' && p.back() == '"') p = p.substr(1, p.size() - 2);
  if (p.empty()) {
    throw sdk::PluginError(
        "open params: name CloudTrail logs: a file or folder, s3://bucket/prefix or "
        "sqs://queue");
  }
  OpenTarget t;
  if (p.rfind("s3://", 0) == 0) {
    t.kind = OpenTarget::Kind::kS3;
    std::string rest = p.substr(5);
    const size_t slash = rest.find('/');
    t.bucket = rest.substr(0, slash);
    if (slash != std::string::npos) t.prefix = rest.substr(slash + 1);
    if (t.bucket.empty()) throw sdk::PluginError("open params '" + p + "': no bucket name");
    return t;
  }
  if (p.rfind("sqs://", 0) == 0) {
    t.kind = OpenTarget::Kind::kSqs;
    t.queue = p.substr(6);
    if (t.queue.empty()) throw sdk::PluginError("open params '" + p + "': no queue name");
    return t;
  }
  if (p.rfind("file://", 0) == 0) p = p.substr(7);
  t.path = p;
  return t;
}

}  // namespace saker::cloudtrail
