// One libcurl easy handle configured from HttpSettings, posting one alert body per
// request. Reusing the handle keeps the connection alive between posts (keep_alive).
// Not thread-safe: one client per thread.
#pragma once

#include <string>

#include "http_settings.h"

typedef void CURL;
struct curl_slist;

namespace saker::outputs::http {

struct PostResult {
  enum Kind { kDelivered, kRetry, kRejected } kind = kRetry;
  long status = 0;    // HTTP status, 0 when no response came
  std::string error;  // why, when not delivered
  std::string body;   // the response body (for `echo`)
};

class HttpClient {
 public:
  explicit HttpClient(const HttpSettings& s);  // throws std::runtime_error
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POST `body` (gzipped first when settings say so). 2xx: delivered; no response,
  // 408, 429 or 5xx: retry later; any other status: rejected (retrying cannot help).
  PostResult post(const std::string& body);

 private:
  const HttpSettings& s_;
  CURL* curl_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::string gz_, response_;
};

// gzip `in` (RFC 1952); throws std::runtime_error.
std::string gzip_compress(const std::string& in);

}  // namespace saker::outputs::http
