// What the plugin knows about one container: the id and type learned from a cgroup, and
// the metadata the runtime's API gave (name, image, mounts, labels, Kubernetes pod...).
// Plain values; a ContainerInfo is immutable once published in the MetadataStore (readers
// hold a shared_ptr<const ContainerInfo>), so it is safe to read from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace saker::container {

struct Mount {
  std::string source;
  std::string dest;
  std::string mode;
  bool rdwr = false;
  std::string propagation;
};

struct ContainerInfo {
  std::string id;    // full id (64 hex digits)
  std::string type;  // docker, podman, containerd, cri-o, cri
  // Set once the runtime answered; until then only id and type are known.
  bool has_metadata = false;
  std::string name;
  std::string image;  // as the container was created from, e.g. "localhost/app:1.0"
  std::string image_id;
  std::string image_repository;
  std::string image_tag;
  std::string image_digest;
  std::optional<bool> privileged;
  std::vector<Mount> mounts;
  std::map<std::string, std::string> labels;
  std::string ip;
  std::optional<bool> host_pid, host_network, host_ipc;
  std::optional<std::string> healthcheck;  // command line, "NONE", or unset
  std::optional<std::string> liveness_probe, readiness_probe;
  std::uint64_t created_ts = 0;  // runtime's start time (ns since the epoch), 0 if unknown
  // Kubernetes, from the runtime's CRI labels.
  std::string pod_name, pod_namespace, pod_uid, sandbox_id;
  std::map<std::string, std::string> pod_labels;
  std::string cni_json;
};

}  // namespace saker::container
