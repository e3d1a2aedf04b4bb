// Test helpers; see aws_servers.h.
#include "aws_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "s3_objects.h"
#include "sqs_client.h"

namespace saker::cttest {

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

bool wait_port(int port, int timeout_ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < end) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    close(s);
    if (ok) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

Child::Child(const std::vector<std::string>& argv, const std::string& log_file,
             const std::vector<std::string>& env) {
  pid_ = fork();
  if (pid_ == 0) {
    setpgid(0, 0);
    int fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    for (const auto& e : env) putenv(strdup(e.c_str()));
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (pid_ > 0) setpgid(pid_, pid_);
}

Child::~Child() {
  if (pid_ <= 0 || !running()) return;
  kill_now(SIGTERM);
  if (wait(5000) == -1) {
    kill_now(SIGKILL);
    wait(5000);
  }
}

void Child::kill_now(int sig) {
  if (pid_ > 0) ::kill(-pid_, sig);
}

bool Child::running() {
  if (reaped_) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = st;
    return false;
  }
  return r == 0;
}

int Child::wait(int timeout_ms) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (running()) {
    if (std::chrono::steady_clock::now() >= end) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
}

std::string npm_modules() { return std::string(CT_NPM_DIR) + "/node_modules"; }

S3rver::S3rver(const std::string& data_dir, const std::vector<std::string>& buckets)
    : port_(free_port()) {
  // s3rver encrypts its continuation tokens with a cipher that Node 20's OpenSSL 3 keeps
  // in the legacy provider.
  std::vector<std::string> argv = {"node",
                                   "--openssl-legacy-provider",
                                   npm_modules() + "/s3rver/bin/s3rver.js",
                                   "-d",
                                   data_dir,
                                   "-a",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(port_),
                                   "-s"};
  for (const auto& b : buckets) {
    argv.push_back("--configure-bucket");
    argv.push_back(b);
  }
  child_ = std::make_unique<Child>(argv, data_dir + ".log");
  if (!wait_port(port_, 20000))
    throw std::runtime_error("s3rver did not start (see " + data_dir + ".log)");
}

Fauxqs::Fauxqs(const std::string& log_file) : port_(free_port()) {
  child_ = std::make_unique<Child>(
      std::vector<std::string>{"node", std::string(CT_TESTS_DIR) + "/fauxqs_loopback.mjs",
                               npm_modules(), std::to_string(port_)},
      log_file);
  if (!wait_port(port_, 20000))
    throw std::runtime_error("fauxqs did not start (see " + log_file + ")");
}

FaultProxy::FaultProxy(int upstream_port) : upstream_(upstream_port) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  socklen_t len = sizeof(a);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  listen(listen_fd_, 64);
  acceptor_ = std::thread([this] {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      std::lock_guard lock(mu_);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  });
}

FaultProxy::~FaultProxy() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  std::vector<std::thread> ws;
  {
    std::lock_guard lock(mu_);
    ws.swap(workers_);
  }
  for (auto& w : ws) w.join();
  close(listen_fd_);
}

void FaultProxy::add(const std::string& part, Fault f, int times) {
  std::lock_guard lock(mu_);
  rules_.push_back({part, f, times});
}

namespace {
bool send_all(int fd, const std::string& s) {
  size_t off = 0;
  while (off < s.size()) {
    ssize_t n = send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<size_t>(n);
  }
  return true;
}
// Reads until EOF or `stop`, at most `max_ms`.
std::string read_all(int fd, int max_ms) {
  std::string out;
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
  char buf[65536];
  while (std::chrono::steady_clock::now() < end) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}
}  // namespace

