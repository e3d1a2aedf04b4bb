// Container events <-> ContainerInfo (see container_event.h).
#include "container_event.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "docker_inspect.h"
#include "event_header.h"
#include "event_view.h"

namespace saker::container::events {
namespace {

using Json = nlohmann::json;
namespace scap = saker::syscall::scap;

// libsinsp's container type numbers (its container_type enum).
struct TypeCode {
  std::string_view name;
  uint32_t code;
};
constexpr TypeCode kTypes[] = {{"docker", 0}, {"lxc", 1},    {"libvirt-lxc", 2}, {"mesos", 3},
                               {"rkt", 4},    {"custom", 5}, {"cri", 6},         {"containerd", 7},
                               {"cri-o", 8},  {"bpm", 9},    {"static", 10},     {"podman", 11}};
constexpr uint32_t kUnknownType = 0xffff;

std::string str(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::optional<bool> boolean(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}
uint64_t number(const Json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return 0;
  if (it->is_number_float()) return static_cast<uint64_t>(std::max(0.0, it->get<double>()));
  return it->is_number_unsigned() ? it->get<uint64_t>()
                                  : static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()));
}
void string_map(const Json& j, const char* key, std::map<std::string, std::string>* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return;
  for (const auto& [k, v] : it->items()) {
    if (v.is_string()) out->emplace(k, v.get<std::string>());
  }
}

// A probe as libsinsp writes it: {"exe": ..., "args": [...]}; kept as one command line.
Json probe_json(const std::string& cmdline) {
  Json p = Json::object();
  const size_t sp = cmdline.find(' ');
  p["exe"] = cmdline.substr(0, sp);
  Json args = Json::array();
  size_t pos = sp;
  while (pos != std::string::npos) {
    const size_t next = cmdline.find(' ', pos + 1);
    args.push_back(cmdline.substr(pos + 1, next == std::string::npos ? next : next - pos - 1));
    pos = next;
  }
  p["args"] = std::move(args);
  return p;
}
std::optional<std::string> probe_cmdline(const Json& c, const char* key) {
  auto it = c.find(key);
  if (it == c.end() || !it->is_object()) return std::nullopt;
  std::string out = str(*it, "exe");
  if (auto a = it->find("args"); a != it->end() && a->is_array()) {
    for (const auto& v : *a) {
      if (v.is_string()) out += ' ' + v.get<std::string>();
    }
  }
  return out;
}

std::vector<uint8_t> encode(uint16_t type, uint64_t ts,
                            const std::vector<std::span<const uint8_t>>& params) {
  const size_t lens = 4 * params.size();  // both types have 32-bit parameter lengths
  size_t len = scap::kEventHeaderSize + lens;
  for (const auto& p : params) len += p.size();
  if (len > UINT32_MAX) throw std::length_error("container event too large");
  std::vector<uint8_t> out(len);
  scap::encode_header(out.data(), {ts, kNoThread, static_cast<uint32_t>(len), type,
                                   static_cast<uint32_t>(params.size())});
  uint8_t* l = out.data() + scap::kEventHeaderSize;
  uint8_t* v = l + lens;
  for (const auto& p : params) {
    scap::store_le(l, static_cast<uint32_t>(p.size()));
    l += 4;
    if (!p.empty()) std::memcpy(v, p.data(), p.size());
    v += p.size();
  }
  return out;
}

std::span<const uint8_t> with_nul(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.c_str()), s.size() + 1};
}

// A JSON parameter, without its NUL terminator(s).
std::string_view text_of(std::span<const uint8_t> p) {
  std::string_view s(reinterpret_cast<const char*>(p.data()), p.size());
  while (!s.empty() && s.back() == '\0') s.remove_suffix(1);
  return s;
}

}  // namespace

uint32_t type_code(std::string_view type) {
  for (const auto& t : kTypes) {
    if (t.name == type) return t.code;
  }
  return kUnknownType;
}

std::string type_name(uint32_t code) {
  for (const auto& t : kTypes) {
    if (t.code == code) return std::string(t.name);
  }
  return {};
}

std::string to_json(const ContainerInfo& i) {
  Json c = Json::object();
  c["id"] = i.id.substr(0, 12);
  c["full_id"] = i.id;
  c["type"] = type_code(i.type);
  c["name"] = i.name;
  c["image"] = i.image;
  c["imageid"] = i.image_id;
  c["imagerepo"] = i.image_repository;
  c["imagetag"] = i.image_tag;
  c["imagedigest"] = i.image_digest;
  if (i.privileged) c["privileged"] = *i.privileged;
  if (i.host_pid) c["host_pid"] = *i.host_pid;
  if (i.host_network) c["host_network"] = *i.host_network;
  if (i.host_ipc) c["host_ipc"] = *i.host_ipc;
  Json mounts = Json::array();
  for (const auto& m : i.mounts) {
    mounts.push_back({{"Source", m.source},
                      {"Destination", m.dest},
                      {"Mode", m.mode},
                      {"RW", m.rdwr},
                      {"Propagation", m.propagation}});
  }
  c["Mounts"] = std::move(mounts);
  c["labels"] = i.labels;
  c["ip"] = i.ip;
  c["created_time"] = i.created_ts / 1000000000ull;  // libsinsp: seconds
  c["created_time_ns"] = i.created_ts;               // saker's: the runtime's precision
  c["is_pod_sandbox"] = false;
  c["pod_sandbox_id"] = i.sandbox_id;
  c["pod_sandbox_labels"] = i.pod_labels;
  c["cni_json"] = i.cni_json;
  c["lookup_state"] = i.has_metadata ? 1 : 0;
  if (i.healthcheck) c["Healthcheck"] = probe_json(*i.healthcheck);
  if (i.liveness_probe) c["LivenessProbe"] = probe_json(*i.liveness_probe);
  if (i.readiness_probe) c["ReadinessProbe"] = probe_json(*i.readiness_probe);
  return Json{{"container", std::move(c)}}.dump();
}

