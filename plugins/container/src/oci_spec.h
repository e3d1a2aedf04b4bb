// What an OCI runtime spec (config.json, as containerd stores it for each container and as
// the CRI's verbose status returns it under "runtimeSpec") says about a container, for
// runtimes whose API has no Docker-style HostConfig (containerd, CRI-O), and what the CRI's
// verbose answers add (image id, sandbox id, the pod's CNI result). Pure functions.
//
//   privileged     CAP_SYS_ADMIN in the process's effective capabilities and no masked
//                  paths: what `ctr run --privileged`, a CRI privileged security context and
//                  `docker run --privileged` all produce (all capabilities, /proc and /sys
//                  unmasked). A container that only adds CAP_SYS_ADMIN keeps its masked
//                  paths and is not taken for privileged.
//   mounts         the bind mounts (type "bind" or a bind/rbind option): host path ->
//                  container path, like Docker's Mounts; mode = the options joined with ","
//                  (ro/rw, propagation); rdwr unless "ro"; propagation from the options.
//   host_pid/network/ipc  the spec lacks that namespace (the container shares the host's).
//                  A namespace joined by path (a pod sandbox's) is taken for not the host's:
//                  the CRI client corrects it from the pod's own namespace modes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "container_info.h"

namespace saker::container {

// Fills privileged, mounts and host_* from a runtime spec. Returns false (info untouched)
// when `spec_json` is not a JSON object.
bool apply_oci_spec(std::string_view spec_json, ContainerInfo* info);

// The CRI's verbose ContainerStatus "info" value (containerd: {"sandboxID", "runtimeSpec",
// "config": {"image": {"image"}, "linux": {"security_context": {"privileged"}}}...}; CRI-O:
// {"sandboxID", "privileged", "runtimeSpec"...}): the spec as above, then the runtime's own
// privileged flag when it gives one, and the sandbox id. The image id, as Falco reads it:
// the container config's image when it is an image id ("sha256:<hex>" -> the hex; kubelet
// creates containers from the image's id), left as it is otherwise.
void apply_cri_info(std::string_view info_json, ContainerInfo* info);

// The CNI result longer than this is not kept (Falco's bound for container.cni.json).
inline constexpr size_t kMaxCniJsonBytes = 4096;

// The CRI's verbose PodSandboxStatus "info" value -> info->cni_json (compact JSON), as Falco
// reads it: containerd's "cniResult" (go-cni's result: {"Interfaces": {"eth0": {"IPConfigs":
// [...], "Mac", "Sandbox"}, "lo": ...}, "DNS", "Routes"}) gives its Interfaces without the
// loopback, the host-side veth* ends and each one's Mac and Sandbox; CRI-O's
// runtimeSpec.annotations["io.kubernetes.cri-o.CNIResult"] (the CNI result's own JSON) is
// taken whole. Empty when the pod has none (host network, no CNI). Returns an error message
// (empty when the value was read; cni_json is left empty on error).
std::string apply_cri_sandbox_info(std::string_view info_json, ContainerInfo* info);

}  // namespace saker::container