void FaultProxy::serve(int fd) {
  std::string req;
  char buf[65536];
  // The head, then the body its Content-Length announces.
  size_t head_end = std::string::npos;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (head_end == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    req.append(buf, static_cast<size_t>(n));
    head_end = req.find("\r\n\r\n");
  }
  if (head_end == std::string::npos) {
    close(fd);
    return;
  }
  size_t body_len = 0;
  for (const char* h : {"Content-Length: ", "content-length: "}) {
    size_t p = req.find(h);
    if (p != std::string::npos && p < head_end) body_len = std::stoul(req.substr(p + strlen(h)));
  }
  while (req.size() < head_end + 4 + body_len) {
    ssize_t n = recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    req.append(buf, static_cast<size_t>(n));
  }
  ++requests_;
  const std::string line = req.substr(0, head_end);  // request line and headers
  std::optional<Fault> fault;
  {
    std::lock_guard lock(mu_);
    for (auto& r : rules_) {
      if (r.left > 0 && line.find(r.part) != std::string::npos) {
        --r.left;
        fault = r.fault;
        break;
      }
    }
  }
  if (fault) ++injected_;
  if (fault == Fault::k500 || fault == Fault::k503) {
    const bool slow = fault == Fault::k503;
    const std::string body =
        slow ? "<Error><Code>SlowDown</Code><Message>Reduce your request rate</Message></Error>"
             : "<Error><Code>InternalError</Code><Message>injected</Message></Error>";
    send_all(fd,
             std::string(slow ? "HTTP/1.1 503 Slow Down" : "HTTP/1.1 500 Internal Server Error") +
                 "\r\nContent-Type: application/xml\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    close(fd);
    return;
  }
  if (fault == Fault::kSilence) {
    read_all(fd, 4000);  // say nothing until the client gives up
    close(fd);
    return;
  }
  int up = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(upstream_));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(up, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0 || !send_all(up, req)) {
    close(up);
    close(fd);
    return;
  }
  std::string resp = read_all(up, 10000);
  close(up);
  if (fault == Fault::kTruncate) {
    const size_t he = resp.find("\r\n\r\n");
    if (he != std::string::npos) resp.resize(he + 4 + (resp.size() - he - 4) / 2);
  }
  send_all(fd, resp);
  close(fd);
}

void use_s3rver_keys() {
  setenv("AWS_ACCESS_KEY_ID", "S3RVER", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "S3RVER", 1);
  setenv("AWS_REGION", "us-east-1", 1);
  unsetenv("AWS_SESSION_TOKEN");
  unsetenv("AWS_PROFILE");
}

void s3_put(const std::string& endpoint, const std::string& bucket, const std::string& key,
            const std::string& body) {
  cloudtrail::S3Settings s;
  s.endpoint = endpoint;
  s.region = "us-east-1";
  s.creds = {"S3RVER", "S3RVER", ""};
  cloudtrail::S3Objects s3(s, nullptr, nullptr);
  auto r = s3.put(bucket, key, body);
  if (!r.ok()) throw std::runtime_error("PUT " + key + ": " + r.describe());
}

namespace {
cloudtrail::SqsClient sqs_for(const std::string& endpoint) {
  cloudtrail::aws::RetryPolicy p;
  p.base_delay_ms = 50;
  return cloudtrail::SqsClient(
      cloudtrail::aws::HttpClient(cloudtrail::aws::Endpoint::parse(endpoint), "us-east-1", "sqs",
                                  {"S3RVER", "S3RVER", ""}, p),
      nullptr);
}
}  // namespace

std::string sqs_create_queue(const std::string& endpoint, const std::string& name,
                             uint32_t visibility_s) {
  return sqs_for(endpoint).create_queue(name, visibility_s);
}

void sqs_send(const std::string& endpoint, const std::string& url, const std::string& body) {
  sqs_for(endpoint).send(url, body);
}

std::pair<uint64_t, uint64_t> sqs_depth(const std::string& endpoint, const std::string& url) {
  return sqs_for(endpoint).depth(url);
}

std::string s3_notification(const std::string& bucket, const std::string& key) {
  nlohmann::json n = {
      {"Records",
       {{{"eventVersion", "2.1"},
         {"eventSource", "aws:s3"},
         {"eventName", "ObjectCreated:Put"},
         {"s3", {{"bucket", {{"name", bucket}}}, {"object", {{"key", key}, {"size", 1}}}}}}}}};
  return n.dump();
}

}  // namespace saker::cttest
