// The HTTP output's libcurl client.
#include "http_client.h"

#include <curl/curl.h>
#include <zlib.h>

#include <stdexcept>

namespace saker::outputs::http {

namespace {

size_t collect(char* p, size_t size, size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < 64 * 1024) out->append(p, size * n);  // bounded: only for echo/errors
  return size * n;
}

// curl_global_init is not thread-safe: run it once, before any handle.
void global_init() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  if (!done) throw std::runtime_error("libcurl could not be initialised");
}

}  // namespace

std::string gzip_compress(const std::string& in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out;
  out.resize(deflateBound(&zs, in.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
  return out;
}

HttpClient::HttpClient(const HttpSettings& s) : s_(s) {
  global_init();
  curl_ = curl_easy_init();
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(curl_, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(curl_, CURLOPT_POST, 1L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl_, CURLOPT_USERAGENT, s.user_agent.c_str());
  curl_easy_setopt(curl_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(s.connect_timeout_ms));
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, static_cast<long>(s.timeout_ms));
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response_);
  if (s.keep_alive) {
    curl_easy_setopt(curl_, CURLOPT_TCP_KEEPALIVE, 1L);
  } else {
    curl_easy_setopt(curl_, CURLOPT_FORBID_REUSE, 1L);  // Falco's default: a connection per alert
  }
  if (s.compress_uploads) curl_easy_setopt(curl_, CURLOPT_ACCEPT_ENCODING, "");
  if (s.insecure) {
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl_, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  // Falco's order: ca_cert, then ca_bundle, then ca_path.
  if (!s.ca_cert.empty()) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, s.ca_cert.c_str());
  } else if (!s.ca_bundle.empty()) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, s.ca_bundle.c_str());
  } else if (!s.ca_path.empty()) {
    curl_easy_setopt(curl_, CURLOPT_CAPATH, s.ca_path.c_str());
  }
  if (s.mtls) {
    curl_easy_setopt(curl_, CURLOPT_SSLCERT, s.client_cert.c_str());
    curl_easy_setopt(curl_, CURLOPT_SSLKEY, s.client_key.c_str());
  }
  headers_ = curl_slist_append(
      headers_, s.line.json ? "Content-Type: application/json" : "Content-Type: text/plain");
  headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  if (s.gzip) headers_ = curl_slist_append(headers_, "Content-Encoding: gzip");
  for (const auto& [k, v] : s.headers) {
    headers_ = curl_slist_append(headers_, (k + ": " + v).c_str());
  }
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers_);
}

HttpClient::~HttpClient() {
  if (curl_) curl_easy_cleanup(curl_);
  if (headers_) curl_slist_free_all(headers_);
}

PostResult HttpClient::post(const std::string& body) {
  const std::string* send = &body;
  if (s_.gzip) {
    gz_ = gzip_compress(body);
    send = &gz_;
  }
  response_.clear();
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, send->data());
  curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(send->size()));
  PostResult r;
  CURLcode rc = curl_easy_perform(curl_);
  if (rc != CURLE_OK) {
    r.kind = PostResult::kRetry;
    r.error = curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
  r.body = response_;
  if (r.status >= 200 && r.status < 300) {
    r.kind = PostResult::kDelivered;
  } else if (r.status == 408 || r.status == 429 || r.status >= 500) {
    r.kind = PostResult::kRetry;
    r.error = "HTTP " + std::to_string(r.status);
  } else {
    r.kind = PostResult::kRejected;
    r.error = "HTTP " + std::to_string(r.status) + (response_.empty() ? "" : ": " + response_);
  }
  return r;
}

}  // namespace saker::outputs::http
