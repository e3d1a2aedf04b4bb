// SakerChild (see saker_child.h).
#include "saker_child.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace saker::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kReadyLine = "opened event source 'syscall'";

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A program id is still loaded when the kernel hands out a descriptor for it.
bool prog_loaded(std::uint32_t id) {
  int fd = bpf_prog_get_fd_by_id(id);
  if (fd < 0) return errno != ENOENT;
  close(fd);
  return true;
}

}  // namespace

SakerChild::SakerChild(std::string binary, std::string log_path)
    : binary_(std::move(binary)), log_path_(std::move(log_path)) {}

SakerChild::~SakerChild() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void SakerChild::start(const std::vector<std::string>& args, double timeout_s) {
  std::vector<std::string> argv_s = {binary_};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Emptied here, not in the child: the previous run's "ready" line must not be read.
  int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot write " + log_path_);
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    throw std::runtime_error("fork: " + std::string(strerror(errno)));
  }
  if (pid == 0) {
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(log_fd);
  pid_ = pid;
  prog_ids_.clear();
  const auto t0 = Clock::now();
  while (log_text().find(kReadyLine) == std::string::npos) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("saker exited before opening its source; log:\n" + log_text());
    }
    if (seconds_since(t0) > timeout_s) {
      stop();
      throw std::runtime_error("saker did not open its source in time; log:\n" + log_text());
    }
    sleep_ms(20);
  }
  start_wall_s_ = seconds_since(t0);
  start_cpu_s_ = cpu_seconds();
  prog_ids_ = bpf_ids("prog_id");
}

int SakerChild::stop(double timeout_s) {
  if (pid_ <= 0) return 0;
  kill(pid_, SIGTERM);
  const auto t0 = Clock::now();
  while (waitpid(pid_, nullptr, WNOHANG) != pid_) {
    if (seconds_since(t0) > timeout_s) {
      std::fprintf(stderr, "live_bench: saker ignored SIGTERM for %.0f s; killing it\n", timeout_s);
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      break;
    }
    sleep_ms(10);
  }
  pid_ = -1;
  // The kernel frees programs after an RCU grace period: allow it a few seconds.
  int left = 0;
  const auto t1 = Clock::now();
  do {
    left = 0;
    for (auto id : prog_ids_) left += prog_loaded(id) ? 1 : 0;
    if (left) sleep_ms(50);
  } while (left && seconds_since(t1) < 10);
  return left;
}

double SakerChild::cpu_seconds() const {
  const std::string s = read_file("/proc/" + std::to_string(pid_) + "/stat");
  const auto close_paren = s.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream in(s.substr(close_paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // Fields 3.. after "pid (comm) ": state is field 3, utime 14, stime 15.
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

ProcMemory SakerChild::memory() const {
  std::istringstream in(read_file("/proc/" + std::to_string(pid_) + "/status"));
  ProcMemory m;
  std::string line;
  while (std::getline(in, line)) {
    unsigned long kib = 0;
    if (std::sscanf(line.c_str(), "VmRSS: %lu kB", &kib) == 1) m.rss_mib = kib / 1024.0;
    if (std::sscanf(line.c_str(), "VmHWM: %lu kB", &kib) == 1) m.hwm_mib = kib / 1024.0;
    if (std::sscanf(line.c_str(), "RssAnon: %lu kB", &kib) == 1) m.anon_mib = kib / 1024.0;
    if (std::sscanf(line.c_str(), "RssFile: %lu kB", &kib) == 1) m.file_mib = kib / 1024.0;
    if (std::sscanf(line.c_str(), "RssShmem: %lu kB", &kib) == 1) m.shmem_mib = kib / 1024.0;
  }
  std::istringstream smaps(read_file("/proc/" + std::to_string(pid_) + "/smaps"));
  bool bpf_map = false;
  while (std::getline(smaps, line)) {
    unsigned long kib = 0;
    if (!line.empty() && std::isxdigit(static_cast<unsigned char>(line[0])) &&
        line.find('-') != std::string::npos && line.find(' ') > line.find('-')) {
      bpf_map = line.find("anon_inode:bpf-map") != std::string::npos;
    } else if (bpf_map && std::sscanf(line.c_str(), "Rss: %lu kB", &kib) == 1) {
      m.bpf_maps_mib += kib / 1024.0;
    }
  }
  return m;
}

void SakerChild::pause() const {
  if (pid_ > 0) kill(pid_, SIGSTOP);
}

void SakerChild::resume() const {
  if (pid_ > 0) kill(pid_, SIGCONT);
}

std::vector<std::uint32_t> SakerChild::bpf_ids(const char* key) const {
  std::vector<std::uint32_t> ids;
  const std::string dir = "/proc/" + std::to_string(pid_) + "/fdinfo";
  DIR* d = opendir(dir.c_str());
  if (!d) return ids;
  const std::string prefix = std::string(key) + ":";
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::istringstream in(read_file(dir + "/" + e->d_name));
    std::string line;
    bool is_link = false;
    while (std::getline(in, line)) {
      if (line.rfind("link_id:", 0) == 0) is_link = true;
      if (line.rfind(prefix, 0) == 0 && !is_link) {
        ids.push_back(static_cast<std::uint32_t>(std::stoul(line.substr(prefix.size()))));
      }
    }
  }
  closedir(d);
  return ids;
}

std::string SakerChild::log_text() const { return read_file(log_path_); }

std::string SakerChild::log_line(const std::string& needle) const {
  std::istringstream in(log_text());
  std::string line, found;
  while (std::getline(in, line)) {
    if (line.find(needle) != std::string::npos) found = line;
  }
  return found;
}

int bpftool_saker_programs(const char* name) {
  const std::string cmd = std::string("bpftool prog show 2>/dev/null | grep -c ") + name;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  int n = -1;
  if (std::fscanf(p, "%d", &n) != 1) n = -1;
  pclose(p);
  return n;
}

}  // namespace saker::bench
