// container.* fields other than mounts: identity (from the cgroup), image, flags, labels,
// network, health checks, start time.
#include "field_table.h"

namespace saker::container::fields {
namespace {

using sdk::FieldType;

void id(const FieldCtx& c) { c.req.set(c.key.short_id); }
void full_id(const FieldCtx& c) {
  c.req.set(c.key.is_host() ? std::string_view("host") : c.key.id);
}
void name(const FieldCtx& c) {
  if (c.key.is_host()) return c.req.set("host");
  if (auto* m = c.meta()) set_nonempty(c, m->name);
}
void type(const FieldCtx& c) {
  if (!c.key.is_host() && c.info && !c.info->type.empty()) return c.req.set(c.info->type);
  c.req.set(c.key.type);
}
void image(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->image);
}
void image_id(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->image_id);
}
void image_repository(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->image_repository);
}
void image_tag(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->image_tag);
}
void image_digest(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->image_digest);
}
void privileged(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->privileged) c.req.set(*m->privileged);
}
void host_pid(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->host_pid) c.req.set(*m->host_pid);
}
void host_network(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->host_network) c.req.set(*m->host_network);
}
void host_ipc(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->host_ipc) c.req.set(*m->host_ipc);
}
void label(const FieldCtx& c) {
  auto* m = c.meta();
  if (!m || !c.has_arg) return;
  auto it = m->labels.find(std::string(c.arg));
  if (it != m->labels.end()) c.req.set(it->second);
}
void labels(const FieldCtx& c) {
  if (auto* m = c.meta()) c.req.set(join_labels(m->labels));
}
void ip(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->ip);
}
void cni_json(const FieldCtx& c) {
  if (auto* m = c.meta()) set_nonempty(c, m->cni_json);
}
void healthcheck(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->healthcheck) c.req.set(*m->healthcheck);
}
void liveness_probe(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->liveness_probe) c.req.set(*m->liveness_probe);
}
void readiness_probe(const FieldCtx& c) {
  if (auto* m = c.meta(); m && m->readiness_probe) c.req.set(*m->readiness_probe);
}

// A container starts with its pid namespace: the kernel's answer, known even before the
// runtime's; the runtime's start time otherwise.
std::optional<uint64_t> start_ts_of(const FieldCtx& c) {
  if (c.key.is_host()) return std::nullopt;
  if (auto ts = c.thread.pidns_init_start_ts(); ts && *ts) return ts;
  if (auto* m = c.meta(); m && m->created_ts) return m->created_ts;
  return std::nullopt;
}
void start_ts(const FieldCtx& c) {
  if (auto ts = start_ts_of(c)) c.req.set(*ts);
}
void duration(const FieldCtx& c) {
  auto ts = start_ts_of(c);
  if (ts && c.evt.ts() >= *ts) c.req.set(c.evt.ts() - *ts);
}

}  // namespace

std::vector<FieldEntry> container_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("container.id", FT::kString,
            "The container id, truncated to 12 characters (from the process's cgroup); 'host' "
            "for a process that is not in a container.",
            &id),
      field("container.full_id", FT::kString, "The full container id; 'host' on the host.",
            &full_id),
      field("container.name", FT::kString,
            "The container name (from the runtime); 'host' on the host.", &name),
      field("container.image", FT::kString,
            "The image the container was created from, e.g. docker.io/library/nginx:1.27.", &image),
      field("container.image.id", FT::kString, "The image id (without its sha256: prefix).",
            &image_id),
      field("container.type", FT::kString,
            "The container runtime: docker, podman, containerd, cri-o, cri; 'host' on the host.",
            &type),
      field("container.privileged", FT::kBool, "True for a privileged container.", &privileged),
      field("container.image.repository", FT::kString,
            "The image repository, e.g. docker.io/library/nginx.", &image_repository),
      field("container.image.tag", FT::kString, "The image tag, e.g. 1.27.", &image_tag),
      field("container.image.digest", FT::kString, "The image registry digest, e.g. sha256:0123...",
            &image_digest),
      field("container.healthcheck", FT::kString,
            "The container's health check command line; NONE when explicitly disabled.",
            &healthcheck),
      field("container.liveness_probe", FT::kString,
            "The Kubernetes liveness probe command of the container.", &liveness_probe),
      field("container.readiness_probe", FT::kString,
            "The Kubernetes readiness probe command of the container.", &readiness_probe),
      field("container.start_ts", FT::kAbsTime,
            "Container start (the start of its pid namespace, else the runtime's start time).",
            &start_ts),
      field("container.duration", FT::kRelTime, "Nanoseconds since container.start_ts.", &duration),
      field("container.ip", FT::kString, "The container's primary IP address.", &ip),
      field("container.cni.json", FT::kString,
            "The CNI result of the container's pod, as JSON (CRI runtimes).", &cni_json),
      field("container.host_pid", FT::kBool,
            "True when the container runs in the host's pid namespace.", &host_pid),
      field("container.host_network", FT::kBool,
            "True when the container runs in the host's network namespace.", &host_network),
      field("container.host_ipc", FT::kBool,
            "True when the container runs in the host's IPC namespace.", &host_ipc),
      field("container.label", FT::kString, "A container label, e.g. container.label[app].",
            &label),
      field("container.labels", FT::kString,
            "The container's labels, comma-separated key:value pairs.", &labels),
  };
  // Fields a rule's output gains when the configuration asks for suggested output fields.
  v[0].info.with_properties("add-output");
  v[2].info.with_properties("add-output");
  for (auto& f : v) {
    if (f.info.name == "container.label") f.info.with_arg(sdk::ArgKind::kKey, true);
  }
  return v;
}

}  // namespace saker::container::fields
