// The program output plugin (Falco's `program_output`: `program`, `keep_alive`; plus
// `json_output`, `buffered`, `extra_fields`): alerts go, one line each, to the standard
// input of `/bin/sh -c <program>`. keep_alive: true spawns the program once and keeps
// it; if it dies, the next alert spawns it again (counted and logged) and is written to
// the new one. keep_alive: false (Falco's default) runs the program once per alert.
// reopen (SIGUSR1) ends the running program and spawns a fresh one.
//
// The child's stdin is one end of a socketpair, not a pipe: a write to a dead reader
// then fails with EPIPE through send(MSG_NOSIGNAL) instead of raising SIGPIPE in saker.
#include <fcntl.h>
#include <saker/sdk/plugin.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "output_common.h"

extern char** environ;

namespace {

using namespace saker::sdk;
using saker::outputs::LineSettings;
using saker::outputs::Params;

constexpr size_t kBufferBytes = 64 * 1024;
// How long close/reopen waits for the program to finish its input before killing it.
constexpr auto kExitGrace = std::chrono::seconds(5);

class ProgramChannel {
 public:
  ProgramChannel(const Params& p, Host host, uint32_t m_respawns)
      : line_(saker::outputs::line_settings(p)),
        program_(p.str("program", "")),
        keep_alive_(p.boolean("keep_alive", false)),
        host_(host),
        m_respawns_(m_respawns) {
    if (program_.empty()) p.fail("program", "must name a command to run");
    if (keep_alive_) spawn();  // a program that cannot start fails at start
  }
  ~ProgramChannel() {
    try {
      flush();
    } catch (...) {
    }
    finish();
  }

  void emit(const Alert& a) {
    saker::outputs::render_line(line_, a, &scratch_);
    buf_.append(scratch_).push_back('\n');
    if (!line_.buffered || buf_.size() >= kBufferBytes || !keep_alive_) flush();
  }

  void flush() {
    if (buf_.empty()) return;
    if (!keep_alive_) {
      spawn();
      bool ok = send_all(buf_);
      buf_.clear();
      finish();
      if (!ok) throw PluginError("program '" + program_ + "' did not take its input");
      return;
    }
    if (!alive()) respawn("exited");
    if (!send_all(buf_)) {
      respawn("stopped reading its input");
      if (!send_all(buf_)) {
        buf_.clear();
        throw PluginError("program '" + program_ + "' does not read its input");
      }
    }
    buf_.clear();
  }

  void reopen() {
    flush();
    finish();
    if (keep_alive_) spawn();
  }

 private:
  void spawn() {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
      throw PluginError(std::string("socketpair: ") + strerror(errno));
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, sv[1], STDIN_FILENO);  // dup2 clears CLOEXEC
    const char* argv[] = {"/bin/sh", "-c", program_.c_str(), nullptr};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, nullptr, const_cast<char**>(argv), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(sv[1]);
    if (rc != 0) {
      ::close(sv[0]);
      throw PluginError("program_output.program: cannot start '" + program_ + "': " + strerror(rc));
    }
    shutdown(sv[0], SHUT_RD);
    fd_ = sv[0];
    pid_ = pid;
  }

  bool alive() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }

  void respawn(const char* why) {
    finish();
    ++respawns_;
    host_.metric_add(m_respawns_, 1);
    host_.log(LogLevel::kWarning, "program '" + program_ + "' " + why + "; starting it again (" +
                                      std::to_string(respawns_) + " restart(s) so far)");
    spawn();
  }

  bool send_all(const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
      ssize_t n = ::send(fd_, s.data() + done, s.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }

  // Close the program's input and wait for it to end (killed after a grace period).
  void finish() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    if (pid_ <= 0) return;
    const auto end = std::chrono::steady_clock::now() + kExitGrace;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > end) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    pid_ = -1;
  }

  LineSettings line_;
  std::string program_;
  bool keep_alive_;
  Host host_;
  uint32_t m_respawns_;
  uint64_t respawns_ = 0;
  int fd_ = -1;
  pid_t pid_ = -1;
  std::string buf_, scratch_;
};

class ProgramOutput {
 public:
  static constexpr const char* kName = "program_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Writes alerts to the standard input of a program, respawned if it dies";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit ProgramOutput(const InitContext& ctx)
      : host_(ctx.host), section_(ctx.instance_name.empty() ? kName : ctx.instance_name) {
    m_respawns_ = host_.register_counter("num_respawns", "Times the program was started again");
  }

  std::unique_ptr<ProgramChannel> open_output(const std::string& params) {
    return std::make_unique<ProgramChannel>(Params(params, section_), host_, m_respawns_);
  }

 private:
  Host host_;
  std::string section_;
  uint32_t m_respawns_ = 0;
};

}  // namespace

SAKER_PLUGIN(ProgramOutput)
