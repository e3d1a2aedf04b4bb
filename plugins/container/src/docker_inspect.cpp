// Docker-compatible inspect documents -> ContainerInfo (see docker_inspect.h).
#include "docker_inspect.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace saker::container {
namespace {

using Json = nlohmann::json;

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json& obj(const Json& j, const char* key) {
  static const Json kEmpty = Json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}

std::optional<bool> boolean(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

std::string strip_sha256(std::string s) {
  if (s.starts_with("sha256:")) s.erase(0, 7);
  return s;
}

// Config.Healthcheck.Test: ["CMD-SHELL", "cmd"], ["CMD", "a", "b"] or ["NONE"].
std::optional<std::string> healthcheck(const Json& config) {
  const Json& hc = obj(config, "Healthcheck");
  auto test = hc.find("Test");
  if (test == hc.end() || !test->is_array() || test->empty()) return std::nullopt;
  std::vector<std::string> parts;
  for (const auto& p : *test) {
    if (p.is_string()) parts.push_back(p.get<std::string>());
  }
  if (parts.empty()) return std::nullopt;
  if (parts[0] == "NONE") return std::string("NONE");
  size_t first = (parts[0] == "CMD" || parts[0] == "CMD-SHELL") ? 1 : 0;
  std::string out;
  for (size_t i = first; i < parts.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += parts[i];
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// kubectl's last-applied-configuration annotation, as the CRI labels carry it: the probes
// of the container named by io.kubernetes.container.name, as command lines.
void k8s_probes(ContainerInfo* info) {
  auto cfg = info->labels.find("annotation.kubectl.kubernetes.io/last-applied-configuration");
  auto name = info->labels.find("io.kubernetes.container.name");
  if (cfg == info->labels.end() || name == info->labels.end()) return;
  Json pod = Json::parse(cfg->second, nullptr, /*allow_exceptions=*/false);
  if (!pod.is_object()) return;
  const Json& spec = obj(pod, "spec");
  auto containers = spec.find("containers");
  if (containers == spec.end() || !containers->is_array()) return;
  for (const auto& c : *containers) {
    if (!c.is_object() || str(c, "name") != name->second) continue;
    auto probe = [&](const char* key) -> std::optional<std::string> {
      const Json& cmd = obj(obj(c, key), "exec");
      auto it = cmd.find("command");
      if (it == cmd.end() || !it->is_array()) return std::nullopt;
      std::string out;
      for (const auto& a : *it) {
        if (!a.is_string()) continue;
        if (!out.empty()) out += ' ';
        out += a.get<std::string>();
      }
      return out;
    };
    info->liveness_probe = probe("livenessProbe");
    info->readiness_probe = probe("readinessProbe");
  }
}

}  // namespace

// The CRI labels kubelet puts on the containers it starts (dockershim, cri-dockerd).
void apply_k8s_labels(ContainerInfo* info) {
  auto get = [&](const char* k) {
    auto it = info->labels.find(k);
    return it == info->labels.end() ? std::string() : it->second;
  };
  info->pod_name = get("io.kubernetes.pod.name");
  info->pod_namespace = get("io.kubernetes.pod.namespace");
  info->pod_uid = get("io.kubernetes.pod.uid");
  info->sandbox_id = get("io.kubernetes.sandbox.id");
  if (info->pod_name.empty()) return;
  // The pod's own labels are not in a container's inspect document: the container's labels
  // other than the runtime's bookkeeping stand in for them.
  for (const auto& [k, v] : info->labels) {
    if (k.starts_with("io.kubernetes.") || k.starts_with("annotation.")) continue;
    info->pod_labels.emplace(k, v);
  }
  k8s_probes(info);
}

namespace {

std::string primary_ip(const Json& root) {
  const Json& ns = obj(root, "NetworkSettings");
  std::string ip = str(ns, "IPAddress");
  if (!ip.empty()) return ip;
  for (const auto& [name, net] : obj(ns, "Networks").items()) {
    if (net.is_object() && !str(net, "IPAddress").empty()) return str(net, "IPAddress");
  }
  return {};
}

}  // namespace

ImageRef split_image_ref(std::string_view ref) {
  ImageRef r;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    r.digest = std::string(ref.substr(at + 1));
    ref = ref.substr(0, at);
  }
  // A tag's colon comes after the last '/' (a registry's port colon comes before it).
  const size_t slash = ref.rfind('/');
  const size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
  }
  r.repository = std::string(ref);
  return r;
}

std::uint64_t parse_rfc3339_ns(std::string_view s) {
  if (s.size() < 20) return 0;
  std::tm tm{};
  auto num = [&](size_t pos, size_t len) {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  const int year = num(0, 4), mon = num(5, 2), day = num(8, 2);
  const int hour = num(11, 2), min = num(14, 2), sec = num(17, 2);
  if (year <= 1 || mon < 1 || day < 1 || hour < 0 || min < 0 || sec < 0) return 0;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec;
  std::int64_t secs = timegm(&tm);
  size_t pos = 19;
  std::uint64_t frac = 0;
  if (pos < s.size() && s[pos] == '.') {
    std::uint64_t scale = 100000000;
    for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
      frac += static_cast<std::uint64_t>(s[pos] - '0') * scale;
      scale /= 10;
    }
  }
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-') && pos + 6 <= s.size()) {
    const int oh = num(pos + 1, 2), om = num(pos + 4, 2);
    if (oh >= 0 && om >= 0) {
      const std::int64_t off = oh * 3600 + om * 60;
      secs += s[pos] == '+' ? -off : off;
    }
  }
  if (secs <= 0) return 0;
  return static_cast<std::uint64_t>(secs) * 1000000000ull + frac;
}

