// ka.req.* fields about the request object that are not per container: role bindings,
// roles, configmaps, services, volumes and pod-level settings. See field_table.h.
#include "field_table.h"

namespace saker::k8saudit {
namespace {

using Keys = std::initializer_list<std::string_view>;

// Every element of requestObject.subjects, as JSON text.
void subjects(const FieldCtx& c, sdk::ExtractRequest& r) {
  std::vector<std::string> out;
  for (const json* s : elements(c, r, {"requestObject", "subjects"})) out.push_back(to_text(*s));
  set_list(r, out);
}

// The names of the subjects of one kind; with_ns prefixes "namespace:".
ExtractFn subject_names(std::string kind, bool with_ns) {
  return [kind, with_ns](const FieldCtx& c, sdk::ExtractRequest& r) {
    std::vector<std::string> out;
    for (const json* s : elements(c, r, {"requestObject", "subjects"})) {
      const json* k = find(*s, {"kind"});
      const json* n = find(*s, {"name"});
      if (!k || !n || !k->is_string() || *k != kind) continue;
      const json* ns = find(*s, {"namespace"});
      out.push_back(with_ns ? (ns ? to_text(*ns) : std::string()) + ":" + to_text(*n)
                            : to_text(*n));
    }
    set_list(r, out);
  };
}

// ka.req.binding.subject.has_name[name]: "true" when a subject has that name.
void subject_has_name(const FieldCtx& c, sdk::ExtractRequest& r) {
  const json* subs = find(c.doc, {"requestObject", "subjects"});
  if (!subs || !subs->is_array()) return;
  bool found = false;
  for (const auto& s : *subs) {
    const json* n = find(s, {"name"});
    found = found || (n && n->is_string() && *n == r.arg_key());
  }
  r.set(found ? "true" : "false");
}

// Every element of an array at `keys` (optionally indexed), as JSON text.
ExtractFn each_text(Keys keys) {
  std::vector<std::string> path(keys.begin(), keys.end());
  return [path](const FieldCtx& c, sdk::ExtractRequest& r) {
    const json* arr = &c.doc;
    for (const auto& k : path) {
      auto it = arr->is_object() ? arr->find(k) : arr->end();
      if (!arr->is_object() || it == arr->end()) return;
      arr = &*it;
    }
    if (!arr->is_array()) return;
    std::vector<std::string> out;
    if (r.has_arg()) {
      if (r.arg_index() < arr->size()) out.push_back(to_text((*arr)[r.arg_index()]));
    } else {
      for (const auto& e : *arr) out.push_back(to_text(e));
    }
    set_list(r, out);
  };
}

// The strings of member `key` (an array) of every role rule, flattened.
ExtractFn rule_members(std::string key) {
  return [key](const FieldCtx& c, sdk::ExtractRequest& r) {
    std::vector<std::string> out;
    for (const json* rule : elements(c, r, {"requestObject", "rules"})) {
      const json* v = find(*rule, {key});
      if (!v || !v->is_array()) continue;
      for (const auto& s : *v) out.push_back(to_text(s));
    }
    set_list(r, out);
  };
}

// A member of each volume (e.g. hostPath.path), skipping volumes without it.
ExtractFn volume_member(std::string a, std::string b) {
  return [a, b](const FieldCtx& c, sdk::ExtractRequest& r) {
    std::vector<std::string> out;
    for (const json* v : elements(c, r, {"requestObject", "spec", "volumes"})) {
      if (const json* m = find(*v, {a, b})) out.push_back(to_text(*m));
    }
    set_list(r, out);
  };
}

// The volume source type of each volume: its members other than "name".
void volume_types(const FieldCtx& c, sdk::ExtractRequest& r) {
  std::vector<std::string> out;
  for (const json* v : elements(c, r, {"requestObject", "spec", "volumes"})) {
    if (!v->is_object()) continue;
    for (const auto& [k, val] : v->items()) {
      if (k != "name") out.push_back(k);
    }
  }
  set_list(r, out);
}

// ka.req.volume.hostpath[path]: "true" when a hostPath volume uses `path` (a trailing
// '*' makes it a prefix match).
void volume_hostpath(const FieldCtx& c, sdk::ExtractRequest& r) {
  const json* vols = find(c.doc, {"requestObject", "spec", "volumes"});
  if (!vols || !vols->is_array()) return;
  std::string_view want = r.arg_key();
  bool prefix = !want.empty() && want.back() == '*';
  if (prefix) want.remove_suffix(1);
  bool hit = false;
  for (const auto& v : *vols) {
    const json* p = find(v, {"hostPath", "path"});
    if (!p || !p->is_string()) continue;
    std::string_view s = p->get_ref<const std::string&>();
    hit = hit || (prefix ? s.substr(0, want.size()) == want : s == want);
  }
  r.set(hit ? "true" : "false");
}

}  // namespace

std::vector<FieldEntry> request_fields() {
  return {
      list_field("ka.req.binding.subjects",
                 "The subjects (JSON) linked by a (cluster) role binding", subjects, false),
      list_field("ka.req.binding.subjects.user_names", "The user names a binding links",
                 subject_names("User", false), false),
      list_field("ka.req.binding.subjects.group_names", "The group names a binding links",
                 subject_names("Group", false), false),
      list_field("ka.req.binding.subjects.serviceaccount_names",
                 "The service account names a binding links",
                 subject_names("ServiceAccount", false), false),
      list_field("ka.req.binding.subjects.serviceaccount_ns_names",
                 "The service accounts a binding links, as namespace:name",
                 subject_names("ServiceAccount", true), false),
      path_field("ka.req.binding.role", "The role a (cluster) role binding links",
                 {"requestObject", "roleRef", "name"}),
      key_field("ka.req.binding.subject.has_name",
                "Deprecated: \"true\" when a binding subject has the given name", subject_has_name),
      path_field("ka.req.configmap.name", "The configmap name (the target object name)",
                 {"objectRef", "name"}),
      path_field("ka.req.configmap.obj", "The configmap's data, as JSON",
                 {"requestObject", "data"}),
      list_field("ka.req.role.rules", "The rules (JSON) of a role / cluster role",
                 each_text({"requestObject", "rules"}), false),
      list_field("ka.req.role.rules.apiGroups", "The api groups of a role's rules",
                 rule_members("apiGroups")),
      list_field("ka.req.role.rules.nonResourceURLs", "The non-resource URLs of a role's rules",
                 rule_members("nonResourceURLs")),
      list_field("ka.req.role.rules.verbs", "The verbs of a role's rules", rule_members("verbs")),
      list_field("ka.req.role.rules.resources", "The resources of a role's rules",
                 rule_members("resources")),
      path_field("ka.req.service.type", "The service type", {"requestObject", "spec", "type"}),
      list_field("ka.req.service.ports", "The service's ports (JSON)",
                 each_text({"requestObject", "spec", "ports"})),
      list_field("ka.req.pod.volumes.hostpath", "The hostPath paths of a pod's volumes",
                 volume_member("hostPath", "path")),
      key_field("ka.req.volume.hostpath",
                "Deprecated: \"true\" when a hostPath volume uses the path (prefix with *)",
                volume_hostpath),
      list_field("ka.req.pod.volumes.flexvolume_driver",
                 "The flexVolume drivers of a pod's volumes",
                 volume_member("flexVolume", "driver")),
      list_field("ka.req.pod.volumes.volume_type", "The source types of a pod's volumes",
                 volume_types),
      path_field("ka.req.pod.host_ipc", "The pod's hostIPC flag",
                 {"requestObject", "spec", "hostIPC"}),
      path_field("ka.req.pod.host_network", "The pod's hostNetwork flag",
                 {"requestObject", "spec", "hostNetwork"}),
      path_field("ka.req.container.host_network", "Deprecated alias of ka.req.pod.host_network",
                 {"requestObject", "spec", "hostNetwork"}),
      path_field("ka.req.pod.host_pid", "The pod's hostPID flag",
                 {"requestObject", "spec", "hostPID"}),
      path_field("ka.req.pod.run_as_user", "The pod security context's runAsUser",
                 {"requestObject", "spec", "securityContext", "runAsUser"}),
      path_field("ka.req.pod.run_as_group", "The pod security context's runAsGroup",
                 {"requestObject", "spec", "securityContext", "runAsGroup"}),
      path_field("ka.req.pod.fs_group", "The pod security context's fsGroup",
                 {"requestObject", "spec", "securityContext", "fsGroup"}),
      list_field("ka.req.pod.supplemental_groups", "The pod security context's supplementalGroups",
                 each_text({"requestObject", "spec", "securityContext", "supplementalGroups"}),
                 false),
  };
}

}  // namespace saker::k8saudit
