// The container plugin through the real core, next to the real syscall plugin, on captures
// written by the test (CaptureWriter): processes seeded in podman/docker/containerd/CRI-O
// containers (v1, v2 and hybrid cgroup lists) and on the host, a host process that execs
// into a container (what runc does), metadata from a fake runtime, and the event path's
// throughput with the runtime socket absent, hanging or healthy.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "../../syscall/tests/event_builder.h"
#include "capture_writer.h"
#include "fake_runtime.h"
#include "output_format.h"
#include "test_util.h"

using saker::container::testing::FakeRuntime;
using saker::syscall::testing::EventBuilder;
namespace scap = saker::syscall::scap;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kPodmanId = "24550a36adf999fe103b3d8eb499a95d0102a9411ac02f2cc3dee114f63ee823";

std::string data(const std::string& name) {
  std::ifstream in(std::string(SAKER_CONTAINER_TESTDATA) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string nul_list(std::initializer_list<std::string> v) {
  std::string s;
  for (const auto& e : v) {
    s += e;
    s.push_back('\0');
  }
  return s;
}

std::string hex_id(int i) {
  char b[65];
  std::snprintf(b, sizeof b, "%064x", 0xc0ffee00 + i);
  return b;
}

struct Proc {
  uint64_t tid;
  std::string cgroups;
  std::string expect_id;  // full id or "host"
  std::string expect_type;
};

// The processes of the synthetic capture: one per cgroup form, then `extra` podman ones.
std::vector<Proc> processes(int extra) {
  std::vector<Proc> v = {
      {100,
       nul_list(
           {"cpuset=/libpod_parent/libpod-" + kPodmanId, "cpu=/libpod_parent/libpod-" + kPodmanId}),
       kPodmanId, "podman"},
      {101, nul_list({"cpuset=/system.slice/docker-" + hex_id(1) + ".scope"}), hex_id(1), "docker"},
      {102, nul_list({"cpu=/", "memory=/default/" + hex_id(2)}), hex_id(2), "containerd"},
      {103,
       nul_list({"cpuset=/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
                 "crio-" +
                 hex_id(3) + ".scope"}),
       hex_id(3), "cri-o"},
      {104, nul_list({"cpuset=/user.slice/user-1000.slice/session-1.scope"}), "host", "host"},
      {105, "", "host", "host"},  // no cgroups known (and a capture: no /proc fallback)
  };
  for (int i = 0; i < extra; ++i) {
    v.push_back({static_cast<uint64_t>(1000 + i),
                 nul_list({"cpuset=/machine.slice/libpod-" + hex_id(100 + i) + ".scope/container"}),
                 hex_id(100 + i), "podman"});
  }
  return v;
}

void write_event(scap::CaptureWriter& w, const std::vector<std::uint8_t>& bytes) {
  scap::EventView v;
  REQUIRE(v.assign(bytes));
  w.write_event(v, 0);
}

// Writes the capture: the processes, `per_thread` close events for each, and an execve of
// thread 104 (a host shell) into a podman container, followed by one more event.
void write_capture(const std::string& path, const std::vector<Proc>& procs, int per_thread) {
  scap::CaptureTables t;
  t.machine.num_cpus = 1;
  t.machine.hostname = "test";
  for (const auto& p : procs) {
    scap::ProcessEntry e;
    e.tid = e.pid = p.tid;
    e.ptid = 1;
    e.comm = "sh";
    e.exe = "/bin/sh";
    e.exepath = "/bin/sh";
    e.cgroups = p.cgroups;
    t.processes.push_back(e);
  }
  scap::CaptureWriter w(path);
  w.write_header(t);
  uint64_t ts = 1700000000000000000ull;
  for (int k = 0; k < per_thread; ++k) {
    for (const auto& p : procs)
      write_event(w, EventBuilder("close", false, p.tid, ts++).i64(0).i64(3).build());
  }
  // runc: the process execs the container's entrypoint once moved into its cgroup.
  write_event(w, EventBuilder("execve", false, 104, ts++)
                     .i64(0)
                     .str("/bin/sh")
                     .bytes(std::string("-c\0id\0", 6))
                     .i64(104)
                     .i64(104)
                     .i64(1)
                     .str("/")
                     .u64(1024)
                     .u64(0)
                     .u64(0)
                     .u32(0)
                     .u32(0)
                     .u32(0)
                     .str("sh")
                     .bytes(nul_list({"cpuset=/libpod_parent/libpod-" + kPodmanId}))
                     .build());
  write_event(w, EventBuilder("close", false, 104, ts++).i64(0).i64(3).build());
  w.close();
}

constexpr char kSep = '\x1f';

class RowSink : public saker::core::EventSink {
 public:
  RowSink(saker::core::Engine& e, const std::vector<std::string>& fields) {
    std::string fmt;
    for (const auto& f : fields) fmt += (fmt.empty() ? "%" : std::string(1, kSep) + "%") + f;
    format_.emplace(saker::core::OutputFormat::compile(fmt, "syscall", e.fields(), e.slots()));
  }
  void on_event(saker::core::EventContext& ctx) noexcept override {
    std::string msg;
    format_->render(ctx, &msg, nullptr);
    std::vector<std::string> r;
    size_t pos = 0;
    for (;;) {
      size_t end = msg.find(kSep, pos);
      r.push_back(msg.substr(pos, end == std::string::npos ? end : end - pos));
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    // Give the runtime worker time to answer before the rest of the capture goes by.
    if (pause_ms && !paused && r[0] != "host") {
      paused = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    }
    rows.push_back(std::move(r));
  }
  std::vector<std::vector<std::string>> rows;
  int pause_ms = 0;
  bool paused = false;

 private:
  std::optional<saker::core::OutputFormat> format_;
};

struct Run {
  std::vector<std::vector<std::string>> rows;
  double seconds = 0;
};

Run replay(const std::string& capture, const std::string& container_cfg,
           const std::vector<std::string>& fields, int pause_ms = 0, int loop = 1) {
  auto e = saker::test::make_engine();
  e->plugins().load({"syscall", "libsyscall.so",
                     R"({"engine":{"kind":"replay","replay":{"capture_file":")" + capture +
                         R"(","loop":)" + std::to_string(loop) + "}}}",
                     ""});
  e->plugins().load({"container", "libcontainer.so", container_cfg, ""});
  e->register_fields();
  RowSink sink(*e, fields);
  sink.pause_ms = pause_ms;
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  auto t0 = Clock::now();
  e->run({"syscall"}, stop);
  Run r;
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.rows = std::move(sink.rows);
  return r;
}

