// Reading http_output's settings.
#include "http_settings.h"

namespace saker::outputs::http {

HttpSettings read_http_settings(const Params& p, const std::string& instance) {
  HttpSettings s;
  s.url = p.str("url", "");
  if (s.url.rfind("http://", 0) != 0 && s.url.rfind("https://", 0) != 0) {
    p.fail("url", "expected an http:// or https:// URL, got '" + s.url + "'");
  }
  s.user_agent = p.str("user_agent", s.user_agent);
  s.insecure = p.boolean("insecure", false);
  s.ca_cert = p.str("ca_cert", "");
  s.ca_bundle = p.str("ca_bundle", "");
  s.ca_path = p.str("ca_path", "");
  s.mtls = p.boolean("mtls", false);
  s.client_cert = p.str("client_cert", "/etc/ssl/certs/client.crt");
  s.client_key = p.str("client_key", "/etc/ssl/certs/client.key");
  s.echo = p.boolean("echo", false);
  s.compress_uploads = p.boolean("compress_uploads", false);
  s.gzip = p.boolean("gzip", false);
  s.keep_alive = p.boolean("keep_alive", false);
  s.headers = p.string_map("headers");
  for (const auto& [k, v] : s.headers) {
    if (k.empty() || k.find_first_of(":\r\n ") != std::string::npos ||
        v.find_first_of("\r\n") != std::string::npos) {
      p.fail("headers", "invalid header '" + k + "'");
    }
  }
  s.connect_timeout_ms = p.uint("connect_timeout_ms", s.connect_timeout_ms);
  s.timeout_ms = p.uint("timeout_ms", s.timeout_ms);
  if (s.timeout_ms == 0) p.fail("timeout_ms", "must be greater than 0");
  s.backoff_initial_ms = p.uint("retry_backoff_initial_ms", s.backoff_initial_ms);
  s.backoff_max_ms = p.uint("retry_backoff_max_ms", s.backoff_max_ms);
  if (s.backoff_initial_ms == 0) p.fail("retry_backoff_initial_ms", "must be greater than 0");
  if (s.backoff_max_ms < s.backoff_initial_ms) {
    p.fail("retry_backoff_max_ms", "must not be less than retry_backoff_initial_ms");
  }
  s.spool_dir = p.str("spool_dir", "/var/lib/saker/spool/" + instance);
  if (s.spool_dir.empty()) p.fail("spool_dir", "must name a folder");
  s.spool_max_bytes = p.uint("spool_max_bytes", s.spool_max_bytes);
  s.line = line_settings(p);
  // As in Falco, the body is the JSON object when json_output is on (the top-level key
  // or the section's own), else the text line: Falcosidekick and Talon need JSON.
  return s;
}

}  // namespace saker::outputs::http
