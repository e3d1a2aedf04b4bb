// The cgroup part of the /proc scan (see proc_scan_internal.h). /proc/PID/cgroup lines are
// "id:controllers:path". A v1 line names its controllers; the v2 line ("0::path") names
// none, so the controllers come from cgroup.controllers files of the v2 hierarchy, walking
// from the process's cgroup up to the root: each controller is reported with the nearest
// cgroup that has it enabled.
#include <algorithm>

#include "proc_scan_internal.h"

namespace saker::syscall::procscan {

namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (auto w : fields(text.substr(0, text.find('\n')))) out.emplace_back(w);
  return out;
}

void append_entry(std::string& out, std::string_view subsys, std::string_view path) {
  out.append(subsys);
  out += '=';
  out.append(path);
  out += '\0';
}

}  // namespace

// The v2 hierarchy is reached through init's root (<proc>/1/root + its mount point), so
// that it is found even when the scanner runs in another mount namespace.
CgroupResolver::CgroupResolver(const std::string& proc_root) {
  auto mounts = read_file(proc_root + "/1/mounts");
  if (!mounts) return;
  for_each_line(*mounts, [&](std::string_view line) {
    if (!v2_all_.empty()) return;
    auto f = fields(line);
    if (f.size() < 3 || f[2] != "cgroup2") return;
    std::string mount = proc_root + "/1/root" + std::string(f[1]);
    auto ctrl = read_file(mount + "/cgroup.controllers");
    if (!ctrl) return;
    // A v2 mount without controllers (all of them on v1) is kept only if nothing better
    // comes.
    v2_mount_ = mount;
    v2_all_ = words(*ctrl);
  });
}

const std::vector<std::string>* CgroupResolver::controllers(const std::string& cgroup) {
  auto it = cache_.find(cgroup);
  if (it != cache_.end()) return &it->second;
  auto text = read_file(v2_mount_ + cgroup + (cgroup == "/" ? "" : "/") + "cgroup.controllers");
  if (!text) return nullptr;
  return &cache_.emplace(cgroup, words(*text)).first->second;
}

void CgroupResolver::resolve_v2(std::string_view path, std::string& out) {
  std::string cur(path);
  std::vector<std::string> found;
  while (true) {
    const auto* ctrls = controllers(cur);
    if (!ctrls) return;  // gone, or a path outside our cgroup namespace
    for (const auto& c : *ctrls) {
      if (std::find(found.begin(), found.end(), c) != found.end()) continue;
      append_entry(out, c, cur);
      found.push_back(c);
    }
    if (cur == "/" || found.size() >= v2_all_.size()) return;
    const auto slash = cur.rfind('/');
    cur.resize(slash == 0 ? 1 : slash);
  }
}

std::string CgroupResolver::resolve(std::string_view file) {
  std::string out;
  for_each_line(file, [&](std::string_view line) {
    const auto c1 = line.find(':');
    const auto c2 = c1 == std::string_view::npos ? c1 : line.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return;
    const std::string_view id = line.substr(0, c1);
    std::string_view subsys = line.substr(c1 + 1, c2 - c1 - 1);
    const std::string_view path = line.substr(c2 + 1);
    if (subsys.empty()) {
      // The v2 hierarchy; a v1 hierarchy without controllers says nothing.
      // Paths with "/.." are relative to another cgroup namespace's root: not resolvable.
      if (id == "0" && !v2_mount_.empty() && path.starts_with('/') &&
          path.find("/..") == std::string_view::npos) {
        resolve_v2(path, out);
      }
      return;
    }
    while (!subsys.empty()) {
      const auto comma = subsys.find(',');
      append_entry(out, subsys.substr(0, comma), path);
      if (comma == std::string_view::npos) break;
      subsys.remove_prefix(comma + 1);
    }
  });
  return out;
}

}  // namespace saker::syscall::procscan
