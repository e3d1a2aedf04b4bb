// SigV4 signing; see sigv4.h and AWS's "Signature Version 4 signing process".
#include "sigv4.h"

#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace saker::cloudtrail::aws {
namespace {

std::string hex(const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = d[p[i] >> 4];
    out[2 * i + 1] = d[p[i] & 15];
  }
  return out;
}

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len);
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Header values: leading/trailing spaces removed, inner runs of spaces made one.
std::string trim_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return hex(md, sizeof(md));
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  static const char* d = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += d[c >> 4];
      out += d[c & 15];
    }
  }
  return out;
}

std::string canonical_query(const Params& query) {
  std::vector<std::pair<std::string, std::string>> enc;
  for (const auto& [k, v] : query) enc.emplace_back(uri_encode(k, false), uri_encode(v, false));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

std::string amz_date_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Params sign(const SignRequest& req, const Credentials& creds) {
  const std::string payload_hash = sha256_hex(req.payload);
  Params headers = req.headers;
  headers.emplace_back("host", req.host);
  headers.emplace_back("x-amz-date", req.amz_date);
  headers.emplace_back("x-amz-content-sha256", payload_hash);
  if (!creds.session_token.empty())
    headers.emplace_back("x-amz-security-token", creds.session_token);
  std::vector<std::pair<std::string, std::string>> canon;
  for (const auto& [k, v] : headers) canon.emplace_back(lower(k), trim_value(v));
  std::sort(canon.begin(), canon.end());
  std::string canonical_headers, signed_headers;
  for (const auto& [k, v] : canon) {
    canonical_headers += k + ":" + v + "\n";
    signed_headers += (signed_headers.empty() ? "" : ";") + k;
  }
  const std::string canonical_request = req.method + "\n" + uri_encode(req.path, true) + "\n" +
                                        canonical_query(req.query) + "\n" + canonical_headers +
                                        "\n" + signed_headers + "\n" + payload_hash;
  const std::string date = req.amz_date.substr(0, 8);
  const std::string scope = date + "/" + req.region + "/" + req.service + "/aws4_request";
  const std::string to_sign =
      "AWS4-HMAC-SHA256\n" + req.amz_date + "\n" + scope + "\n" + sha256_hex(canonical_request);
  std::string key = hmac("AWS4" + creds.secret_access_key, date);
  key = hmac(key, req.region);
  key = hmac(key, req.service);
  key = hmac(key, "aws4_request");
  const std::string mac = hmac(key, to_sign);
  const std::string signature = hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
  headers.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" +
                                            scope + ",SignedHeaders=" + signed_headers +
                                            ",Signature=" + signature);
  return headers;
}

}  // namespace saker::cloudtrail::aws
