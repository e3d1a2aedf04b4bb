// Live driver, the "cgroups" parameter of an exec event from a process placed in nested
// cgroups whose names take each of the driver's ways of copying a name: plain 8-byte loads
// (1 to 32 bytes, on and off word boundaries) and the helper for longer ones. Root, and
// cgroup v1 memory and pids hierarchies (the hybrid layout of these machines); skipped
// where they are absent. The cgroups made are removed at the end, also on failure.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "live_children.h"
#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

namespace fs = std::filesystem;

// A chain of nested cgroups under a v1 hierarchy root, removed deepest first at scope exit.
struct CgroupChain {
  fs::path root;
  std::vector<fs::path> made;
  CgroupChain(const fs::path& hierarchy, const std::vector<std::string>& names) : root(hierarchy) {
    fs::path at = hierarchy;
    for (const auto& n : names) {
      at /= n;
      REQUIRE_MESSAGE(mkdir(at.c_str(), 0755) == 0, "mkdir " << at);
      made.push_back(at);
    }
  }
  ~CgroupChain() {
    for (auto it = made.rbegin(); it != made.rend(); ++it) rmdir(it->c_str());
  }
  // The leaf's path as the kernel shows it ("/a/b").
  std::string path() const { return "/" + fs::relative(made.back(), root).string(); }
  fs::path procs() const { return made.back() / "cgroup.procs"; }
};

// This process's v1 path of controller `c`, from /proc/self/cgroup.
std::string own_v1_path(const std::string& c) {
  std::istringstream in(slurp("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    const auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::istringstream cs(line.substr(a + 1, b - a - 1));
    std::string name;
    while (std::getline(cs, name, ','))
      if (name == c) return line.substr(b + 1);
  }
  return "";
}

bool v1_hierarchy(const char* c) {
  return fs::exists(fs::path("/sys/fs/cgroup") / c / "cgroup.procs") && !own_v1_path(c).empty();
}

}  // namespace

TEST_CASE("live execve: cgroup paths with names of every length class") {
  SKIP_UNLESS_ROOT();
  if (!v1_hierarchy("memory") || !v1_hierarchy("pids") || !v1_hierarchy("cpu") ||
      !v1_hierarchy("cpuset")) {
    MESSAGE("skipped: no cgroup v1 memory/pids/cpu/cpuset hierarchies here");
    return;
  }
  const std::string top = "saker-cg-" + std::to_string(getpid());
  // 8 and 16 bytes end on a word boundary; 7, 17 and 32 do not, or fill the last word;
  // 33 and 100 go through the helper
  CgroupChain mem("/sys/fs/cgroup/memory",
                  {top, "abcdefgh", "0123456789abcdef", "seven77", std::string(17, 'q'),
                   std::string(32, 'w'), std::string(33, 'e'), std::string(100, 'r')});
  CgroupChain pids("/sys/fs/cgroup/pids", {top, "x"});

  LiveHarness h({"execve"}, with_children());
  const std::string mem_procs = mem.procs(), pids_procs = pids.procs();
  auto ev = exec_and_get(h, "/bin/true", [mem_procs, pids_procs] {
    for (const auto& p : {mem_procs, pids_procs}) {
      std::ofstream f(p);
      f << "0\n";  // this process
      f.flush();
      if (!f) return 98;
    }
    return 0;
  });
  REQUIRE_MESSAGE(ev, "seen: " << h.seen());
  const std::string nul(1, '\0');
  const std::string expected = "cpuset=" + own_v1_path("cpuset") + nul + "cpu=" +
                               own_v1_path("cpu") + nul + "memory=" + mem.path() + nul +
                               "pids=" + pids.path() + nul;
  CHECK(pbytes(ev->view(), "cgroups") == expected);
}
