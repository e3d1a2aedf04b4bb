// Container ids from cgroup paths (see cgroup_match.h).
#include "cgroup_match.h"

#include <array>

namespace saker::container {
namespace {

constexpr size_t kIdLen = 64;

bool is_hex_id(std::string_view s) {
  if (s.size() != kIdLen) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A "<prefix>-<id>[.scope]" component: the prefix names the runtime.
struct Prefix {
  std::string_view prefix;
  std::string_view type;
};
constexpr std::array<Prefix, 6> kPrefixes{{{"docker-", "docker"},
                                           {"libpod-", "podman"},
                                           {"crio-", "cri-o"},
                                           {"cri-containerd-", "containerd"},
                                           {"containerd-", "containerd"},
                                           {"nerdctl-", "containerd"}}};

std::string_view strip_scope(std::string_view c) {
  constexpr std::string_view kScope = ".scope";
  if (c.ends_with(kScope)) c.remove_suffix(kScope.size());
  return c;
}

// The runtime of a bare-id component, from the components above it.
std::string_view bare_id_type(std::string_view parents) {
  auto has = [&](std::string_view name) {
    size_t pos = 0;
    while ((pos = parents.find(name, pos)) != std::string_view::npos) {
      const bool start = pos == 0 || parents[pos - 1] == '/';
      const size_t end = pos + name.size();
      if (start && (end == parents.size() || parents[end] == '/' || parents[end] == '.' ||
                    parents[end] == '-')) {
        return true;
      }
      pos = end;
    }
    return false;
  };
  if (has("docker") || has("ecs")) return "docker";
  if (has("kubepods")) return "cri";
  return "containerd";  // /<namespace>/<id>: containerd's own cgroup layout
}

CgroupMatch match_component(std::string_view comp, std::string_view parents) {
  std::string_view c = strip_scope(comp);
  if (is_hex_id(c)) return {std::string(c), std::string(bare_id_type(parents))};
  for (const auto& p : kPrefixes) {
    if (c.starts_with(p.prefix) && is_hex_id(c.substr(p.prefix.size()))) {
      return {std::string(c.substr(p.prefix.size())), std::string(p.type)};
    }
  }
  return {};
}

// The path part of one entry: "cpu=/a", "name=systemd=/a", "4:memory:/a" or "/a".
std::string_view entry_path(std::string_view entry) {
  const size_t slash = entry.find('/');
  return slash == std::string_view::npos ? std::string_view() : entry.substr(slash);
}

}  // namespace

CgroupMatch match_cgroup_path(std::string_view path) {
  // The deepest component naming a container wins: runtimes may nest a sub-cgroup
  // (".../libpod-<id>.scope/container") below the container's own.
  CgroupMatch found;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end > start) {
      CgroupMatch m = match_component(path.substr(start, end - start), path.substr(0, start));
      if (m.in_container()) found = std::move(m);
    }
    start = end + 1;
  }
  return found;
}

CgroupMatch match_cgroups(std::string_view cgroups) {
  size_t start = 0;
  while (start < cgroups.size()) {
    size_t end = cgroups.find_first_of(std::string_view(" \n\0", 3), start);
    if (end == std::string_view::npos) end = cgroups.size();
    std::string_view path = entry_path(cgroups.substr(start, end - start));
    if (!path.empty()) {
      CgroupMatch m = match_cgroup_path(path);
      if (m.in_container()) return m;
    }
    start = end + 1;
  }
  return {};
}

bool cgroups_say_nothing(std::string_view cgroups) {
  size_t start = 0;
  while (start < cgroups.size()) {
    size_t end = cgroups.find_first_of(std::string_view(" \n\0", 3), start);
    if (end == std::string_view::npos) end = cgroups.size();
    const std::string_view path = entry_path(cgroups.substr(start, end - start));
    if (!path.empty() && path != "/") return false;
    start = end + 1;
  }
  return true;
}

}  // namespace saker::container
