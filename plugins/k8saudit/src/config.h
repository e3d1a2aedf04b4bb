// The plugin's settings: init_config (JSON, see kInitSchema in plugin.cpp and the
// README) and open params ("", "https://host:port/path", "http://...", "file:///path"
// or a path ending in .json/.jsonl/.gz). Parsed once, on the cold path; every key is
// checked for its type and range and unknown keys are refused: the error
// (sdk::PluginError) names the offending key. Falco's own keys for its k8saudit plugin
// (sslCertificate, maxEventSize, webhookMaxBatchSize, useAsync) are accepted with
// their meaning so that a Falco configuration moved over unchanged means the same.
#pragma once

#include <cstdint>
#include <string>

#include "body_parser.h"

namespace saker::k8saudit {

// Bounds of the webhook's HTTP handling; each is an init_config key of the same name
// (see the README's "Limits"). Defaults are safe for a cluster's API server.
struct HttpLimits {
  uint32_t header_timeout_ms = 10000;        // TLS handshake + request line + headers
  uint32_t body_timeout_ms = 30000;          // the whole body, once the headers are in
  uint32_t read_timeout_ms = 5000;           // silence allowed between two reads of a body
  uint32_t write_timeout_ms = 5000;          // silence allowed while writing a response
  uint32_t keep_alive_timeout_s = 5;         // idle time before a kept-alive connection closes
  uint32_t keep_alive_max_requests = 1000;   // requests per connection
  size_t max_connections = 512;              // open connections, all states
  size_t max_idle_connections = 256;         // connections without a request being served
  size_t max_header_bytes = 32 * 1024;       // request line + headers
  size_t max_header_count = 64;              // header lines
  size_t max_body_bytes = 12 * 1024 * 1024;  // body as sent (any transfer encoding)
  size_t max_decompressed_bytes = 12 * 1024 * 1024;  // after Content-Encoding (= max_body_bytes)
  uint32_t max_compression_ratio = 100;              // decoded/encoded bytes, beyond the first MiB
  int listen_backlog = 1024;                         // pending TCP connections (kernel caps it)
};

struct WebhookConfig {
  std::string host = "0.0.0.0";
  int port = 9765;
  std::string path = "/k8s-audit";
  bool tls = true;
  std::string ssl_certificate, ssl_key, client_ca;  // PEM files; client_ca enables mTLS
  std::string bearer_token;                         // empty: no token required
  size_t threads = 4;
  size_t queue_max_events = 65536;
  size_t queue_max_bytes = 128 * 1024 * 1024;
  HttpLimits http;
};

struct Config {
  WebhookConfig webhook;
  ParseLimits limits;
  size_t batch_size = 512;   // events per next_batch at most
  std::string cluster_name;  // the value of ka.cluster.name (absent when empty)
};

// The JSON schema of init_config, generated from the same table as the checks.
const char* init_schema();

// init_config JSON text ("" = defaults).
Config parse_init_config(const std::string& text);

// What an open params string asks for.
struct OpenTarget {
  enum class Kind { kWebhook, kFile } kind = Kind::kWebhook;
  std::string file;  // kFile
};
// Parses `params`; for a webhook URL, overrides scheme/host/port/path in `wh`.
OpenTarget parse_open_params(const std::string& params, WebhookConfig* wh);

// "host:port", "[v6]:port" or ":port" (all interfaces).
void parse_listen(const std::string& text, WebhookConfig* wh);

}  // namespace saker::k8saudit
