// The HTTP output's settings: Falco's `http_output` keys plus saker's own (headers,
// timeouts, gzip, retry backoff, spool). Read once at open; errors name the key.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "output_common.h"

namespace saker::outputs::http {

struct HttpSettings {
  std::string url;
  std::string user_agent = "falcosecurity/falco";  // Falcosidekick and Talon expect Falco's
  bool insecure = false;
  std::string ca_cert, ca_bundle, ca_path;
  bool mtls = false;
  std::string client_cert, client_key;
  bool echo = false;
  bool compress_uploads = false;  // Falco's meaning: accept compressed responses
  bool gzip = false;              // saker: gzip the request body (Content-Encoding: gzip)
  bool keep_alive = false;        // reuse the connection between alerts
  std::vector<std::pair<std::string, std::string>> headers;
  uint64_t connect_timeout_ms = 5000;
  uint64_t timeout_ms = 10000;
  uint64_t backoff_initial_ms = 100;
  uint64_t backoff_max_ms = 30000;
  std::string spool_dir;
  uint64_t spool_max_bytes = 64ull << 20;
  LineSettings line;
};

// `section` names the config key in errors; `instance` makes the default spool folder.
HttpSettings read_http_settings(const Params& p, const std::string& instance);

}  // namespace saker::outputs::http
