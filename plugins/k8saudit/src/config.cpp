// Parsing init_config and open params; see config.h. init_config is checked against
// one table of keys (type, range, where the value goes), so the schema published in
// plugin.cpp, the README and this check cannot silently disagree about a key: a key
// missing from the table is refused as unknown.
#include "config.h"

#include <saker/sdk/types.h>

#include <functional>
#include <limits>
#include <nlohmann/json.hpp>

namespace saker::k8saudit {
namespace {

using nlohmann::json;
using sdk::PluginError;

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw PluginError("init_config: '" + key + "' " + why);
}

enum class Type { kString, kInt, kBool };

struct Key {
  const char* name;
  const char* description;
  Type type;
  int64_t min = 0, max = 0;  // kInt: inclusive range
  std::function<void(Config&, const json&)> set;
};

template <class T>
std::function<void(Config&, const json&)> to(T Config::*member) {
  return [member](Config& c, const json& v) { c.*member = v.get<T>(); };
}
template <class T>
std::function<void(Config&, const json&)> wh(T WebhookConfig::*member) {
  return [member](Config& c, const json& v) { c.webhook.*member = v.get<T>(); };
}
template <class T>
std::function<void(Config&, const json&)> http(T HttpLimits::*member) {
  return [member](Config& c, const json& v) { c.webhook.http.*member = v.get<T>(); };
}
template <class T>
std::function<void(Config&, const json&)> lim(T ParseLimits::*member) {
  return [member](Config& c, const json& v) { c.limits.*member = v.get<T>(); };
}

constexpr int64_t kMiB = 1024 * 1024;
constexpr int64_t kGiB = 1024 * kMiB;
constexpr int64_t kHour = 3600 * 1000;

const std::vector<Key>& keys() {
  static const std::vector<Key> k = {
      {"listen", "host:port to listen on (default 0.0.0.0:9765)", Type::kString, 0, 0,
       [](Config& c, const json& v) {
         try {
           parse_listen(v.get<std::string>(), &c.webhook);
         } catch (const PluginError& e) {
           fail("listen", std::string("is not host:port: ") + e.what());
         }
       }},
      {"path", "URL path of the webhook (default /k8s-audit)", Type::kString, 0, 0,
       wh(&WebhookConfig::path)},
      {"scheme", "https (default) or http", Type::kString, 0, 0,
       [](Config& c, const json& v) {
         std::string s = v.get<std::string>();
         if (s != "https" && s != "http") fail("scheme", "must be \"https\" or \"http\"");
         c.webhook.tls = s == "https";
       }},
      {"ssl_certificate", "PEM server certificate (https)", Type::kString, 0, 0,
       wh(&WebhookConfig::ssl_certificate)},
      {"ssl_key", "PEM private key of the certificate (https)", Type::kString, 0, 0,
       wh(&WebhookConfig::ssl_key)},
      {"client_ca", "PEM CA file: require client certificates (mTLS)", Type::kString, 0, 0,
       wh(&WebhookConfig::client_ca)},
      {"bearer_token", "require Authorization: Bearer <token>", Type::kString, 0, 0,
       wh(&WebhookConfig::bearer_token)},
      {"threads", "HTTP worker threads (default 4)", Type::kInt, 1, 256,
       wh(&WebhookConfig::threads)},
      {"queue_max_events", "events waiting for the rules (default 65536)", Type::kInt, 1, 16 * kMiB,
       wh(&WebhookConfig::queue_max_events)},
      {"queue_max_bytes", "bytes waiting for the rules, 64 per event included (default 128 MiB)",
       Type::kInt, 64, 64 * kGiB, wh(&WebhookConfig::queue_max_bytes)},
      {"header_timeout_ms",
       "deadline for the TLS handshake, request line and headers (default 10000)", Type::kInt, 10,
       kHour, http(&HttpLimits::header_timeout_ms)},
      {"body_timeout_ms", "deadline for a whole request body (default 30000)", Type::kInt, 10,
       kHour, http(&HttpLimits::body_timeout_ms)},
      {"read_timeout_ms", "silence allowed between two reads of a body (default 5000)", Type::kInt,
       10, kHour, http(&HttpLimits::read_timeout_ms)},
      {"write_timeout_ms", "silence allowed while writing a response (default 5000)", Type::kInt,
       10, kHour, http(&HttpLimits::write_timeout_ms)},
      {"keep_alive_timeout_s", "idle time before a kept-alive connection is closed (default 5)",
       Type::kInt, 0, 3600, http(&HttpLimits::keep_alive_timeout_s)},
      {"keep_alive_max_requests", "requests served on one connection (default 1000)", Type::kInt, 1,
       1000000, http(&HttpLimits::keep_alive_max_requests)},
      {"max_connections",
       "open connections; beyond, the oldest idle one is closed or the new one refused (default "
       "512)",
       Type::kInt, 1, 65536, http(&HttpLimits::max_connections)},
      {"max_idle_connections",
       "connections not being served; beyond, the oldest is closed (default 256)", Type::kInt, 1,
       65536, http(&HttpLimits::max_idle_connections)},
      {"max_header_bytes", "request line and headers, in bytes (default 32768; 431 beyond)",
       Type::kInt, 1024, kMiB, http(&HttpLimits::max_header_bytes)},
      {"max_header_count", "header lines (default 64; 431 beyond)", Type::kInt, 4, 10000,
       http(&HttpLimits::max_header_count)},
      {"max_body_bytes",
       "largest request body as sent, any transfer encoding, and largest file document (default 12 "
       "MiB; 413 beyond)",
       Type::kInt, 64, 4 * kGiB, http(&HttpLimits::max_body_bytes)},
      {"max_decompressed_bytes",
       "largest body after Content-Encoding gzip/deflate (default: max_body_bytes; 413 beyond)",
       Type::kInt, 64, 4 * kGiB, http(&HttpLimits::max_decompressed_bytes)},
      {"max_compression_ratio",
       "largest decoded/encoded ratio of a compressed body, beyond its first MiB (default 100; 413 "
       "beyond)",
       Type::kInt, 1, 100000, http(&HttpLimits::max_compression_ratio)},
      {"listen_backlog", "pending TCP connections not yet accepted (default 1024)", Type::kInt, 1,
       65535, http(&HttpLimits::listen_backlog)},
      {"max_event_bytes", "largest single event (default 256 KiB)", Type::kInt, 16, 4 * kGiB,
       lim(&ParseLimits::max_event_bytes)},
      {"max_depth", "deepest JSON nesting (default 64)", Type::kInt, 2, 10000,
       lim(&ParseLimits::max_depth)},
      {"batch_size", "events per batch (default 512)", Type::kInt, 1, 1 << 20,
       to(&Config::batch_size)},
      {"cluster_name", "name of the cluster, the value of ka.cluster.name", Type::kString, 0, 0,
       to(&Config::cluster_name)},
      // Falco's k8saudit keys, with Falco's meaning.
      {"sslCertificate", "Falco's key: one PEM file with the certificate and its key",
       Type::kString, 0, 0,
       [](Config& c, const json& v) {  // one PEM file holding certificate and key
         c.webhook.ssl_certificate = v.get<std::string>();
         if (c.webhook.ssl_key.empty()) c.webhook.ssl_key = c.webhook.ssl_certificate;
       }},
      {"maxEventSize", "Falco's key: max_event_bytes", Type::kInt, 16, 4 * kGiB,
       lim(&ParseLimits::max_event_bytes)},
      {"webhookMaxBatchSize", "Falco's key: max_body_bytes", Type::kInt, 64, 4 * kGiB,
       http(&HttpLimits::max_body_bytes)},
      // Falco: extraction on another thread. Here events are always received on the HTTP
      // threads and handed over through the queue, so both values mean the same.
      {"useAsync", "Falco's key: accepted; events are always handed over asynchronously here",
       Type::kBool, 0, 0, [](Config&, const json&) {}},
  };
  return k;
}

// The same setting under Falco's name and saker's: giving both is ambiguous.
constexpr std::pair<const char*, const char*> kAliases[] = {
    {"sslCertificate", "ssl_certificate"},
    {"maxEventSize", "max_event_bytes"},
    {"webhookMaxBatchSize", "max_body_bytes"},
};

const char* type_name(Type t) {
  return t == Type::kString ? "a string" : t == Type::kInt ? "an integer" : "true or false";
}

void check_type(const Key& k, const json& v) {
  bool ok = k.type == Type::kString ? v.is_string()
            : k.type == Type::kBool ? v.is_boolean()
                                    : v.is_number_integer();
  if (!ok) fail(k.name, "must be " + std::string(type_name(k.type)) + ", got " + v.dump());
  if (k.type != Type::kInt) return;
  bool in_range = v.is_number_unsigned() ? v.get<uint64_t>() >= static_cast<uint64_t>(k.min) &&
                                               v.get<uint64_t>() <= static_cast<uint64_t>(k.max)
                                         : v.get<int64_t>() >= k.min && v.get<int64_t>() <= k.max;
  if (!in_range) {
    fail(k.name, "must be between " + std::to_string(k.min) + " and " + std::to_string(k.max) +
                     ", got " + v.dump());
  }
}

std::string known_keys() {
  std::string s;
  for (const auto& k : keys()) s += (s.empty() ? "" : ", ") + std::string(k.name);
  return s;
}

void check_consistency(const Config& c) {
  const WebhookConfig& w = c.webhook;
  if (w.path.empty() || w.path[0] != '/') fail("path", "must start with /");
  if (w.queue_max_bytes < w.http.max_decompressed_bytes ||
      w.queue_max_bytes < w.http.max_body_bytes)
    fail("queue_max_bytes", "must be at least 'max_body_bytes' and 'max_decompressed_bytes'");
  if (w.http.max_idle_connections > w.http.max_connections)
    fail("max_idle_connections", "must not exceed 'max_connections'");
}

}  // namespace

