// Turning the Docker-compatible API's answers (docker, podman's compat service) into a
// ContainerInfo: GET /containers/<id>/json (inspect) and GET /images/<id>/json (for the
// registry digest and the tag when the container's image reference lacks them), plus the
// image reference grammar [registry[:port]/]path[:tag][@digest]. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "container_info.h"

namespace saker::container {

struct ImageRef {
  std::string repository, tag, digest;
};
ImageRef split_image_ref(std::string_view ref);

struct InspectOptions {
  size_t label_max_len = 100;  // longer label values are left out (Falco's label_max_len)
};

// Fills `info` (keeping id/type when the answer lacks them). Throws std::exception on a
// body that is not a container inspect document.
void parse_container_inspect(std::string_view body, const InspectOptions& opts,
                             ContainerInfo* info);

// Kubernetes pod name, namespace, uid, sandbox, pod labels and probes from the CRI labels
// kubelet puts on a container's (io.kubernetes.*).
void apply_k8s_labels(ContainerInfo* info);

// Completes repository/tag/digest from an image inspect document (RepoTags, RepoDigests).
void apply_image_inspect(std::string_view body, ContainerInfo* info);

// RFC 3339 time ("2024-05-01T10:00:00.123456789Z", offsets too) -> ns since the epoch; 0 if
// it cannot be read or is the zero time.
std::uint64_t parse_rfc3339_ns(std::string_view s);

}  // namespace saker::container
