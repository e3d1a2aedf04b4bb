// The actions of the live end-to-end tests and their checks (see live_actions.h).
#include "live_actions.h"

#include <unistd.h>

#include <algorithm>
#include <random>

namespace saker::live_e2e {
namespace {

namespace fs = std::filesystem;

// Rule names of tests/live_e2e/live_rules.yaml.
constexpr const char* kShadowRule = "E2E Read shadow file";
constexpr const char* kEtcRule = "E2E Write below etc";
constexpr const char* kShellRule = "E2E Shell spawned by web server";
constexpr const char* kConnectRule = "E2E System binary connects to localhost";
constexpr const char* kDevRule = "E2E Regular file created in dev";
constexpr const char* kMemfdRule = "E2E Execution from memfd";
constexpr const char* kPtraceRule = "E2E Ptrace attach";

// The executable path of a program run from a memfd, as the kernel names it in
// /proc/PID/exe and the scap drivers send it.
constexpr const char* kMemfdExepath = "/memfd:saker-e2e (deleted)";

std::string unique_suffix() {
  std::random_device rd;
  return std::to_string(getpid()) + "-" + std::to_string(rd() % 100000);
}

// Removes a file at scope exit, whatever happened in between.
struct RemoveAtExit {
  fs::path path;
  ~RemoveAtExit() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

class Planner {
 public:
  Planner(const BuildPaths& paths, const fs::path& tmp)
      : paths_(paths), tmp_(tmp), log_(tmp / "actions.log"), comm_(own_comm()), user_(own_user()) {}

  // Runs argv; records an error when it fails. Returns the actor's pid.
  pid_t act(const std::string& action, const std::vector<std::string>& argv) {
    RunResult r = run(argv, log_);
    if (!r.ok())
      plan_.errors.push_back(action + ": command failed (status " + std::to_string(r.status) +
                             "), see " + log_.string());
    return r.pid;
  }

  void expect(const std::string& action, const std::string& rule, pid_t pid,
              std::map<std::string, std::vector<std::string>> fields,
              const std::string& pid_field = "proc.pid") {
    fields.emplace("user.name", std::vector<std::string>{user_});
    plan_.expected.push_back({action, rule, pid_field, pid, std::move(fields)});
  }
  void near_miss(const std::string& action, pid_t pid) {
    plan_.near_misses.push_back({action, pid});
  }

  void shadow() {
    const std::string cat = resolved("/bin/cat");
    pid_t p = act("cat /etc/shadow", {cat, "/etc/shadow"});
    expect("cat /etc/shadow", kShadowRule, p,
           {{"evt.type", {"open", "openat", "openat2"}},
            {"proc.name", {"cat"}},
            {"proc.exepath", {cat}},
            {"proc.pname", {comm_}},
            {"fd.name", {"/etc/shadow"}}});
    near_miss("cat /etc/hostname", act("cat /etc/hostname", {cat, "/etc/hostname"}));
  }

  void write_below_etc() {
    const std::string touch = resolved("/bin/touch");
    const std::string rm = resolved("/bin/rm");
    const fs::path etc_file = "/etc/saker-e2e-test-" + unique_suffix();
    RemoveAtExit guard{etc_file};
    pid_t p = act("touch " + etc_file.string(), {touch, etc_file});
    act("rm " + etc_file.string(), {rm, "-f", etc_file});
    expect("touch " + etc_file.string(), kEtcRule, p,
           {{"evt.type", {"open", "openat", "openat2"}},
            {"proc.name", {"touch"}},
            {"proc.exepath", {touch}},
            {"proc.pname", {comm_}},
            {"fd.name", {etc_file}}});
    const fs::path tmp_file = tmp_ / "write-below-tmp";
    near_miss("touch " + tmp_file.string(), act("touch in tmp", {touch, tmp_file}));
  }

  // The helper copied under a web server's name (and, for the near-miss, a shell's name)
  // starts /bin/sh -c 'exit 0'.
  void shell_from_web_server() {
    const std::string sh = resolved("/bin/sh");
    const fs::path nginx = tmp_ / "nginx", bash = tmp_ / "bash";
    fs::copy_file(paths_.helper, nginx, fs::copy_options::overwrite_existing);
    fs::copy_file(paths_.helper, bash, fs::copy_options::overwrite_existing);
    pid_t p = act("nginx spawns sh", {nginx, "spawn-shell"});
    expect("nginx spawns sh", kShellRule, p,
           {{"evt.type", {"execve", "execveat"}},
            {"proc.name", {"sh"}},
            {"proc.exepath", {sh}},
            {"proc.pname", {"nginx"}}},
           "proc.ppid");
    near_miss("bash spawns sh", act("bash spawns sh", {bash, "spawn-shell"}));
  }

  // bash (a system binary) connects with /dev/tcp; the helper (not one) and a connection to
  // 127.0.0.2 are the near-misses.
  void connect_localhost() {
    const std::string bash = resolved("/bin/bash");
    TcpListener local("127.0.0.1"), other("127.0.0.2");
    const std::string port = std::to_string(local.port());
    const auto bash_connect = [&](const std::string& ip, const std::string& port) {
      return std::vector<std::string>{
          bash, "-c", "exec 3<>/dev/tcp/" + ip + "/" + port + " && exec 3>&- && exit 0"};
    };
    pid_t p = act("bash connects to 127.0.0.1", bash_connect("127.0.0.1", port));
    expect("bash connects to 127.0.0.1:" + port, kConnectRule, p,
           {{"evt.type", {"connect"}},
            {"proc.name", {"bash"}},
            {"proc.exepath", {bash}},
            {"proc.pname", {comm_}},
            {"fd.sip", {"127.0.0.1"}},
            {"fd.sport", {port}}});
    near_miss("helper connects to 127.0.0.1",
              act("helper connect", {paths_.helper, "connect", "127.0.0.1", port}));
    near_miss(
        "bash connects to 127.0.0.2",
        act("bash connects to 127.0.0.2", bash_connect("127.0.0.2", std::to_string(other.port()))));
  }

