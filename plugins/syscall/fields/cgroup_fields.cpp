// thread.cgroups / thread.cgroup[SUBSYS] and proc.pidns_init_start_ts: the cgroup
// membership and pid-namespace start of a thread, as the /proc scan, the capture's process
// list and the clone/execve events report them. The container plugin reads these through
// the host's cross-plugin extraction (a container id is in the cgroup path, a container's
// start is its pid namespace's start), so the core never learns about containers.
//
// The state keeps the cgroups as the scap format carries them: "subsys=path" entries,
// NUL-separated. A v1 hierarchy with several controllers has one entry per controller; a
// named hierarchy keeps its "name=" prefix ("name=systemd=/path").
#include "capture_types.h"
#include "field_table.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

// Falco's rendering: the entries joined by a space.
void cgroups(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t || t->cgroups.empty()) return;
  std::string out;
  for (auto e : scap::split_nul_list(t->cgroups)) {
    if (e.empty()) continue;
    if (!out.empty()) out += ' ';
    out += e;
  }
  set_nonempty(c, std::string_view(out));
}

// The path of the entry whose subsystem is the key. The subsystem is everything before the
// last '=' that precedes the path's leading '/', so "name=systemd" names a hierarchy too.
void cgroup(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (!t || !c.has_arg || c.key.empty()) return;
  for (auto e : scap::split_nul_list(t->cgroups)) {
    const auto slash = e.find('/');
    if (slash == std::string_view::npos || slash == 0 || e[slash - 1] != '=') continue;
    if (e.substr(0, slash - 1) == c.key) {
      c.req.set(e.substr(slash));
      return;
    }
  }
}

void pidns_init_start_ts(const FieldCtx& c) {
  ThreadInfo* p = c.process();
  if (p && p->pidns_init_start_ts) c.req.set(p->pidns_init_start_ts);
}

}  // namespace

std::vector<FieldEntry> cgroup_fields() {
  using FT = FieldType;
  auto by_subsys = field("thread.cgroup", FT::kString,
                         "The cgroup of the thread for the subsystem given as argument, e.g. "
                         "thread.cgroup[cpuacct] (named hierarchies: thread.cgroup[name=systemd]).",
                         &cgroup);
  by_subsys.info.with_arg(sdk::ArgKind::kKey, /*required=*/true);
  return {
      field("thread.cgroups", FT::kString,
            "Every cgroup of the thread, as space-separated subsys=path entries.", &cgroups),
      std::move(by_subsys),
      field("proc.pidns_init_start_ts", FT::kAbsTime,
            "Start time of the init process of the process's pid namespace (a container's "
            "start, for a process in a container).",
            &pidns_init_start_ts),
  };
}

}  // namespace saker::syscall::fields
