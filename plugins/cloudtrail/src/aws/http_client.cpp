// The signed HTTP client; see http_client.h. cpp-httplib does the HTTP (and TLS through
// OpenSSL); everything it would add on its own that SigV4 covers (Host) is set here.
#include "http_client.h"

#include <httplib.h>

#include <chrono>
#include <random>
#include <thread>

namespace saker::cloudtrail::aws {

Endpoint Endpoint::parse(const std::string& url) {
  Endpoint e;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    e.scheme = "https", e.port = 443, rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    e.scheme = "http", e.port = 80, rest = url.substr(7);
  } else {
    throw std::runtime_error("endpoint '" + url + "': expected http://host[:port] or https://...");
  }
  rest = rest.substr(0, rest.find('/'));
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find(']') == std::string::npos) {
    e.host = rest.substr(0, colon);
    try {
      e.port = std::stoi(rest.substr(colon + 1));
    } catch (...) {
      throw std::runtime_error("endpoint '" + url + "': bad port");
    }
  } else {
    e.host = rest;
  }
  if (e.host.empty()) throw std::runtime_error("endpoint '" + url + "': no host");
  return e;
}

std::string Endpoint::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string Endpoint::host_header() const {
  const bool dflt = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return dflt ? host : host + ":" + std::to_string(port);
}

std::string HttpResult::describe() const {
  if (!error.empty()) return error;
  std::string code;
  const size_t a = body.find("<Code>"), b = body.find("</Code>");
  if (a != std::string::npos && b > a) code = " " + body.substr(a + 6, b - a - 6);
  const size_t t = body.find("\"__type\"");
  if (code.empty() && t != std::string::npos) code = " " + body.substr(t, 80);
  return "HTTP " + std::to_string(status) + code;
}

HttpClient::HttpClient(Endpoint ep, std::string region, std::string service, Credentials creds,
                       RetryPolicy policy, const std::atomic<bool>* stop)
    : ep_(std::move(ep)),
      region_(std::move(region)),
      service_(std::move(service)),
      creds_(std::move(creds)),
      policy_(policy),
      stop_(stop) {}

HttpResult HttpClient::send(const std::string& method, const std::string& path, const Params& query,
                            const Params& headers, const std::string& body,
                            const BodySink& sink) const {
  SignRequest sr;
  sr.method = method;
  sr.host = ep_.host_header();
  sr.path = path;
  sr.query = query;
  sr.headers = headers;
  sr.payload = body;
  sr.region = region_;
  sr.service = service_;
  sr.amz_date = amz_date_now();
  httplib::Headers hh;
  for (const auto& [k, v] : sign(sr, creds_)) hh.emplace(k, v);
  std::string target = uri_encode(path, true);
  const std::string q = canonical_query(query);
  if (!q.empty()) target += "?" + q;

  httplib::Client cli(ep_.origin());
  cli.set_url_encode(false);
  cli.set_keep_alive(false);
  cli.set_connection_timeout(std::chrono::milliseconds(policy_.connect_timeout_ms));
  cli.set_read_timeout(std::chrono::milliseconds(policy_.read_timeout_ms));
  cli.set_write_timeout(std::chrono::milliseconds(policy_.read_timeout_ms));
  HttpResult out;
  httplib::Request req;
  req.method = method;
  req.path = target;
  req.headers = hh;
  req.body = body;
  if (!body.empty() && !req.has_header("Content-Type")) {
    req.headers.emplace("Content-Type", "application/octet-stream");
  }
  int status = 0;
  if (sink) {
    req.response_handler = [&](const httplib::Response& r) {
      status = r.status;
      return true;
    };
    req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
      if (status >= 200 && status < 300) {
        out.streamed += len;
        return sink(status, data, len);
      }
      if (out.body.size() < 64 * 1024) out.body.append(data, len);
      return true;
    };
  }
  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  const bool sent = cli.send(req, res, err);
  if (!sent || err != httplib::Error::Success) {
    out.status = 0;
    out.error = "request failed: " + httplib::to_string(err);
    return out;
  }
  out.status = res.status;
  if (!sink) out.body = std::move(res.body);
  return out;
}

bool HttpClient::backoff(int attempt, int* delay_ms) const {
  thread_local std::mt19937 rng(std::random_device{}());
  const int cap =
      std::min(policy_.max_delay_ms, policy_.base_delay_ms << std::min(attempt - 1, 16));
  // "Equal jitter": half the cap, plus a random part of the other half.
  const int delay = cap / 2 + std::uniform_int_distribution<int>(0, std::max(cap / 2, 1))(rng);
  if (delay_ms) *delay_ms = delay;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay);
  while (std::chrono::steady_clock::now() < end) {
    if (stop_ && stop_->load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !(stop_ && stop_->load());
}

HttpResult HttpClient::call(const std::string& method, const std::string& path, const Params& query,
                            const Params& headers, const std::string& body,
                            const RetryReport& report) const {
  HttpResult r;
  for (int attempt = 1;; ++attempt) {
    r = send(method, path, query, headers, body);
    if (r.ok() || !r.transient() || attempt >= policy_.max_attempts) return r;
    int delay = 0;
    if (!backoff(attempt, &delay)) return r;
    if (report) report(attempt, r.describe(), delay);
  }
}

}  // namespace saker::cloudtrail::aws
