// ka.* fields of the audit record itself: who did what to which object, and how the
// API server answered. See field_table.h.
#include "field_table.h"

namespace saker::k8saudit {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded decoding ('+' is a space, %XX a byte).
std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// ka.uri.param[key]: the first value of query parameter `key` of requestURI.
void uri_param(const FieldCtx& c, sdk::ExtractRequest& r) {
  const json* uri = find(c.doc, {"requestURI"});
  if (!uri || !uri->is_string()) return;
  std::string_view u = uri->get_ref<const std::string&>();
  size_t q = u.find('?');
  if (q == std::string_view::npos) return;
  std::string_view query = u.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (url_decode(pair.substr(0, eq)) == r.arg_key()) {
      return r.set(eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    query = query.substr(amp + 1);
  }
}

void string_list(const FieldCtx& c, sdk::ExtractRequest& r,
                 std::initializer_list<std::string_view> keys) {
  std::vector<std::string> out;
  for (const json* e : elements(c, r, keys)) out.push_back(to_text(*e));
  set_list(r, out);
}

// ka.target.pod.name: the pod a request is about (objectRef.name when the target
// resource is pods, including its subresources such as exec); for a pod created with
// generateName, the name the API server gave it (responseObject).
void target_pod_name(const FieldCtx& c, sdk::ExtractRequest& r) {
  const json* res = find(c.doc, {"objectRef", "resource"});
  if (!res || !res->is_string() || *res != "pods") return;
  const json* name = find(c.doc, {"objectRef", "name"});
  if (!name || !name->is_string()) {
    const json* kind = find(c.doc, {"responseObject", "kind"});
    if (!kind || !kind->is_string() || *kind != "Pod") return;
    name = find(c.doc, {"responseObject", "metadata", "name"});
  }
  set_text(r, name);
}

}  // namespace

std::vector<FieldEntry> audit_fields() {
  return {
      path_field("ka.auditid", "The unique id of the audit event", {"auditID"}),
      path_field("ka.stage", "Stage of the request (RequestReceived, ResponseComplete, ...)",
                 {"stage"}),
      path_field("ka.auth.decision", "The authorization decision",
                 {"annotations", "authorization.k8s.io/decision"}),
      path_field("ka.auth.reason", "The authorization reason",
                 {"annotations", "authorization.k8s.io/reason"}),
      path_field("ka.user.name", "The user name performing the request", {"user", "username"}),
      list_field(
          "ka.user.groups", "The groups to which the user belongs",
          [](const FieldCtx& c, sdk::ExtractRequest& r) {
            string_list(c, r, {"user", "groups"});
          },
          false),
      path_field("ka.impuser.name", "The impersonated user name", {"impersonatedUser", "username"}),
      path_field("ka.verb", "The action being performed", {"verb"}),
      path_field("ka.uri", "The request URI as sent from client to server", {"requestURI"}),
      key_field("ka.uri.param",
                "The first value of a query parameter of the uri (ka.uri.param[key])", uri_param),
      path_field("ka.target.name", "The target object name", {"objectRef", "name"}),
      str_field("ka.target.pod.name", "The target pod name (pods and their subresources)",
                target_pod_name),
      path_field("ka.target.namespace", "The target object namespace", {"objectRef", "namespace"}),
      path_field("ka.target.resource", "The target object resource", {"objectRef", "resource"}),
      path_field("ka.target.subresource", "The target object subresource",
                 {"objectRef", "subresource"}),
      path_field("ka.resp.name", "The response object name",
                 {"responseObject", "metadata", "name"}),
      path_field("ka.response.code", "The response code", {"responseStatus", "code"}),
      path_field("ka.response.reason", "The response reason (usually only for failures)",
                 {"responseStatus", "reason"}),
      path_field("ka.useragent", "The user agent of the client that made the request",
                 {"userAgent"}),
      list_field(
          "ka.sourceips", "The IP addresses of the client that made the request",
          [](const FieldCtx& c, sdk::ExtractRequest& r) { string_list(c, r, {"sourceIPs"}); }),
  };
}

}  // namespace saker::k8saudit
