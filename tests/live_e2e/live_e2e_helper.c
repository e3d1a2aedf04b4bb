/* The actor of the live end-to-end test: does one suspicious (or benign) thing that a shell
 * cannot do on its own, then exits 0 (non-zero with a message when the action failed).
 *
 *   spawn-shell          fork, exec /bin/sh -c 'exit 0' in the child, wait. Copied under the
 *                        name of a web server (nginx) it is a web server spawning a shell.
 *   memfd-exec           copy /bin/true into a memfd and fexecve it (fileless execution)
 *   file-exec            execve /bin/true (the benign twin of memfd-exec)
 *   ptrace-attach        fork a sleeping child, PTRACE_ATTACH it, detach, kill it
 *   ptrace-traceme       fork a child that calls PTRACE_TRACEME and exits
 *   connect IP PORT      TCP connect to IP:PORT, then close
 *   raw-socket           open and close a raw IPv4 socket (ICMP)
 *   bpf-prog-load        load a two-instruction socket filter with bpf(BPF_PROG_LOAD)
 *   bpf-map-create       create a one-entry array map with bpf(BPF_MAP_CREATE)
 *   unshare              unshare(CLONE_NEWUTS) in a child (root), which then exits
 *   noop ARGS...         nothing (the helper copied under a tool's name, run with that
 *                        tool's arguments)
 *   finit-module         finit_module on a descriptor that is no module (refused: these
 *                        kernels do not load modules at all); only the attempt counts
 *   tty-shell UID        fork a child that opens a new pseudo-terminal as its controlling
 *                        terminal and standard streams, becomes UID (group UID too), and
 *                        execs /bin/sh -c 'exit 0' (an interactive login as that user)
 *
 * Each prints nothing on success; the test identifies the actor by its pid and by the
 * values its rules print. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ptrace.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

extern char** environ;

static int fail(const char* what) {
  fprintf(stderr, "live_e2e_helper: %s: %s\n", what, strerror(errno));
  return 1;
}

static int wait_ok(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return fail("waitpid");
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

static int spawn_shell(void) {
  pid_t pid = fork();
  if (pid < 0) return fail("fork");
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", "exit 0", (char*)NULL);
    _exit(127);
  }
  return wait_ok(pid);
}

static int memfd_exec(void) {
  int src = open("/bin/true", O_RDONLY | O_CLOEXEC);
  if (src < 0) return fail("open /bin/true");
  struct stat st;
  if (fstat(src, &st) < 0) return fail("fstat");
  int mfd = memfd_create("saker-e2e", MFD_CLOEXEC);
  if (mfd < 0) return fail("memfd_create");
  off_t off = 0;
  while (off < st.st_size) {
    ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
    if (n <= 0) return fail("sendfile");
  }
  char* argv[] = {"true", NULL};
  fexecve(mfd, argv, environ);
  return fail("fexecve");
}

static int file_exec(void) {
  char* argv[] = {"true", NULL};
  execve("/bin/true", argv, environ);
  return fail("execve /bin/true");
}

static int ptrace_attach(void) {
  pid_t child = fork();
  if (child < 0) return fail("fork");
  if (child == 0) {
    for (;;) pause();
  }
  int rc = 0;
  if (ptrace(PTRACE_ATTACH, child, NULL, NULL) < 0) {
    rc = fail("PTRACE_ATTACH");
  } else {
    int status;
    waitpid(child, &status, 0);
    ptrace(PTRACE_DETACH, child, NULL, NULL);
  }
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  return rc;
}

static int ptrace_traceme(void) {
  pid_t child = fork();
  if (child < 0) return fail("fork");
  if (child == 0) _exit(ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 ? 1 : 0);
  return wait_ok(child);
}

static int connect_to(const char* ip, const char* port) {
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)atoi(port));
  if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1) return fail("inet_pton");
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return fail("socket");
  if (connect(s, (struct sockaddr*)&sa, sizeof sa) < 0) return fail("connect");
  close(s);
  return 0;
}

static int raw_socket(void) {
  int s = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (s < 0) return fail("socket(SOCK_RAW)");
  close(s);
  return 0;
}

static int bpf_prog_load(void) {
  struct bpf_insn insns[2];
  memset(insns, 0, sizeof insns);
  insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K; /* r0 = 0 */
  insns[0].dst_reg = BPF_REG_0;
  insns[1].code = BPF_JMP | BPF_EXIT;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
  attr.insns = (unsigned long)insns;
  attr.insn_cnt = 2;
  attr.license = (unsigned long)"GPL";
  long fd = syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
  if (fd < 0) return fail("bpf(BPF_PROG_LOAD)");
  close((int)fd);
  return 0;
}

