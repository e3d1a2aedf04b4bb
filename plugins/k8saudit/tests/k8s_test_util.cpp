// Helpers for the k8saudit tests; see k8s_test_util.h.
#include "k8s_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "test_util.h"

namespace saker::k8stest {

const char* kCompareFormat =
    "id=%ka.auditid stage=%ka.stage verb=%ka.verb user=%ka.user.name "
    "groups=%ka.user.groups res=%ka.target.resource sub=%ka.target.subresource "
    "name=%ka.target.name ns=%ka.target.namespace code=%ka.response.code "
    "reason=%ka.response.reason decision=%ka.auth.decision uri=%ka.uri "
    "images=%ka.req.pod.containers.image repos=%ka.req.pod.containers.image.repository "
    "priv=%ka.req.pod.containers.privileged hostnet=%ka.req.pod.host_network "
    "vols=%ka.req.pod.volumes.hostpath role=%ka.req.binding.role "
    "subjects=%ka.req.binding.subjects rverbs=%ka.req.role.rules.verbs "
    "rres=%ka.req.role.rules.resources svc=%ka.req.service.type cm=%ka.req.configmap.obj "
    "resp=%ka.resp.name ips=%ka.sourceips ua=%ka.useragent jstage=%jevt.value[/stage] "
    "cmd=%ka.uri.param[command]";

std::vector<std::string> replay_file(const std::string& params, const std::string& format,
                                     uint64_t* file_events, uint64_t* file_malformed) {
  auto e = test::make_engine();
  e->plugins().load({"k8s", "libk8saudit.so", "", params});
  e->register_fields();
  CollectSink sink(*e, format);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"k8s_audit"}, stop);
  if (file_events) *file_events = e->metrics().value_of("k8s_file_events");
  if (file_malformed) *file_malformed = e->metrics().value_of("k8s_file_malformed");
  return sink.lines();
}

std::string panther_path() {
  return std::string(SAKER_TESTDATA_DIR) + "/k8saudit/panther_k8s_audit_test_events.jsonl";
}

std::vector<std::string> panther_lines() {
  std::vector<std::string> out;
  std::ifstream in(panther_path());
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  // Tests index into these events: a missing testdata folder must fail them, not crash.
  if (out.empty()) throw std::runtime_error("no audit events in " + panther_path());
  return out;
}

TlsFiles make_cert(const std::filesystem::path& dir, const std::string& name) {
  TlsFiles f{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
      "-days 1 -subj /CN=" +
      name + " -addext subjectAltName=IP:127.0.0.1 -keyout " + f.key + " -out " + f.cert +
      " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("openssl req failed");
  return f;
}

CollectSink::CollectSink(core::Engine& e, const std::string& format)
    : fmt_(core::OutputFormat::compile(format, "k8s_audit", e.fields(), e.slots())) {}

void CollectSink::on_event(core::EventContext& ctx) noexcept {
  std::string msg;
  std::vector<core::RenderedField> fields;
  fmt_.render(ctx, &msg, &fields);
  std::lock_guard lock(mu_);
  lines_.push_back(std::move(msg));
}

std::vector<std::string> CollectSink::lines() const {
  std::lock_guard lock(mu_);
  return lines_;
}

size_t CollectSink::count() const {
  std::lock_guard lock(mu_);
  return lines_.size();
}

bool CollectSink::wait_for(size_t n, int timeout_ms) const {
  auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (count() < n) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

Runner::Runner(core::Engine& e) : t_([this, &e] { e.run({"k8s_audit"}, stop_); }) {}

void Runner::stop() {
  stop_ = true;
  if (t_.joinable()) t_.join();
}

int free_port() {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
  close(s);
  return ntohs(a.sin_port);
}

std::string raw_exchange(int port, const std::string& request, int wait_ms, int* answered_ms) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(s);
    return "connect failed";
  }
  if (!request.empty()) (void)!send(s, request.data(), request.size(), MSG_NOSIGNAL);
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count());
  };
  std::string out;
  if (answered_ms) *answered_ms = -1;
  for (;;) {
    pollfd p{s, POLLIN, 0};
    int left = wait_ms - elapsed();
    if (left <= 0 || poll(&p, 1, left) <= 0) break;
    char buf[4096];
    ssize_t n = recv(s, buf, sizeof(buf), 0);
    if (answered_ms && *answered_ms < 0) *answered_ms = elapsed();
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(s);
  return out;
}

std::string event_list(const std::vector<std::string>& lines, size_t from, size_t to) {
  std::string body = R"({"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[)";
  for (size_t i = from; i < to && i < lines.size(); ++i) {
    if (i > from) body += ',';
    body += lines[i];
  }
  return body + "]}";
}

}  // namespace saker::k8stest
