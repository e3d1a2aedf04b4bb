// See replay_harness.h.
#include "replay_harness.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "../../syscall/tests/event_builder.h"
#include "capture_writer.h"
#include "output_format.h"
#include "test_util.h"

namespace saker::container::testing {

using saker::syscall::testing::EventBuilder;
namespace scap = saker::syscall::scap;
using Clock = std::chrono::steady_clock;

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

namespace {

void write_event(scap::CaptureWriter& w, const std::vector<std::uint8_t>& bytes) {
  scap::EventView v;
  if (!v.assign(bytes)) throw std::runtime_error("replay_harness: the test built a malformed event");
  w.write_event(v, 0);
}

}  // namespace

// Writes the capture: the processes, `per_thread` close events for each, and an execve of
// thread 104 (a host shell) into a podman container, followed by one more event.
void write_capture(const std::string& path, const std::vector<Proc>& procs, int per_thread,
                   const std::vector<std::vector<uint8_t>>& leading) {
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
  for (const auto& ev : leading) write_event(w, ev);
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

namespace {

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

}  // namespace

Run replay(const std::string& capture, const std::string& container_cfg,
           const std::vector<std::string>& fields, int pause_ms, int loop,
           const std::string& container_lib) {
  auto e = saker::test::make_engine();
  e->plugins().load({"syscall", "libsyscall.so",
                     R"({"engine":{"kind":"replay","replay":{"capture_file":")" + capture +
                         R"(","loop":)" + std::to_string(loop) + "}}}",
                     ""});
  e->plugins().load({"container", container_lib, container_cfg, ""});
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

std::string config_for(const std::string& sock, bool stream) {
  return R"({"engines":{"docker":{"enabled":false},"containerd":{"enabled":false},"cri":{"enabled":false},"podman":{"enabled":true,"sockets":[")" + sock +
         R"("]}},"runtime_lookups":"always","connect_timeout_ms":200,"lookup_timeout_ms":300,"event_stream":)" +
         (stream ? "true" : "false") + "}";
}

std::string config_for_engine(const std::string& engine, const std::string& sock, bool stream) {
  std::string engines;
  for (const char* e : {"docker", "podman", "containerd", "cri"}) {
    if (!engines.empty()) engines += ",";
    engines += std::string("\"") + e + "\":" +
               (e == engine ? R"({"enabled":true,"sockets":[")" + sock + "\"]}"
                            : std::string(R"({"enabled":false})"));
  }
  return R"({"engines":{)" + engines +
         R"(},"runtime_lookups":"always","connect_timeout_ms":200,"lookup_timeout_ms":300,"event_stream":)" +
         (stream ? "true" : "false") + "}";
}

const std::string kNoRuntime =
    R"({"engines":{"docker":{"enabled":false},"podman":{"enabled":false},)"
    R"("containerd":{"enabled":false},"cri":{"enabled":false}}})";

}  // namespace saker::container::testing