ContainerInfo from_json(std::string_view text) {
  Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) throw std::runtime_error("container event: the payload is not JSON");
  auto it = root.find("container");
  // Falco's container plugin (some versions) writes the fields beside "container".
  const Json& c = it != root.end() && it->is_object() && !it->empty() ? *it : root;
  ContainerInfo i;
  i.id = str(c, "full_id");
  if (i.id.empty()) i.id = str(c, "id");
  if (i.id.empty()) throw std::runtime_error("container event: the JSON names no container id");
  if (auto t = c.find("type"); t != c.end() && t->is_number_integer()) {
    i.type = type_name(static_cast<uint32_t>(t->get<int64_t>()));
  } else if (t != c.end() && t->is_string()) {
    i.type = t->get<std::string>();
  }
  i.name = str(c, "name");
  i.image = str(c, "image");
  i.image_id = str(c, "imageid");
  i.image_repository = str(c, "imagerepo");
  i.image_tag = str(c, "imagetag");
  i.image_digest = str(c, "imagedigest");
  i.privileged = boolean(c, "privileged");
  i.host_pid = boolean(c, "host_pid");
  i.host_network = boolean(c, "host_network");
  i.host_ipc = boolean(c, "host_ipc");
  if (auto m = c.find("Mounts"); m != c.end() && m->is_array()) {
    for (const auto& j : *m) {
      if (!j.is_object()) continue;
      i.mounts.push_back({str(j, "Source"), str(j, "Destination"), str(j, "Mode"),
                          boolean(j, "RW").value_or(false), str(j, "Propagation")});
    }
  }
  string_map(c, "labels", &i.labels);
  i.ip = str(c, "ip");
  i.created_ts = number(c, "created_time_ns");
  if (i.created_ts == 0) i.created_ts = number(c, "created_time") * 1000000000ull;
  i.healthcheck = probe_cmdline(c, "Healthcheck");
  apply_k8s_labels(&i);  // pod name, namespace, uid from the CRI labels
  if (auto p = probe_cmdline(c, "LivenessProbe")) i.liveness_probe = std::move(p);
  if (auto p = probe_cmdline(c, "ReadinessProbe")) i.readiness_probe = std::move(p);
  if (const std::string sb = str(c, "pod_sandbox_id"); !sb.empty()) i.sandbox_id = sb;
  std::map<std::string, std::string> pod_labels;
  string_map(c, "pod_sandbox_labels", &pod_labels);
  if (!pod_labels.empty()) i.pod_labels = std::move(pod_labels);
  i.cni_json = str(c, "cni_json");
  i.has_metadata = true;
  return i;
}

std::vector<uint8_t> encode_added(const ContainerInfo& info, uint64_t ts) {
  const std::string json = to_json(info);
  return encode(kContainerJson2E, ts, {with_nul(json)});
}

std::vector<uint8_t> encode_removed(const ContainerInfo& info, uint64_t ts) {
  return encode_async(kAsyncRemoved, info, ts);
}

std::vector<uint8_t> encode_async(std::string_view name, const ContainerInfo& info, uint64_t ts) {
  const std::string json = to_json(info);
  const uint32_t plugin_id = 0;
  const std::string n(name);
  return encode(kAsyncE, ts,
                {{reinterpret_cast<const uint8_t*>(&plugin_id), 4}, with_nul(n), with_nul(json)});
}

Decoded decode(std::span<const uint8_t> event) {
  Decoded d;
  if (event.size() < scap::kEventHeaderSize) return d;
  const uint16_t type = scap::load_le<uint16_t>(event.data() + 20);
  if (!is_container_event_type(type)) return d;
  std::string why;
  std::optional<scap::EventView> v = scap::EventView::make(event, &why);
  if (!v) throw std::runtime_error("container event: " + why);
  switch (type) {
    case kContainerE: {
      if (v->nparams() < 4) throw std::runtime_error("container event: fewer than 4 parameters");
      d.info.id = std::string(v->param_str(0).value_or(""));
      if (d.info.id.empty()) throw std::runtime_error("container event: no container id");
      d.info.type = type_name(static_cast<uint32_t>(v->param_uint(1).value_or(kUnknownType)));
      d.info.name = std::string(v->param_str(2).value_or(""));
      d.info.image = std::string(v->param_str(3).value_or(""));
      const ImageRef r = split_image_ref(d.info.image);
      d.info.image_repository = r.repository;
      d.info.image_tag = r.tag;
      d.info.image_digest = r.digest;
      d.info.has_metadata = true;
      d.kind = Decoded::Kind::kAdded;
      return d;
    }
    case kContainerJsonE:
    case kContainerJson2E:
      if (v->nparams() < 1) throw std::runtime_error("container event: no JSON parameter");
      d.info = from_json(text_of(v->param(0)));
      d.kind = Decoded::Kind::kAdded;
      return d;
    default: {  // async event: ours only when named so
      if (v->nparams() < 3) return d;
      const std::string_view name = v->param_str(1).value_or("");
      const bool added = name == kAsyncAdded, removed = name == kAsyncRemoved;
      if (!added && !removed) return d;
      d.info = from_json(text_of(v->param(2)));
      d.kind = added ? Decoded::Kind::kAdded : Decoded::Kind::kRemoved;
      return d;
    }
  }
}

}  // namespace saker::container::events