  void file_in_dev() {
    const std::string touch = resolved("/bin/touch");
    const std::string rm = resolved("/bin/rm");
    const fs::path dev_file = "/dev/saker-e2e-test-" + unique_suffix();
    RemoveAtExit guard{dev_file};
    pid_t p = act("touch " + dev_file.string(), {touch, dev_file});
    act("rm " + dev_file.string(), {rm, "-f", dev_file});
    expect("touch " + dev_file.string(), kDevRule, p,
           {{"evt.type", {"open", "openat", "openat2"}},
            {"proc.name", {"touch"}},
            {"proc.exepath", {touch}},
            {"proc.pname", {comm_}},
            {"fd.name", {dev_file}}});
    const fs::path tmp_file = tmp_ / "created-in-tmp";
    near_miss("touch " + tmp_file.string(), act("touch in tmp", {touch, tmp_file}));
  }

  // /bin/true run from a memfd. Its command name is the memfd's name on current kernels,
  // the descriptor number (4) on older ones.
  void exec_from_memfd() {
    pid_t p = act("memfd exec", {paths_.helper, "memfd-exec"});
    expect("exec /bin/true from a memfd", kMemfdRule, p,
           {{"evt.type", {"execve", "execveat"}},
            {"proc.name", {"memfd:saker-e2e", "4"}},
            {"proc.exepath", {kMemfdExepath}},
            {"proc.pname", {comm_}},
            {"proc.is_exe_from_memfd", {"true"}}});
    near_miss("exec /bin/true", act("file exec", {paths_.helper, "file-exec"}));
  }

  void ptrace_attach() {
    const std::string helper = resolved(paths_.helper);
    pid_t p = act("ptrace attach", {paths_.helper, "ptrace-attach"});
    expect("PTRACE_ATTACH to a child", kPtraceRule, p,
           {{"evt.type", {"ptrace"}},
            {"proc.name", {fs::path(helper).filename().string()}},
            {"proc.exepath", {helper}},
            {"proc.pname", {comm_}},
            {"evt.arg.request", {"PTRACE_ATTACH"}}});
    near_miss("PTRACE_TRACEME", act("ptrace traceme", {paths_.helper, "ptrace-traceme"}));
  }

  void sentinel() { plan_.sentinel = act("sentinel", {resolved("/bin/cat"), "/etc/shadow"}); }

  ActionPlan take() { return std::move(plan_); }

 private:
  const BuildPaths& paths_;
  fs::path tmp_, log_;
  std::string comm_, user_;
  ActionPlan plan_;
};

bool same_pid(const Json& alert, const std::string& field, pid_t pid) {
  return field_text(alert, field) == std::to_string(pid);
}

}  // namespace

std::string field_text(const Json& alert, const std::string& field) {
  const auto of = alert.find("output_fields");
  if (of == alert.end() || !of->is_object()) return "";
  const auto v = of->find(field);
  if (v == of->end() || v->is_null()) return "";
  return v->is_string() ? v->get<std::string>() : v->dump();
}

ActionPlan perform_actions(const BuildPaths& paths, const std::filesystem::path& tmp) {
  Planner p(paths, tmp);
  p.shadow();
  p.write_below_etc();
  p.shell_from_web_server();
  p.connect_localhost();
  p.file_in_dev();
  p.exec_from_memfd();
  p.ptrace_attach();
  p.sentinel();
  return p.take();
}

bool is_sentinel_alert(const ActionPlan& plan, const Json& alert) {
  return alert.value("rule", "") == kShadowRule && same_pid(alert, "proc.pid", plan.sentinel);
}

std::vector<std::string> check_alerts(const ActionPlan& plan, const std::vector<Json>& alerts) {
  std::vector<std::string> problems = plan.errors;
  for (const auto& e : plan.expected) {
    std::size_t seen = 0;
    for (const auto& a : alerts) {
      if (a.value("rule", "") != e.rule || !same_pid(a, e.pid_field, e.pid)) continue;
      ++seen;
      for (const auto& [field, accepted] : e.fields) {
        const std::string got = field_text(a, field);
        if (std::find(accepted.begin(), accepted.end(), got) == accepted.end()) {
          problems.push_back(e.action + ": '" + e.rule + "' has " + field + "='" + got +
                             "', expected '" + accepted.front() + "'");
        }
      }
    }
    if (seen == 0) {
      problems.push_back(e.action + ": no '" + e.rule + "' alert with " + e.pid_field + "=" +
                         std::to_string(e.pid));
    }
  }
  for (const auto& n : plan.near_misses) {
    for (const auto& a : alerts) {
      if (same_pid(a, "proc.pid", n.pid) || same_pid(a, "proc.ppid", n.pid)) {
        problems.push_back(n.action + " (benign) raised '" + a.value("rule", "") +
                           "': " + a.value("output", ""));
      }
    }
  }
  return problems;
}

}  // namespace saker::live_e2e
