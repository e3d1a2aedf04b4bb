// OCI runtime spec -> ContainerInfo (see oci_spec.h).
#include "oci_spec.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "image_manifest.h"

namespace saker::container {
namespace {

using Json = nlohmann::json;

const Json& member(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::vector<std::string> strings(const Json& j) {
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string text(const Json& j) { return j.is_string() ? j.get<std::string>() : std::string(); }

Mount bind_mount(const Json& m, const std::vector<std::string>& options) {
  Mount out;
  out.source = text(member(m, "source"));
  out.dest = text(member(m, "destination"));
  for (const auto& o : options) {
    if (o == "bind" || o == "rbind") continue;
    if (!out.mode.empty()) out.mode += ',';
    out.mode += o;
    if (o == "private" || o == "rprivate" || o == "shared" || o == "rshared" || o == "slave" ||
        o == "rslave" || o == "unbindable" || o == "runbindable") {
      out.propagation = o;
    }
  }
  out.rdwr = !has(options, "ro");
  return out;
}

void apply_spec(const Json& spec, ContainerInfo* info) {
  const Json& linux = member(spec, "linux");
  const auto effective = strings(member(member(member(spec, "process"), "capabilities"), "effective"));
  const auto masked = strings(member(linux, "maskedPaths"));
  info->privileged = has(effective, "CAP_SYS_ADMIN") && masked.empty();

  bool pid = false, net = false, ipc = false;
  if (const Json& ns = member(linux, "namespaces"); ns.is_array()) {
    for (const auto& n : ns) {
      const std::string type = text(member(n, "type"));
      pid = pid || type == "pid";
      net = net || type == "network";
      ipc = ipc || type == "ipc";
    }
  }
  info->host_pid = !pid;
  info->host_network = !net;
  info->host_ipc = !ipc;

  info->mounts.clear();
  if (const Json& mounts = member(spec, "mounts"); mounts.is_array()) {
    for (const auto& m : mounts) {
      const auto options = strings(member(m, "options"));
      if (text(member(m, "type")) != "bind" && !has(options, "bind") && !has(options, "rbind")) {
        continue;
      }
      info->mounts.push_back(bind_mount(m, options));
    }
  }
}

}  // namespace

bool apply_oci_spec(std::string_view spec_json, ContainerInfo* info) {
  Json spec = Json::parse(spec_json, nullptr, /*allow_exceptions=*/false);
  if (!spec.is_object()) return false;
  apply_spec(spec, info);
  return true;
}

void apply_cri_info(std::string_view info_json, ContainerInfo* info) {
  Json j = Json::parse(info_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return;
  if (const Json& spec = member(j, "runtimeSpec"); spec.is_object()) apply_spec(spec, info);
  // The runtime's own flag, when it gives one, wins over the spec's reading.
  const Json& crio = member(j, "privileged");
  const Json& containerd =
      member(member(member(member(j, "config"), "linux"), "security_context"), "privileged");
  if (crio.is_boolean()) {
    info->privileged = crio.get<bool>();
  } else if (containerd.is_boolean()) {
    info->privileged = containerd.get<bool>();
  }
  if (info->sandbox_id.empty()) info->sandbox_id = text(member(j, "sandboxID"));
  // kubelet passes the image's id ("sha256:<config digest>") as the container's image.
  const std::string image = text(member(member(member(j, "config"), "image"), "image"));
  if (const std::string id = image_id_from_digest(image); !id.empty()) info->image_id = id;
}

namespace {

// containerd: go-cni's Interfaces map, without what Falco leaves out (the loopback, the
// host-side veth ends, MAC addresses and netns paths).
std::string containerd_cni(const Json& interfaces, std::string* error) {
  if (!interfaces.is_object()) {
    *error = "the sandbox's cniResult.Interfaces is not an object";
    return {};
  }
  Json kept = Json::object();
  for (const auto& [name, iface] : interfaces.items()) {
    if (name == "lo" || name.starts_with("veth")) continue;
    Json v = iface;
    if (v.is_object()) {
      v.erase("Mac");
      v.erase("Sandbox");
    }
    kept[name] = std::move(v);
  }
  return kept.dump();
}

// CRI-O: the annotation holds the CNI result's JSON; it is checked and made compact.
std::string crio_cni(const Json& annotation, std::string* error) {
  const Json v = annotation.is_string()
                     ? Json::parse(annotation.get<std::string>(), nullptr, false)
                     : Json(Json::value_t::discarded);
  if (!v.is_object()) {
    *error = "the sandbox's io.kubernetes.cri-o.CNIResult annotation is not a JSON object";
    return {};
  }
  return v.dump();
}

}  // namespace

std::string apply_cri_sandbox_info(std::string_view info_json, ContainerInfo* info) {
  info->cni_json.clear();
  const Json j = Json::parse(info_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return "the sandbox's verbose info is not a JSON object";
  std::string error, cni;
  const Json& result = member(j, "cniResult");
  if (!result.is_null() && !result.is_object()) return "the sandbox's cniResult is not an object";
  const Json& crio = member(member(member(j, "runtimeSpec"), "annotations"),
                            "io.kubernetes.cri-o.CNIResult");
  if (const Json& ifaces = member(result, "Interfaces"); !ifaces.is_null()) {
    cni = containerd_cni(ifaces, &error);
  } else if (!crio.is_null()) {
    cni = crio_cni(crio, &error);
  }
  if (!error.empty()) return error;
  if (cni.size() > kMaxCniJsonBytes) {
    return "the sandbox's CNI result is longer than " + std::to_string(kMaxCniJsonBytes) +
           " bytes (" + std::to_string(cni.size()) + "): not kept";
  }
  info->cni_json = std::move(cni);
  return {};
}

}  // namespace saker::container