void parse_container_inspect(std::string_view body, const InspectOptions& opts,
                             ContainerInfo* info) {
  Json root = Json::parse(body);
  if (!root.is_object() || !root.contains("Id")) {
    throw std::runtime_error("not a container inspect document");
  }
  if (info->id.empty()) info->id = str(root, "Id");
  info->name = str(root, "Name");
  if (info->name.starts_with('/')) info->name.erase(0, 1);
  const Json& config = obj(root, "Config");
  const Json& host = obj(root, "HostConfig");
  info->image = str(config, "Image");
  info->image_id = strip_sha256(str(root, "Image"));
  ImageRef ref = split_image_ref(info->image);
  // An image given by its id (sha256:...) names no repository.
  if (!(info->image.starts_with("sha256:") || ref.repository == info->image_id)) {
    info->image_repository = ref.repository;
    info->image_tag = ref.tag;
    info->image_digest = ref.digest;
  }
  info->privileged = boolean(host, "Privileged");
  info->host_pid = str(host, "PidMode") == "host";
  info->host_network = str(host, "NetworkMode") == "host";
  info->host_ipc = str(host, "IpcMode") == "host";
  if (auto m = root.find("Mounts"); m != root.end() && m->is_array()) {
    for (const auto& j : *m) {
      if (!j.is_object()) continue;
      Mount mt{str(j, "Source"), str(j, "Destination"), str(j, "Mode"),
               boolean(j, "RW").value_or(false), str(j, "Propagation")};
      info->mounts.push_back(std::move(mt));
    }
  }
  for (const auto& [k, v] : obj(config, "Labels").items()) {
    if (v.is_string() && v.get_ref<const std::string&>().size() <= opts.label_max_len) {
      info->labels.emplace(k, v.get<std::string>());
    }
  }
  info->ip = primary_ip(root);
  info->healthcheck = healthcheck(config);
  info->created_ts = parse_rfc3339_ns(str(obj(root, "State"), "StartedAt"));
  if (info->created_ts == 0) info->created_ts = parse_rfc3339_ns(str(root, "Created"));
  apply_k8s_labels(info);
  info->has_metadata = true;
}

void apply_image_inspect(std::string_view body, ContainerInfo* info) {
  Json root = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return;
  auto first_matching = [&](const char* key) -> std::string {
    auto it = root.find(key);
    if (it == root.end() || !it->is_array()) return {};
    std::string any;
    for (const auto& v : *it) {
      if (!v.is_string()) continue;
      const std::string s = v.get<std::string>();
      if (any.empty()) any = s;
      if (!info->image_repository.empty() && s.starts_with(info->image_repository)) return s;
    }
    return any;
  };
  if (info->image_digest.empty()) {
    const std::string d = first_matching("RepoDigests");
    if (auto at = d.find('@'); at != std::string::npos) info->image_digest = d.substr(at + 1);
  }
  if (info->image_repository.empty() || info->image_tag.empty()) {
    ImageRef r = split_image_ref(first_matching("RepoTags"));
    if (info->image_repository.empty()) info->image_repository = r.repository;
    if (info->image_tag.empty()) info->image_tag = r.tag;
  }
}

}  // namespace saker::container
