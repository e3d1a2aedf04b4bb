// AWS Signature Version 4 for the requests this plugin makes (S3 GET/PUT, SQS JSON POST):
// canonical request, string to sign, signing key and the headers to add, computed with
// OpenSSL's SHA-256 and HMAC. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace saker::cloudtrail::aws {

struct Credentials {
  std::string access_key_id, secret_access_key, session_token;
  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

using Params = std::vector<std::pair<std::string, std::string>>;

struct SignRequest {
  std::string method = "GET";
  std::string host;             // as sent in the Host header (with :port when not default)
  std::string path = "/";       // not yet encoded; encoded once here, '/' kept
  Params query;                 // not yet encoded
  Params headers;               // extra headers to sign (names in any case)
  std::string_view payload;     // the body
  std::string region, service;  // "us-east-1", "s3"
  std::string amz_date;         // "20130524T000000Z"
};

// The headers to send: every header of the request (Host included) plus x-amz-date,
// x-amz-content-sha256, x-amz-security-token (with a session token) and Authorization.
Params sign(const SignRequest& req, const Credentials& creds);

// RFC 3986 encoding as SigV4 wants it (unreserved characters kept; '/' kept when asked).
std::string uri_encode(std::string_view s, bool keep_slash);
// "a=1&b=2", sorted by name then value, names and values encoded.
std::string canonical_query(const Params& query);
std::string sha256_hex(std::string_view data);
// The current time as x-amz-date wants it.
std::string amz_date_now();

}  // namespace saker::cloudtrail::aws