static int bpf_map_create(void) {
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 8;
  attr.max_entries = 1;
  long fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  if (fd < 0) return fail("bpf(BPF_MAP_CREATE)");
  close((int)fd);
  return 0;
}

/* In a child, so that the helper itself keeps the host's namespaces. */
static int unshare_uts(void) {
  pid_t child = fork();
  if (child < 0) return fail("fork");
  if (child == 0) _exit(unshare(CLONE_NEWUTS) == 0 ? 0 : 1);
  return wait_ok(child);
}

static int finit_module_attempt(void) {
  int fd = open("/dev/null", O_RDONLY);
  if (fd < 0) return fail("open /dev/null");
  long r = syscall(SYS_finit_module, fd, "", 0);
  close(fd);
  return r == 0 ? fail("finit_module unexpectedly succeeded") : 0;
}

static int tty_shell(const char* uid_text) {
  const uid_t uid = (uid_t)atoi(uid_text);
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return fail("posix_openpt");
  if (grantpt(master) < 0 || unlockpt(master) < 0) return fail("grantpt/unlockpt");
  const char* slave = ptsname(master);
  if (slave == NULL) return fail("ptsname");
  pid_t child = fork();
  if (child < 0) return fail("fork");
  if (child == 0) {
    if (setsid() < 0) _exit(3);
    int t = open(slave, O_RDWR); /* the session's controlling terminal */
    if (t < 0) _exit(4);
    dup2(t, 0);
    dup2(t, 1);
    dup2(t, 2);
    if (t > 2) close(t);
    close(master);
    if (setgroups(0, NULL) < 0 || setgid((gid_t)uid) < 0 || setuid(uid) < 0) _exit(5);
    execl("/bin/sh", "sh", "-c", "exit 0", (char*)NULL);
    _exit(127);
  }
  int rc = wait_ok(child);
  close(master);
  return rc;
}

int main(int argc, char** argv) {
  if (argc >= 2 && strcmp(argv[1], "spawn-shell") == 0) return spawn_shell();
  if (argc >= 2 && strcmp(argv[1], "memfd-exec") == 0) return memfd_exec();
  if (argc >= 2 && strcmp(argv[1], "file-exec") == 0) return file_exec();
  if (argc >= 2 && strcmp(argv[1], "ptrace-attach") == 0) return ptrace_attach();
  if (argc >= 2 && strcmp(argv[1], "ptrace-traceme") == 0) return ptrace_traceme();
  if (argc >= 4 && strcmp(argv[1], "connect") == 0) return connect_to(argv[2], argv[3]);
  if (argc >= 2 && strcmp(argv[1], "raw-socket") == 0) return raw_socket();
  if (argc >= 2 && strcmp(argv[1], "noop") == 0) return 0;
  if (argc >= 2 && strcmp(argv[1], "bpf-prog-load") == 0) return bpf_prog_load();
  if (argc >= 2 && strcmp(argv[1], "bpf-map-create") == 0) return bpf_map_create();
  if (argc >= 2 && strcmp(argv[1], "unshare") == 0) return unshare_uts();
  if (argc >= 2 && strcmp(argv[1], "finit-module") == 0) return finit_module_attempt();
  if (argc >= 3 && strcmp(argv[1], "tty-shell") == 0) return tty_shell(argv[2]);
  fprintf(stderr,
          "usage: live_e2e_helper spawn-shell | memfd-exec | file-exec | ptrace-attach |"
          " ptrace-traceme | connect IP PORT | raw-socket | bpf-prog-load | bpf-map-create |"
          " unshare | finit-module | tty-shell UID | noop ARGS...\n");
  return 2;
}
