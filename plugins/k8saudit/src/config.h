// The plugin's settings: init_config (JSON, see kInitSchema in plugin.cpp and the
// README) and open params ("", "https://host:port/path", "http://...", "file:///path"
// or a path ending in .json/.jsonl/.gz). Parsed once, on the cold path; throws
// sdk::PluginError with a message naming the offending key.
#pragma once

#include <cstdint>
#include <string>

#include "body_parser.h"

namespace saker::k8saudit {

struct WebhookConfig {
  std::string host = "0.0.0.0";
  int port = 9765;
  std::string path = "/k8s-audit";
  bool tls = true;
  std::string ssl_certificate, ssl_key, client_ca;  // PEM files; client_ca enables mTLS
  std::string bearer_token;                         // empty: no token required
  size_t max_body_bytes = 12 * 1024 * 1024;
  size_t threads = 4;
  uint32_t read_timeout_ms = 5000, write_timeout_ms = 5000;
  uint32_t keep_alive_timeout_s = 5;  // idle time before a kept-alive connection closes
  size_t queue_max_events = 65536;
  size_t queue_max_bytes = 128 * 1024 * 1024;
};

struct Config {
  WebhookConfig webhook;
  ParseLimits limits;
  size_t batch_size = 512;   // events per next_batch at most
  std::string cluster_name;  // the value of ka.cluster.name (absent when empty)
};

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
