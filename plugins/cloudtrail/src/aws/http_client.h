// A signed HTTP client for AWS-style endpoints (S3 and SQS, or servers that speak their
// protocols): each request is signed with SigV4 and sent on its own connection, and
// call() retries what is worth retrying (no connection, a timeout, a 5xx, 429/SlowDown)
// with exponential backoff and jitter, reporting each retry. Response bodies can be
// streamed to a sink as they arrive, so an object of any size needs no buffer. One
// client per thread; `stop` (when set) cuts backoff waits short.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "sigv4.h"

namespace saker::cloudtrail::aws {

struct Endpoint {
  std::string scheme = "https";
  std::string host;
  int port = 443;
  // "http://127.0.0.1:4568", "https://s3.us-east-1.amazonaws.com"; throws on anything else.
  static Endpoint parse(const std::string& url);
  std::string origin() const;       // scheme://host:port
  std::string host_header() const;  // host, with :port when not the scheme's default
};

struct RetryPolicy {
  int max_attempts = 5;
  int base_delay_ms = 200;
  int max_delay_ms = 10000;
  int connect_timeout_ms = 5000;
  int read_timeout_ms = 30000;  // silence allowed while waiting for bytes
};

struct HttpResult {
  int status = 0;         // 0: no HTTP answer (see error)
  std::string body;       // the body (for errors, and when no sink was given)
  std::string error;      // transport error text, empty when the server answered
  uint64_t streamed = 0;  // bytes handed to the sink
  bool ok() const { return status >= 200 && status < 300 && error.empty(); }
  bool transient() const {
    return status == 0 || status >= 500 || status == 429 ||
           body.find("SlowDown") != std::string::npos;
  }
  std::string describe() const;
};

// Receives a 2xx body as it arrives, with the response's status; false aborts.
using BodySink = std::function<bool(int status, const char* data, size_t len)>;
using RetryReport = std::function<void(int attempt, const std::string& why, int delay_ms)>;

class HttpClient {
 public:
  HttpClient(Endpoint ep, std::string region, std::string service, Credentials creds,
             RetryPolicy policy, const std::atomic<bool>* stop = nullptr);

  // One signed attempt. `path` is not yet encoded. With a sink, a 2xx body streams to it.
  HttpResult send(const std::string& method, const std::string& path, const Params& query,
                  const Params& headers, const std::string& body, const BodySink& sink = {}) const;
  // send() with retries of transient failures (not used for streamed bodies: their
  // callers resume from where the stream stopped).
  HttpResult call(const std::string& method, const std::string& path, const Params& query,
                  const Params& headers, const std::string& body,
                  const RetryReport& report = {}) const;
  // Waits before attempt `attempt` (1-based retry count); false when stopped meanwhile.
  bool backoff(int attempt, int* delay_ms) const;

  const Endpoint& endpoint() const { return ep_; }
  const RetryPolicy& policy() const { return policy_; }

 private:
  Endpoint ep_;
  std::string region_, service_;
  Credentials creds_;
  RetryPolicy policy_;
  const std::atomic<bool>* stop_;
};

}  // namespace saker::cloudtrail::aws
