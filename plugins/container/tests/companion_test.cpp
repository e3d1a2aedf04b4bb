// The companion libraries (src/companion.h) through the real core: with no runtime socket
// they are never loaded; a socket that appears while the plugin runs loads its own; one that
// cannot be loaded is told once in the log, naming the file, and the plugin goes on with
// container ids and types. Each test uses its own copy of the plugin and of the companions
// (in a temporary folder): what other tests of this process loaded does not count.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "fake_runtime.h"
#include "replay_harness.h"
#include "test_util.h"

using namespace saker::container::testing;
namespace fs = std::filesystem;

namespace {

// The plugin's init_config: every engine enabled, each on a socket of `d` (containerd and
// the CRI on the same one, as on a containerd host).
std::string engines_in(const fs::path& d) {
  auto on = [&](const char* sock) {
    return R"({"enabled":true,"sockets":[")" + (d / sock).string() + R"("]})";
  };
  return R"({"engines":{"docker":)" + on("docker.sock") + R"(,"podman":)" + on("podman.sock") +
         R"(,"containerd":)" + on("containerd.sock") + R"(,"cri":)" + on("containerd.sock") +
         R"(},"runtime_lookups":"always","connect_timeout_ms":200,"lookup_timeout_ms":300,)"
         R"("socket_backoff_ms":300})";
}

// A temporary folder with copies of the plugin and of `companions`.
struct PluginCopy {
  saker::test::TempDir tmp;
  fs::path dir = fs::canonical(tmp.path());
  explicit PluginCopy(std::initializer_list<const char*> companions) {
    fs::copy_file(fs::path(SAKER_PLUGIN_DIR) / "libcontainer.so", dir / "libcontainer.so");
    for (const char* c : companions) fs::copy_file(fs::path(SAKER_PLUGIN_DIR) / c, dir / c);
  }
  std::string lib() const { return (dir / "libcontainer.so").string(); }
  bool mapped(const char* file) const {
    const std::string path = (dir / file).string();
    std::ifstream maps("/proc/self/maps");
    for (std::string l; std::getline(maps, l);) {
      if (l.ends_with(" " + path)) return true;
    }
    return false;
  }
};

// stderr (the core's log) into a file for the object's life.
class StderrTo {
 public:
  explicit StderrTo(const fs::path& p) {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrTo() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
  }

 private:
  int saved_;
};

const std::vector<std::string> kFields = {"container.id", "container.type", "container.name"};

void check_same_ids(const Run& a, const Run& b) {
  REQUIRE(a.rows.size() == b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) {
    CHECK(a.rows[i][0] == b.rows[i][0]);
    CHECK(a.rows[i][1] == b.rows[i][1]);
  }
}

}  // namespace

TEST_CASE("no runtime socket: no companion is loaded; a socket that appears loads its own") {
  PluginCopy p({"libcontainer_grpc.so", "libcontainer_http.so"});
  const std::string cap = (p.dir / "c.scap").string();
  write_capture(cap, processes(0), 2);
  // Every engine enabled, no socket there: lookups are asked (and fail), nothing is loaded.
  auto run = replay(cap, engines_in(p.dir), kFields, /*pause_ms=*/1500, 1, p.lib());
  REQUIRE(!run.rows.empty());
  CHECK_FALSE(p.mapped("libcontainer_grpc.so"));
  CHECK_FALSE(p.mapped("libcontainer_http.so"));

  // podman's socket appears while the plugin runs: the HTTP companion is loaded then, and
  // only it.
  std::optional<FakeRuntime> podman, ctrd;
  std::thread later([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    podman.emplace((p.dir / "podman.sock").string(), FakeRuntime::Mode::kHealthy);
  });
  run = replay(cap, engines_in(p.dir), kFields, /*pause_ms=*/2000, 1, p.lib());
  later.join();
  CHECK(podman->requests() > 0);
  CHECK(p.mapped("libcontainer_http.so"));
  CHECK_FALSE(p.mapped("libcontainer_grpc.so"));

  // Then containerd's: the gRPC companion.
  later = std::thread([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ctrd.emplace((p.dir / "containerd.sock").string(), FakeRuntime::Mode::kRefuse);
  });
  run = replay(cap, engines_in(p.dir), kFields, /*pause_ms=*/2000, 1, p.lib());
  later.join();
  CHECK(p.mapped("libcontainer_grpc.so"));
}

TEST_CASE("companions that cannot be loaded: one log line naming each, ids and types still") {
  PluginCopy p({});  // the plugin alone
  const std::string cap = (p.dir / "c.scap").string();
  write_capture(cap, processes(20), 2);
  FakeRuntime ctrd((p.dir / "containerd.sock").string(), FakeRuntime::Mode::kRefuse);
  FakeRuntime podman((p.dir / "podman.sock").string(), FakeRuntime::Mode::kHealthy);
  podman.add_container(kPodmanId, data("podman4.3_inspect_mount.json"));
  const Run none = replay(cap, kNoRuntime, kFields);
  const fs::path log = p.dir / "log.txt";
  Run run;
  {
    StderrTo redirect(log);
    run = replay(cap, engines_in(p.dir), kFields, /*pause_ms=*/1000, 1, p.lib());
  }
  check_same_ids(run, none);
  CHECK(podman.requests() == 0);  // no client to ask it with
  for (const auto& r : run.rows) {
    if (r[0] == kPodmanId.substr(0, 12)) CHECK(r[2] == "<NA>");
  }
  const std::vector<std::string> lines = saker::test::read_lines(log);
  for (const auto& [file, what] :
       {std::pair{"libcontainer_grpc.so", "no containerd or CRI container metadata"},
        std::pair{"libcontainer_http.so", "no docker or podman container metadata"}}) {
    CAPTURE(file);
    std::vector<std::string> found;
    for (const auto& l : lines) {
      if (l.find(file) != std::string::npos) found.push_back(l);
    }
    REQUIRE(found.size() == 1);  // told once (containerd and the CRI, lookups and streams)
    CAPTURE(found[0]);
    CHECK(found[0].find("[error] container: ") != std::string::npos);
    CHECK(found[0].find((p.dir / file).string()) != std::string::npos);
    CHECK(found[0].find("cannot open shared object file") != std::string::npos);  // dlerror()
    CHECK(found[0].find(what) != std::string::npos);
  }
}