std::string config_for(const std::string& sock, bool stream = true) {
  return R"({"engines":{"docker":{"enabled":false},"podman":{"enabled":true,"sockets":[")" + sock +
         R"("]}},"runtime_lookups":"always","connect_timeout_ms":200,"lookup_timeout_ms":300,"event_stream":)" +
         (stream ? "true" : "false") + "}";
}

const std::string kNoRuntime =
    R"({"engines":{"docker":{"enabled":false},"podman":{"enabled":false}}})";

}  // namespace

TEST_CASE("container ids and types from seeded processes, refreshed by execve") {
  saker::test::TempDir dir;
  const auto procs = processes(0);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 2);
  auto run = replay(cap, kNoRuntime,
                    {"thread.tid", "container.id", "container.full_id", "container.type",
                     "container.name", "container.image", "evt.type"});
  std::map<std::string, const Proc*> by_tid;
  for (const auto& p : procs) by_tid[std::to_string(p.tid)] = &p;
  size_t checked = 0;
  std::vector<std::string> last_104;
  for (const auto& r : run.rows) {
    if (r[0] == "104") last_104 = r;
    if (r[6] != "close" || !by_tid.count(r[0])) continue;
    const Proc& p = *by_tid[r[0]];
    if (p.tid == 104 && checked >= 2 * procs.size()) continue;  // after its execve
    CAPTURE(r[0]);
    CHECK(r[2] == p.expect_id);
    CHECK(r[1] == (p.expect_id == "host" ? "host" : p.expect_id.substr(0, 12)));
    CHECK(r[3] == p.expect_type);
    CHECK(r[4] == (p.expect_id == "host" ? "host" : "<NA>"));  // no runtime: no name
    CHECK(r[5] == "<NA>");
    ++checked;
  }
  CHECK(checked == 2 * procs.size());
  // The host shell became the container's process at its execve.
  REQUIRE(last_104.size() == 7);
  CHECK(last_104[2] == kPodmanId);
  CHECK(last_104[3] == "podman");
}

