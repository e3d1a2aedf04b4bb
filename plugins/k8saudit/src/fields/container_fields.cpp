// ka.req.pod.{containers,initContainers,ephemeralContainers}.* fields: one value per
// container of the pod spec in the request (an index argument picks one container),
// plus the deprecated single-valued ka.req.container.* forms. A container that lacks
// the setting contributes no value, except for the eff_* fields, which resolve what
// the kubelet would use (container, then pod security context, then 0).
#include "field_table.h"

namespace saker::k8saudit {
namespace {

using Values = std::vector<std::string>;
// Appends a container's values of one attribute.
using PerContainer = void (*)(const json& pod_spec, const json& container, Values* out);

// "registry:5000/team/app:1.2@sha256:..." -> "registry:5000/team/app".
std::string repository_of(const std::string& image) {
  std::string repo = image.substr(0, image.find('@'));
  size_t colon = repo.rfind(':');
  size_t slash = repo.rfind('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    repo.resize(colon);
  }
  return repo;
}

void add_if(const json* v, Values* out) {
  if (v && !v->is_null()) out->push_back(to_text(*v));
}

void add_each(const json* v, Values* out) {
  if (!v || !v->is_array()) return;
  for (const auto& e : *v) out->push_back(to_text(e));
}

template <const char* Key>
void security(const json&, const json& c, Values* out) {
  add_if(find(c, {"securityContext", Key}), out);
}

// The effective id: the container's, else the pod's, else 0 (root).
template <const char* Key>
void effective(const json& spec, const json& c, Values* out) {
  const json* v = find(c, {"securityContext", Key});
  if (!v) v = find(spec, {"securityContext", Key});
  out->push_back(v ? to_text(*v) : "0");
}

// hostPort when set; with hostNetwork the containerPort is the host's port too.
void host_ports(const json& spec, const json& c, Values* out) {
  const json* ports = find(c, {"ports"});
  if (!ports || !ports->is_array()) return;
  const json* host_net = find(spec, {"hostNetwork"});
  bool on_host = host_net && host_net->is_boolean() && host_net->get<bool>();
  for (const auto& p : *ports) {
    if (const json* hp = find(p, {"hostPort"})) {
      add_if(hp, out);
    } else if (on_host) {
      add_if(find(p, {"containerPort"}), out);
    }
  }
}

constexpr char kPrivileged[] = "privileged";
constexpr char kAllowEsc[] = "allowPrivilegeEscalation";
constexpr char kReadOnly[] = "readOnlyRootFilesystem";
constexpr char kRunAsUser[] = "runAsUser";
constexpr char kRunAsGroup[] = "runAsGroup";
constexpr char kProcMount[] = "procMount";

struct Attribute {
  const char* suffix;
  const char* desc;
  PerContainer fn;
};

const Attribute kAttributes[] = {
    {"name", "the names",
     [](const json&, const json& c, Values* o) { add_if(find(c, {"name"}), o); }},
    {"image", "the images",
     [](const json&, const json& c, Values* o) { add_if(find(c, {"image"}), o); }},
    {"image.repository", "the image repositories (no tag or digest)",
     [](const json&, const json& c, Values* o) {
       const json* i = find(c, {"image"});
       if (i && i->is_string()) o->push_back(repository_of(i->get<std::string>()));
     }},
    {"command", "the commands (flattened)",
     [](const json&, const json& c, Values* o) { add_each(find(c, {"command"}), o); }},
    {"args", "the arguments (flattened)",
     [](const json&, const json& c, Values* o) { add_each(find(c, {"args"}), o); }},
    {"privileged", "the privileged flags", security<kPrivileged>},
    {"allow_privilege_escalation", "the allowPrivilegeEscalation flags", security<kAllowEsc>},
    {"read_only_fs", "the readOnlyRootFilesystem flags", security<kReadOnly>},
    {"run_as_user", "the runAsUser uids", security<kRunAsUser>},
    {"eff_run_as_user", "the effective initial uids (container, else pod, else 0)",
     effective<kRunAsUser>},
    {"run_as_group", "the runAsGroup gids", security<kRunAsGroup>},
    {"eff_run_as_group", "the effective initial gids (container, else pod, else 0)",
     effective<kRunAsGroup>},
    {"proc_mount", "the procMount types", security<kProcMount>},
    {"add_capabilities", "the added capabilities (flattened)",
     [](const json&, const json& c, Values* o) {
       add_each(find(c, {"securityContext", "capabilities", "add"}), o);
     }},
    {"host_port", "the host ports", host_ports},
};

// Values of `fn` over the containers of `kind` (index argument: one container).
Values collect(const FieldCtx& ctx, sdk::ExtractRequest& r, const std::string& kind,
               PerContainer fn) {
  Values out;
  const json* spec = find(ctx.doc, {"requestObject", "spec"});
  const json* list = spec ? find(*spec, {kind}) : nullptr;
  if (!list || !list->is_array()) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    if (r.has_arg() && i != r.arg_index()) continue;
    if ((*list)[i].is_object()) fn(*spec, (*list)[i], &out);
  }
  return out;
}

FieldEntry container_field(const std::string& kind, const Attribute& a) {
  std::string name = "ka.req.pod." + kind + "." + a.suffix;
  std::string desc = "When the request object is a pod: " + std::string(a.desc) + " of its " +
                     kind + " (index: one container)";
  sdk::FieldInfo info(name, sdk::FieldType::kString, desc);
  info.as_list().with_arg(sdk::ArgKind::kIndex);
  PerContainer fn = a.fn;
  return {info, [kind, fn](const FieldCtx& c, sdk::ExtractRequest& r) {
            set_list(r, collect(c, r, kind, fn));
          }};
}

// Deprecated single-valued forms over the first container / any container.
std::vector<FieldEntry> deprecated_fields() {
  auto first = [](PerContainer fn) {
    return [fn](const FieldCtx& c, sdk::ExtractRequest& r) {
      const json* list = find(c.doc, {"requestObject", "spec", "containers"});
      if (!list || !list->is_array() || list->empty() || !(*list)[0].is_object()) return;
      Values v;
      fn(*find(c.doc, {"requestObject", "spec"}), (*list)[0], &v);
      if (!v.empty()) r.set(v[0]);
    };
  };
  return {
      str_field("ka.req.container.image", "Deprecated: the image of the first container",
                first(kAttributes[1].fn)),
      str_field("ka.req.container.image.repository",
                "Deprecated: the image repository of the first container",
                first(kAttributes[2].fn)),
      str_field("ka.req.container.privileged",
                "Deprecated: \"true\" when any container is privileged",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  const json* list = find(c.doc, {"requestObject", "spec", "containers"});
                  if (!list || !list->is_array()) return;
                  bool any = false;
                  for (const auto& ct : *list) {
                    const json* p = find(ct, {"securityContext", "privileged"});
                    any = any || (p && p->is_boolean() && p->get<bool>());
                  }
                  r.set(any ? "true" : "false");
                }),
  };
}

}  // namespace

std::vector<FieldEntry> container_fields() {
  std::vector<FieldEntry> out;
  for (const char* kind : {"containers", "initContainers", "ephemeralContainers"}) {
    for (const auto& a : kAttributes) out.push_back(container_field(kind, a));
  }
  for (auto& f : deprecated_fields()) out.push_back(std::move(f));
  return out;
}

}  // namespace saker::k8saudit
