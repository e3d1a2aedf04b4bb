// k8s.* fields: the pod and namespace of a container started by kubelet, from the CRI
// labels the runtime keeps on the container (io.kubernetes.pod.name, ...).
#include "field_table.h"

namespace saker::container::fields {
namespace {

using sdk::FieldType;

// The metadata of a container that belongs to a pod.
const ContainerInfo* pod(const FieldCtx& c) {
  auto* m = c.meta();
  return m && !m->pod_name.empty() ? m : nullptr;
}

void pod_name(const FieldCtx& c) {
  if (auto* m = pod(c)) c.req.set(m->pod_name);
}
void ns_name(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, m->pod_namespace);
}
void pod_uid(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, m->pod_uid);
}
void sandbox_id(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, std::string_view(m->sandbox_id).substr(0, 12));
}
void full_sandbox_id(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, m->sandbox_id);
}
void pod_label(const FieldCtx& c) {
  auto* m = pod(c);
  if (!m || !c.has_arg) return;
  auto it = m->pod_labels.find(std::string(c.arg));
  if (it != m->pod_labels.end()) c.req.set(it->second);
}
void pod_labels(const FieldCtx& c) {
  if (auto* m = pod(c)) c.req.set(join_labels(m->pod_labels));
}
void pod_ip(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, m->ip);
}
void pod_cni_json(const FieldCtx& c) {
  if (auto* m = pod(c)) set_nonempty(c, m->cni_json);
}

}  // namespace

std::vector<FieldEntry> k8s_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("k8s.pod.name", FT::kString, "The Kubernetes pod name.", &pod_name),
      field("k8s.ns.name", FT::kString, "The Kubernetes namespace name.", &ns_name),
      field("k8s.pod.id", FT::kString, "Legacy name of k8s.pod.uid.", &pod_uid),
      field("k8s.pod.uid", FT::kString, "The Kubernetes pod UID.", &pod_uid),
      field("k8s.pod.sandbox_id", FT::kString, "The pod sandbox id, truncated to 12 characters.",
            &sandbox_id),
      field("k8s.pod.full_sandbox_id", FT::kString, "The full pod sandbox id.", &full_sandbox_id),
      field("k8s.pod.label", FT::kString, "A pod label, e.g. k8s.pod.label[app].", &pod_label),
      field("k8s.pod.labels", FT::kString, "The pod's labels, comma-separated key:value pairs.",
            &pod_labels),
      field("k8s.pod.ip", FT::kString, "The pod's primary IP address.", &pod_ip),
      field("k8s.pod.cni.json", FT::kString, "The CNI result of the pod, as JSON (CRI runtimes).",
            &pod_cni_json),
  };
  v[6].info.with_arg(sdk::ArgKind::kKey, true);
  return v;
}

}  // namespace saker::container::fields