TEST_CASE("metadata from the runtime: name, image, privileged, mounts") {
  saker::test::TempDir dir;
  const auto procs = processes(0);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 20);
  FakeRuntime rt((dir.path() / "podman.sock").string(), FakeRuntime::Mode::kHealthy);
  rt.add_container(kPodmanId, data("podman4.3_inspect_mount.json"));
  rt.add_image("c1d4a6675e777cdadbc997c0fead577901d3bbcfec8e20fcc656be9f890b1504",
               data("podman4.3_image_inspect.json"));
  auto run =
      replay(cap, config_for(rt.path()),
             {"container.id", "container.name", "container.image", "container.image.repository",
              "container.image.tag", "container.image.digest", "container.privileged",
              "container.mounts", "container.mount.dest[/tmp]", "container.mount.source[/host*]",
              "container.mount.rdwr[0]", "container.mount[/nonexistent]", "container.host_network",
              "container.labels", "k8s.pod.name"},
             /*pause_ms=*/1500);
  size_t before = 0, after = 0;
  for (const auto& r : run.rows) {
    if (r[0] != kPodmanId.substr(0, 12)) continue;
    if (r[1] == "<NA>") {
      ++before;  // events before the answer: id only
      continue;
    }
    ++after;
    CHECK(r[1] == "ct1");
    CHECK(r[2] == "localhost/saker-busybox:e2e");
    CHECK(r[3] == "localhost/saker-busybox");
    CHECK(r[4] == "e2e");
    CHECK(r[5] == "sha256:6e9565d6def8b30848ee889f62c6c4a1226ec5335e3c4e6e8aef3a383cf22473");
    CHECK(r[6] == "false");
    CHECK(r[7] == "/tmp:/hosttmp::false:rprivate");
    CHECK(r[8] == "/hosttmp");
    CHECK(r[9] == "/tmp");
    CHECK(r[10] == "false");
    CHECK(r[11] == "none");
    CHECK(r[12] == "false");
    CHECK(r[14] == "<NA>");
  }
  MESSAGE(before << " events before the runtime answered, " << after << " after");
  CHECK(after > 0);
}

TEST_CASE("the runtime socket absent, refusing or hanging does not slow the event path") {
  saker::test::TempDir dir;
  const auto procs = processes(300);
  const std::string cap = (dir.path() / "c.scap").string();
  write_capture(cap, procs, 4);
  const std::vector<std::string> fields = {"container.id", "container.name", "container.type"};
  const int loop = 100;
  auto measure = [&](const std::string& label, const std::string& cfg) {
    auto r = replay(cap, cfg, fields, 0, loop);
    const double eps = r.rows.size() / r.seconds;
    MESSAGE(label << ": " << r.rows.size() << " events in " << r.seconds << " s = " << eps
                  << " events/s");
    return r;
  };
  auto none = measure("no runtime configured", kNoRuntime);
  FakeRuntime healthy((dir.path() / "ok.sock").string(), FakeRuntime::Mode::kHealthy);
  for (int i = 0; i < 300; ++i) {
    healthy.add_container(hex_id(100 + i), data("podman4.3_inspect_mount.json"));
  }
  auto ok = measure("healthy runtime", config_for(healthy.path()));
  const std::string absent_path = (dir.path() / "absent.sock").string();
  auto absent = measure("absent socket", config_for(absent_path));
  FakeRuntime refusing((dir.path() / "refuse.sock").string(), FakeRuntime::Mode::kRefuse);
  auto refused = measure("refusing socket", config_for(refusing.path()));
  FakeRuntime hung((dir.path() / "hang.sock").string(), FakeRuntime::Mode::kHang);
  auto hang = measure("hanging socket", config_for(hung.path()));
  CHECK(hung.requests() > 0);  // the plugin did try it
  // Every run saw every event; a broken runtime costs the event path no waiting (a generous
  // bound: the machine is shared, so rates vary run to run).
  for (const auto* r : {&ok, &absent, &refused, &hang}) {
    CHECK(r->rows.size() == none.rows.size());
    CHECK(r->seconds < none.seconds * 3 + 1.0);
  }
  CHECK(hang.seconds < ok.seconds * 3 + 1.0);
}
