// The live end-to-end tests' machinery (see live_harness.h).
#include "live_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace saker::live_e2e {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(50);

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// fork + exec with stdout/stderr sent to files (opened in the child).
pid_t spawn(const std::vector<std::string>& argv, const std::string& out, const std::string& err,
            bool append_err) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int o = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int e =
        open(err.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append_err ? O_APPEND : O_TRUNC), 0644);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0) _exit(126);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  return pid;
}

// Waits for `pid` up to `timeout`; kills it past that (returns -1 then).
int reap(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  int status = 0;
  while (Clock::now() < deadline) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

BuildPaths build_paths() { return {SAKER_E2E_SAKER_BIN, SAKER_E2E_HELPER_BIN, SAKER_E2E_RULES}; }

SakerProcess::SakerProcess(const std::filesystem::path& binary,
                           const std::vector<std::string>& args, const std::filesystem::path& dir)
    : out_(dir / "saker.stdout"), err_(dir / "saker.stderr") {
  std::vector<std::string> argv{binary.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = spawn(argv, out_, err_, false);
}

SakerProcess::~SakerProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

bool SakerProcess::running() {
  if (pid_ <= 0) return false;
  int status;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool SakerProcess::wait_log(const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (log().find(text) != std::string::npos) return true;
    if (!running()) return log().find(text) != std::string::npos;
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

bool SakerProcess::wait_alert(const std::function<bool(const Json&)>& pred,
                              std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    for (const auto& a : alerts()) {
      if (pred(a)) return true;
    }
    if (!running()) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return false;
}

int SakerProcess::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const int status = reap(pid_, timeout);
  pid_ = -1;
  return status;
}

int SakerProcess::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  const int status = reap(pid_, timeout);
  pid_ = -1;
  return status;
}

std::vector<Json> SakerProcess::alerts() const {
  std::vector<Json> out;
  std::istringstream in(slurp(out_));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] != '{') continue;
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object()) out.push_back(std::move(j));  // a half-written last line is skipped
  }
  return out;
}

std::string SakerProcess::log() const { return slurp(err_); }

bool RunResult::ok() const { return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0; }

RunResult run(const std::vector<std::string>& argv, const std::filesystem::path& log,
              const std::filesystem::path& out, std::chrono::milliseconds timeout) {
  RunResult r;
  r.pid = spawn(argv, out, log, true);
  r.status = reap(r.pid, timeout);
  return r;
}

TcpListener::TcpListener(const std::string& ip, std::uint16_t port) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  const int one = 1;
  if (fd_ >= 0) setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  inet_pton(AF_INET, ip.c_str(), &sa.sin_addr);
  socklen_t len = sizeof sa;
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) < 0 ||
      listen(fd_, 16) < 0 || getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len) < 0) {
    throw std::runtime_error("cannot listen on " + ip + ":" + std::to_string(port));
  }
  port_ = ntohs(sa.sin_port);
}

TcpListener::~TcpListener() {
  if (fd_ >= 0) close(fd_);
}

std::string own_comm() {
  std::string c = slurp("/proc/self/comm");
  while (!c.empty() && c.back() == '\n') c.pop_back();
  return c;
}

std::string own_user() {
  const passwd* pw = getpwuid(geteuid());
  return pw ? pw->pw_name : std::to_string(geteuid());
}

std::string resolved(const std::filesystem::path& p) {
  std::error_code ec;
  auto r = std::filesystem::canonical(p, ec);
  return ec ? p.string() : r.string();
}

}  // namespace saker::live_e2e
