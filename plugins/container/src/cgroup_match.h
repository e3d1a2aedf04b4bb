// Which container a process is in, from its cgroups. Container runtimes name the cgroup of
// a container after its 64-hex-digit id; the forms differ by runtime and cgroup driver:
//
//   docker      /docker/<id>                      /system.slice/docker-<id>.scope
//   podman      /libpod_parent/libpod-<id>         /machine.slice/libpod-<id>.scope[/container]
//   containerd  /<namespace>/<id>                  /system.slice/cri-containerd-<id>.scope
//   CRI-O       /kubepods/<qos>/pod<uid>/crio-<id>
//   .../kubepods-<qos>-pod<uid>.slice/crio-<id>.scope kubelet     /kubepods/<qos>/pod<uid>/<id>
//   (runtime not told by the path: "cri")
//
// on cgroup v1 (one entry per hierarchy), v2 (one unified path) and hybrid hosts alike: the
// entries are searched in order and the first path naming a container wins. A runtime's
// monitor process (conmon: libpod-conmon-<id>.scope, crio-conmon-<id>.scope) runs on the
// host and is not taken for the container. Pure functions, no I/O; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace saker::container {

// Where a process runs. `id` is empty for a host process.
struct CgroupMatch {
  std::string id;    // the full (64 hex digits) container id
  std::string type;  // "docker", "podman", "containerd", "cri-o", "cri"
  bool in_container() const { return !id.empty(); }
};

// One cgroup path, e.g. "/kubepods/besteffort/pod1234/crio-<id>.scope".
CgroupMatch match_cgroup_path(std::string_view path);

// A list of cgroups in any of the forms the syscall plugin and /proc give them: entries
// "subsys=path" (or a bare path) separated by spaces, NULs or newlines, or the lines of
// /proc/PID/cgroup ("hierarchy-id:controllers:path").
CgroupMatch match_cgroups(std::string_view cgroups);

// True when every entry of the list is at a hierarchy's root ("cpuset=/ cpu=/"), or the list
// is empty: it then says nothing about containers. The live driver reports the unified (v2)
// hierarchy's cgroup, which is the root for every process of a host without one (v1 only).
bool cgroups_say_nothing(std::string_view cgroups);

}  // namespace saker::container
