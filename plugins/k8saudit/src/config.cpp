// Parsing init_config and open params; see config.h.
#include "config.h"

#include <saker/sdk/types.h>

#include <nlohmann/json.hpp>

namespace saker::k8saudit {
namespace {

using nlohmann::json;
using sdk::PluginError;

template <class T>
void read(const json& cfg, const char* key, T* out) {
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return;
  try {
    *out = it->get<T>();
  } catch (const json::exception&) {
    throw PluginError(std::string("init_config: '") + key + "' has the wrong type");
  }
}

void read_size(const json& cfg, const char* key, size_t* out, size_t min) {
  uint64_t v = *out;
  read(cfg, key, &v);
  if (v < min) throw PluginError(std::string("init_config: '") + key + "' is too small");
  *out = static_cast<size_t>(v);
}

void read_webhook(const json& cfg, WebhookConfig* wh) {
  std::string listen;
  read(cfg, "listen", &listen);
  if (!listen.empty()) parse_listen(listen, wh);
  read(cfg, "path", &wh->path);
  std::string scheme = wh->tls ? "https" : "http";
  read(cfg, "scheme", &scheme);
  if (scheme != "https" && scheme != "http") throw PluginError("init_config: bad 'scheme'");
  wh->tls = scheme == "https";
  read(cfg, "ssl_certificate", &wh->ssl_certificate);
  read(cfg, "ssl_key", &wh->ssl_key);
  read(cfg, "client_ca", &wh->client_ca);
  read(cfg, "bearer_token", &wh->bearer_token);
  read_size(cfg, "max_body_bytes", &wh->max_body_bytes, 64);
  read_size(cfg, "threads", &wh->threads, 1);
  read(cfg, "read_timeout_ms", &wh->read_timeout_ms);
  read(cfg, "write_timeout_ms", &wh->write_timeout_ms);
  read(cfg, "keep_alive_timeout_s", &wh->keep_alive_timeout_s);
  read_size(cfg, "queue_max_events", &wh->queue_max_events, 1);
  read_size(cfg, "queue_max_bytes", &wh->queue_max_bytes, 64);
  if (wh->path.empty() || wh->path[0] != '/')
    throw PluginError("init_config: 'path' must start with /");
}

}  // namespace

void parse_listen(const std::string& text, WebhookConfig* wh) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos) throw PluginError("listen address needs a port: '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  wh->host = host.empty() ? "0.0.0.0" : host;
  try {
    size_t used = 0;
    wh->port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1 || wh->port < 0 || wh->port > 65535) throw 0;
  } catch (...) {
    throw PluginError("bad port in listen address '" + text + "'");
  }
}

Config parse_init_config(const std::string& text) {
  Config c;
  if (text.empty()) return c;
  json cfg = json::parse(text, nullptr, false);
  if (cfg.is_discarded() || !cfg.is_object()) throw PluginError("init_config: not a JSON object");
  read_webhook(cfg, &c.webhook);
  read_size(cfg, "max_event_bytes", &c.limits.max_event_bytes, 16);
  read_size(cfg, "max_depth", &c.limits.max_depth, 2);
  read_size(cfg, "batch_size", &c.batch_size, 1);
  read(cfg, "cluster_name", &c.cluster_name);
  if (c.webhook.queue_max_bytes < c.webhook.max_body_bytes) {
    throw PluginError("init_config: 'queue_max_bytes' must be at least 'max_body_bytes'");
  }
  return c;
}

OpenTarget parse_open_params(const std::string& params, WebhookConfig* wh) {
  OpenTarget t;
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return params.size() >= s.size() && params.compare(params.size() - s.size(), s.size(), s) == 0;
  };
  if (params.empty()) return t;
  if (params.rfind("file://", 0) == 0) {
    t.kind = OpenTarget::Kind::kFile;
    t.file = params.substr(7);
    return t;
  }
  for (const char* scheme : {"https://", "http://"}) {
    std::string s(scheme);
    if (params.rfind(s, 0) != 0) continue;
    wh->tls = s == "https://";
    std::string rest = params.substr(s.size());
    size_t slash = rest.find('/');
    parse_listen(rest.substr(0, slash), wh);
    if (slash != std::string::npos) wh->path = rest.substr(slash);
    return t;
  }
  if (ends_with(".json") || ends_with(".jsonl") || ends_with(".gz") || params[0] == '/') {
    t.kind = OpenTarget::Kind::kFile;
    t.file = params;
    return t;
  }
  throw PluginError(
      "open params: expected https://host:port/path, http://..., file:///path or "
      "a .json/.jsonl/.gz file, got '" +
      params + "'");
}

}  // namespace saker::k8saudit