const char* init_schema() {
  static const std::string schema = [] {
    json props = json::object();
    for (const auto& k : keys()) {
      json p{{"description", k.description}};
      p["type"] = k.type == Type::kString ? "string" : k.type == Type::kInt ? "integer" : "boolean";
      if (k.type == Type::kInt) {
        p["minimum"] = k.min;
        p["maximum"] = k.max;
      }
      if (std::string(k.name) == "scheme") p["enum"] = {"https", "http"};
      props[k.name] = p;
    }
    return json{{"type", "object"}, {"additionalProperties", false}, {"properties", props}}.dump(2);
  }();
  return schema.c_str();
}

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
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return c;
  json cfg = json::parse(text, nullptr, false);
  if (cfg.is_discarded() || !cfg.is_object()) throw PluginError("init_config: not a JSON object");
  for (const auto& [name, value] : cfg.items()) {
    bool known = false;
    for (const auto& k : keys()) known = known || name == k.name;
    if (!known) {
      throw PluginError("init_config: unknown key '" + name + "' (known keys: " + known_keys() +
                        ")");
    }
  }
  for (const auto& [falco, ours] : kAliases) {
    if (cfg.contains(falco) && cfg.contains(ours))
      fail(falco, std::string("and '") + ours + "' are the same setting: give one of them");
  }
  for (const auto& k : keys()) {  // table order: ssl_key before sslCertificate
    auto it = cfg.find(k.name);
    if (it == cfg.end() || it->is_null()) continue;
    check_type(k, *it);
    k.set(c, *it);
  }
  // A decoded body is held to the same bound as a plain one unless told otherwise.
  if (!cfg.contains("max_decompressed_bytes"))
    c.webhook.http.max_decompressed_bytes = c.webhook.http.max_body_bytes;
  check_consistency(c);
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
