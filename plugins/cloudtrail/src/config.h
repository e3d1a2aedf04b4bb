// The plugin's settings: init_config (JSON; kInitSchema below) and open params. Parsed
// once, on the cold path; each key is checked for type and range, unknown keys are
// refused, and the error (sdk::PluginError) names the key.
//
// Open params: a local file or folder (a path or a file:// URL; a folder is read
// recursively, its `.json` and `.json.gz` files in path order), `s3://bucket[/prefix]`
// (every object below the prefix; with `s3.follow`, new objects as they arrive), or
// `sqs://queue-name` / `sqs://https://host/account/queue` (S3 notifications).
#pragma once

#include <cstddef>
#include <string>

#include "record_splitter.h"

namespace saker::cloudtrail {

// Where and how to reach AWS (or a server speaking S3/SQS), init_config "aws": {...}.
struct AwsConfig {
  std::string region;        // "" = environment / shared config / us-east-1
  std::string profile;       // "" = AWS_PROFILE / default
  std::string s3_endpoint;   // "" = https://<bucket>.s3.<region>.amazonaws.com
  std::string sqs_endpoint;  // "" = https://sqs.<region>.amazonaws.com
  uint32_t max_attempts = 5;
  uint32_t retry_base_ms = 200;
  uint32_t retry_max_ms = 10000;
  uint32_t connect_timeout_ms = 5000;
  uint32_t read_timeout_ms = 30000;
};

struct S3Config {
  bool follow = false;  // keep listing for new objects
  uint32_t poll_interval_ms = 60000;
  uint32_t page_size = 1000;  // ListObjectsV2 max-keys
};

struct SqsConfig {
  uint32_t wait_time_s = 10;            // long polling (a stop waits at most this long)
  uint32_t max_messages = 10;           // per ReceiveMessage
  uint32_t visibility_timeout_s = 120;  // asked at receive, extended while reading
  bool delete_messages = true;          // Falco's sqsDelete
};

struct Config {
  AwsConfig aws;
  S3Config s3;
  SqsConfig sqs;
  size_t queue_max_records = 16384;  // records read ahead of the engine (S3/SQS)
  std::string state_file;            // resume point of files / S3 ("" = none)
  SplitterLimits limits;             // max_record_bytes, max_depth
  size_t batch_size = 512;           // records per next_batch at most
  size_t read_chunk = 256 * 1024;    // bytes read from a file at a time
  size_t max_logged_problems = 10;   // per input; the rest are counted and summarised
};

const char* init_schema();
Config parse_init_config(const std::string& text);

struct OpenTarget {
  enum class Kind { kPath, kS3, kSqs } kind = Kind::kPath;
  std::string path;            // kPath
  std::string bucket, prefix;  // kS3
  std::string queue;           // kSqs: a queue name or URL
};
OpenTarget parse_open_params(const std::string& params);

}  // namespace saker::cloudtrail
