// A small harness over the plugin's runtime worker and cgroup matcher, for the end-to-end
// test against a real containerd (e2e/containerd_e2e.sh):
//
//   containerd_probe cgroup PID                 -> "host" or "<id> <type>" from /proc/PID/cgroup
//   containerd_probe inspect ENGINE SOCK ID     -> the ContainerInfo as JSON (exit 3: none);
//        the worker's log lines on stderr
//   containerd_probe watch SOCK SECONDS         -> one line per container published/exited by
//        the worker (event stream), the worker's log lines, and at the end the slowest
//        event-path call (request + find, every 5 ms) as "worst_event_path_us N".
//
// ENGINE is "containerd" (native API) or "cri". Output is flushed line by line.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cgroup_match.h"
#include "runtime_worker.h"

using namespace saker::container;
using Clock = std::chrono::steady_clock;

namespace {

nlohmann::json to_json(const ContainerInfo& i) {
  nlohmann::json mounts = nlohmann::json::array();
  for (const auto& m : i.mounts) {
    mounts.push_back({{"source", m.source}, {"dest", m.dest}, {"mode", m.mode},
                      {"rdwr", m.rdwr}, {"propagation", m.propagation}});
  }
  auto opt = [](const std::optional<bool>& b) { return b ? nlohmann::json(*b) : nlohmann::json(); };
  return {{"id", i.id}, {"type", i.type}, {"name", i.name}, {"image", i.image},
          {"image_repository", i.image_repository}, {"image_tag", i.image_tag},
          {"image_digest", i.image_digest}, {"image_id", i.image_id},
          {"privileged", opt(i.privileged)}, {"host_pid", opt(i.host_pid)},
          {"host_network", opt(i.host_network)}, {"host_ipc", opt(i.host_ipc)},
          {"mounts", mounts}, {"labels", i.labels}, {"created_ts", i.created_ts},
          {"pod_name", i.pod_name}, {"pod_namespace", i.pod_namespace}, {"pod_uid", i.pod_uid},
          {"sandbox_id", i.sandbox_id}, {"pod_labels", i.pod_labels}, {"ip", i.ip},
          {"cni_json", i.cni_json}};
}

WorkerOptions options(const std::string& engine, const std::string& sock) {
  WorkerOptions o;
  o.endpoints = {Endpoint{engine, sock}};
  o.connect_timeout_ms = 500;
  o.request_timeout_ms = 1000;
  o.retry_ms = 200;
  o.socket_backoff_ms = 500;
  o.exit_grace_ms = 100;
  o.companion_dir = SAKER_PLUGIN_DIR;  // libcontainer_grpc.so
  return o;
}

void print_logs(LogQueue& log, std::ostream& out = std::cout) {
  for (auto& [lvl, m] : log.drain()) {
    if (lvl != RuntimeWorker::kLogDebug) out << "log: " << m << std::endl;
  }
}

int cgroup(const std::string& pid) {
  std::ifstream f("/proc/" + pid + "/cgroup");
  std::stringstream ss;
  ss << f.rdbuf();
  CgroupMatch m = match_cgroups(ss.str());
  std::cout << (m.in_container() ? m.id + " " + m.type : "host") << std::endl;
  return 0;
}

int inspect(const std::string& engine, const std::string& sock, const std::string& id) {
  MetadataStore store(64);
  LogQueue log;
  auto o = options(engine, sock);
  o.event_stream = false;
  RuntimeWorker w(o, &store, &log);
  w.start();
  w.request(id, engine == "cri" ? "cri" : "containerd");
  const auto end = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < end) {
    auto i = store.find(id);
    if (i && i->has_metadata) {
      std::cout << to_json(*i).dump() << std::endl;
      print_logs(log, std::cerr);  // e.g. parts of the answer that could not be read
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  print_logs(log);
  return 3;
}

int watch(const std::string& sock, int seconds) {
  MetadataStore store(4096);
  LogQueue log;
  RuntimeWorker w(options("containerd", sock), &store, &log);
  std::mutex out_mu;
  w.set_listener({[&](const ContainerInfo& i) {
                    std::lock_guard lock(out_mu);
                    std::cout << "published " << i.id << " " << i.name << " " << i.image
                              << " privileged=" << (i.privileged.value_or(false) ? 1 : 0)
                              << std::endl;
                  },
                  [&](const std::string& id) {
                    std::lock_guard lock(out_mu);
                    std::cout << "exited " << id << std::endl;
                  }});
  w.start();
  std::cout << "ready" << std::endl;
  const std::string probe_id(64, 'f');
  double worst_us = 0;
  const auto end = Clock::now() + std::chrono::seconds(seconds);
  while (Clock::now() < end) {
    auto t0 = Clock::now();
    w.request(probe_id, "containerd");
    (void)store.find(probe_id);
    worst_us = std::max(
        worst_us, std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    {
      std::lock_guard lock(out_mu);
      print_logs(log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  w.stop();
  print_logs(log);
  std::cout << "worst_event_path_us " << worst_us << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> a(argv + 1, argv + argc);
  if (a.size() == 2 && a[0] == "cgroup") return cgroup(a[1]);
  if (a.size() == 4 && a[0] == "inspect") return inspect(a[1], a[2], a[3]);
  if (a.size() == 3 && a[0] == "watch") return watch(a[1], std::stoi(a[2]));
  std::cerr << "usage: containerd_probe cgroup PID | inspect ENGINE SOCK ID | watch SOCK SECONDS\n";
  return 2;
}
