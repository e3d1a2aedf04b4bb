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

}  // namespace saker::container
