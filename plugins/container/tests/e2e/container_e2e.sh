#!/usr/bin/env bash
# End to end with real containers (podman + runc, an image imported from a busybox-static
# root filesystem, --network none): saker runs live (modern_ebpf, root) with the syscall and
# container plugins and a rule on shells started with a marker argument. Checks: the shell
# `podman exec`'d in a container gives an alert with the container's id, name and image; the
# same shell on the host gives container.id=host; a --privileged container is reported
# privileged and a normal one not; the normal container's host path mount shows in
# container.mounts; container.start_ts is the container's start; Falco's own "Terminal shell
# in container" rule (falco_rules.yaml, given as $2) fires for `podman exec -it` with the
# container's id and name in the alert. saker's rules at container start: a --privileged
# container started during the run fires "Privileged container started" (a normal one does
# not), one with /etc mounted fires "Container started with a sensitive host path mounted"
# (one with a temporary folder mounted does not). Escape steps in the privileged container
# (a tmpfs mounted, a file named release_agent written, `unshare -m`, debugfs run) fire
# their rules; the same on the host, the refused mount and debugfs in a normal container do
# not. The session is recorded (capture) and
# replayed with `saker -e` with the podman service stopped and the runtimes disabled: the
# container events of the capture give the same container fields and the same alerts.
# Exit 77: skipped.
set -uo pipefail
BUILD=$(cd "$1" && pwd)
FALCO_RULES=${2:+$2/rules/falco_rules.yaml}
HERE=$(cd "$(dirname "$0")" && pwd)
SAKER_RULES=$(cd "$HERE/../../../.." && pwd)/rules/saker_rules.yaml
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (live eBPF, podman)"; exit 77; }
[ -e /sys/kernel/btf/vmlinux ] || { echo "SKIP: no BTF"; exit 77; }
. "$HERE/podman_env.sh"
PODMAN_ROOT=$(mktemp -d /var/tmp/saker-ct-e2e-XXXXXX)
PODMAN="podman --runtime /usr/sbin/runc --root $PODMAN_ROOT/storage --runroot $PODMAN_ROOT/run --cgroup-manager cgroupfs --events-backend file"
PODMAN_SOCK=$PODMAN_ROOT/podman.sock
tmp=$(mktemp -d /tmp/saker-ct-e2e-XXXXXX)
SAKER_PID=
LISTENER_PID=
cleanup() {
  [ -n "$SAKER_PID" ] && kill "$SAKER_PID" 2>/dev/null && wait "$SAKER_PID" 2>/dev/null
  [ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null && wait "$LISTENER_PID" 2>/dev/null
  podman_cleanup
  [ -n "${SAKER_E2E_KEEP:-}" ] && cp "$tmp/alerts.jsonl" "$SAKER_E2E_KEEP" 2>/dev/null
  rm -rf "$tmp" "$PODMAN_ROOT"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- saker log"; grep -E "container|engine" "$tmp/saker.log" | tail -30; exit 1; }

podman_setup; rc=$?; [ $rc -eq 0 ] || exit $rc
podman_serve || exit 1
mkdir -p "$tmp/hostdata"
plain=$($PODMAN run -d --name saker-e2e-plain --network none -v "$tmp/hostdata:/hostdata:ro" \
  "$SAKER_TEST_IMAGE" sleep 120) || fail "podman run (plain)"
priv=$($PODMAN run -d --name saker-e2e-priv --privileged --network none \
  "$SAKER_TEST_IMAGE" sleep 120) || fail "podman run (privileged)"
echo "containers: plain=${plain:0:12} privileged=${priv:0:12}"

cat >"$tmp/rules.yaml" <<'YAML'
- rule: Marked shell
  desc: a shell started with the test's marker argument
  condition: evt.type in (execve, execveat) and proc.name = sh and proc.cmdline contains saker-e2e-marker
  output: >-
    marked shell %proc.cmdline id=%container.id name=%container.name image=%container.image
    privileged=%container.privileged mounts=%container.mounts type=%container.type
    full_id=%container.full_id start=%container.start_ts repo=%container.image.repository
    tag=%container.image.tag dest=%container.mount.dest[*hostdata]
  priority: WARNING
YAML
# A loopback listener (two ports, each connection closed at once) standing in for the
# Kubernetes API server, and the rules file that points the rule's lists at it.
python3 - "$tmp/ports" <<'PY' &
import socket, sys, select
socks = []
for _ in range(2):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0)); s.listen(16); socks.append(s)
with open(sys.argv[1] + ".part", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
import os; os.rename(sys.argv[1] + ".part", sys.argv[1])
while True:
    for s in select.select(socks, [], [], 300)[0]:
        c, _ = s.accept(); c.close()
PY
LISTENER_PID=$!
for _ in $(seq 1 50); do [ -s "$tmp/ports" ] && break; sleep 0.1; done
read -r API_PORT OTHER_PORT <"$tmp/ports" || fail "listener ports"
cat >"$tmp/k8s_api.yaml" <<YAML
- list: k8s_api_server_addresses
  items: [127.0.0.1]
  override:
    items: replace
- list: k8s_api_server_ports
  items: [$API_PORT]
  override:
    items: replace
YAML
# No configuration file: saker's defaults (syscall plugin live on modern_ebpf, the container
# plugin next to it), pointed at the test's podman socket. Falco's rules get the container's
# id and name appended to their output (Falco adds them as suggested output fields).
upstream=()
[ -n "$FALCO_RULES" ] && [ -f "$FALCO_RULES" ] && upstream=(-r "$FALCO_RULES"
  -o 'append_output[0].match.source=syscall'
  -o 'append_output[0].extra_output=container_id=%container.id container_name=%container.name')
# saker's own rules too (rules/saker_rules.yaml); rule_matching=all: several rules match the
# same exec, and Falco's default ("first") would alert the first one only.
"$BUILD/bin/saker" -r "$tmp/rules.yaml" -r "$SAKER_RULES" -r "$tmp/k8s_api.yaml" "${upstream[@]}" -o rule_matching=all -o json_output=true -o engine.kind=modern_ebpf \
  -o log_level=${SAKER_E2E_LOG_LEVEL:-info} \
  -o capture.enabled=true -o capture.mode=all_rules -o "capture.path_prefix=$tmp/live" \
  -o capture.default_duration=0 \
  -o "plugins[1].init_config={engines: {docker: {enabled: false}, containerd: {enabled: false}, cri: {enabled: false}, podman: {enabled: true, sockets: [$PODMAN_SOCK]}}}" \
  >"$tmp/alerts.jsonl" 2>"$tmp/saker.log" &
SAKER_PID=$!
for _ in $(seq 1 300); do
  grep -qs "opened event source 'syscall'" "$tmp/saker.log" && break
  kill -0 "$SAKER_PID" 2>/dev/null || fail "saker exited"
  sleep 0.1
done
grep -q "opened event source 'syscall'" "$tmp/saker.log" || fail "live source did not open"
# Let the plugin list the running containers, then start the shells.
for _ in $(seq 1 50); do grep -qs "connected to the podman socket" "$tmp/saker.log" && break; sleep 0.1; done
sleep 1
$PODMAN exec saker-e2e-plain sh -c 'echo saker-e2e-marker-plain >/dev/null' || fail "podman exec plain"
$PODMAN exec saker-e2e-priv sh -c 'echo saker-e2e-marker-priv >/dev/null' || fail "podman exec priv"
sh -c 'echo saker-e2e-marker-host >/dev/null'
# A shell with a terminal (script gives podman exec -it a pty): Falco's rule.
# saker's own rule and Falco's; the same shell with a terminal on the host is the near-miss.
script -qc "$PODMAN exec -it saker-e2e-plain sh -c 'exit 0'" /dev/null </dev/null >/dev/null
script -qc "sh -c 'exit 0'" /dev/null </dev/null >/dev/null
# A container started while saker runs: its entrypoint is a marked shell; a shell exec'd in
# it a moment later must carry the metadata fetched meanwhile.
$PODMAN run -d --name saker-e2e-new --network none "$SAKER_TEST_IMAGE" \
  sh -c 'echo saker-e2e-marker-new >/dev/null; sleep 120' >/dev/null || fail "podman run (new)"
sleep 1
$PODMAN exec saker-e2e-new sh -c 'echo saker-e2e-marker-later >/dev/null' || fail "podman exec new"
# Container drift: busybox copied into the running container's writable layer (its /tmp is
# part of the overlay root), then run as `true`; the image's own busybox is the near-miss.
$PODMAN exec saker-e2e-plain cp /bin/busybox /tmp/true || fail "podman exec cp"
$PODMAN exec saker-e2e-plain /tmp/true || fail "podman exec of the dropped binary"
$PODMAN exec saker-e2e-plain /bin/true || fail "podman exec of the image's binary"
# Namespace escape steps in the --privileged container: a tmpfs mounted (the move that
# mounts the host's disk, procfs or a cgroup hierarchy), a file named release_agent written
# on it (the cgroup v1 escape; the rule keys on the name, no cgroup v1 hierarchy needed),
# `unshare -m`, and debugfs (busybox under that name: no such applet, the exec counts).
# Near-misses: the same mount, unshare and write on the host; the mount refused in the
# normal container (no CAP_SYS_ADMIN: failed calls are not reported); debugfs in the
# normal container.
$PODMAN exec saker-e2e-priv sh -c 'mkdir -p /tmp/esc && mount -t tmpfs none /tmp/esc &&
  echo /saker-e2e-agent >/tmp/esc/release_agent && umount /tmp/esc' || fail "podman exec mount (priv)"
$PODMAN exec saker-e2e-priv unshare -m true || fail "podman exec unshare (priv)"
$PODMAN exec saker-e2e-priv sh -c 'ln -sf /bin/busybox /tmp/debugfs; /tmp/debugfs -R stats /dev/null 2>/dev/null; true'
$PODMAN exec saker-e2e-plain sh -c 'ln -sf /bin/busybox /tmp/debugfs; /tmp/debugfs -R stats /dev/null 2>/dev/null; true'
$PODMAN exec saker-e2e-plain sh -c 'mkdir -p /tmp/esc; mount -t tmpfs none /tmp/esc 2>/dev/null' &&
  fail "mount succeeded in the unprivileged container"
mkdir -p "$tmp/esc"
unshare -m sh -c "mount -t tmpfs none '$tmp/esc' && echo /saker-e2e-agent >'$tmp/esc/release_agent'" ||
  fail "host unshare + mount"
# The Kubernetes API server rule, its address list pointed at a loopback listener (port
# API_PORT; OTHER_PORT is not in the list): a --network host container connects to both
# (nc), the host to the API port (the near-misses: another port, not a container).
$PODMAN run -d --name saker-e2e-hostnet --network host "$SAKER_TEST_IMAGE" sleep 120 >/dev/null ||
  fail "podman run (host network)"
for port in "$API_PORT" "$OTHER_PORT"; do
  $PODMAN exec saker-e2e-hostnet timeout 3 nc 127.0.0.1 "$port" </dev/null >/dev/null 2>&1
done
python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1]))).close()" "$API_PORT" ||
  fail "host connection to the listener"
# Containers started during the run for the rules at container start, with their near-misses.
mkdir -p "$tmp/scratch"
$PODMAN run -d --name saker-e2e-privstart --privileged --network none "$SAKER_TEST_IMAGE" \
  sleep 120 >/dev/null || fail "podman run (privileged, during the run)"
$PODMAN run -d --name saker-e2e-etc --network none -v /etc:/host-etc:ro "$SAKER_TEST_IMAGE" \
  sleep 120 >/dev/null || fail "podman run (/etc mounted)"
$PODMAN run -d --name saker-e2e-tmpmount --network none -v "$tmp/scratch:/scratch" \
  "$SAKER_TEST_IMAGE" sleep 120 >/dev/null || fail "podman run (temporary folder mounted)"
for _ in $(seq 1 50); do
  [ "$(grep -c saker-e2e-marker "$tmp/alerts.jsonl")" -ge 5 ] &&
    grep -q '"container.name":"saker-e2e-privstart"' "$tmp/alerts.jsonl" &&
    grep -q '"container.name":"saker-e2e-etc"' "$tmp/alerts.jsonl" && break
  sleep 0.1
done
sleep 1  # the near-misses' events (had they matched) have come by now
kill -INT "$SAKER_PID"; wait "$SAKER_PID"; SAKER_PID=

python3 - "$tmp/alerts.jsonl" "$plain" "$priv" "$SAKER_TEST_IMAGE" "$tmp/hostdata" "${#upstream[@]}" \
  "$API_PORT" "$(date -d "$($PODMAN inspect -f '{{.State.StartedAt}}' saker-e2e-plain | cut -d' ' -f1,2)" +%s)" <<'PY' || fail "alert checks"
import json, sys
alerts_file, plain, priv, image, hostdata, upstream, api_port, started = sys.argv[1:9]
alerts = {}
terminal = []
interactive = []
for line in open(alerts_file):
    line = line.strip()
    if not line.startswith("{"):
        continue
    a = json.loads(line)
    f = a["output_fields"]
    if a["rule"] == "Terminal shell in container":
        terminal.append(f)
    if a["rule"] == "Interactive shell in a container":
        interactive.append(f)
    for tag in ("plain", "priv", "host", "new", "later"):
        cmd = f.get("proc.cmdline") or ""
        if "saker-e2e-marker-" + tag in cmd:
            alerts.setdefault(tag, f)
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
for tag in ("plain", "priv", "host"):
    check(tag in alerts, f"alert for the shell ({tag})")
if not all(t in alerts for t in ("plain", "priv", "host")):
    sys.exit(1)
p, q, h = alerts["plain"], alerts["priv"], alerts["host"]
check(p["container.id"] == plain[:12], f"container.id {p['container.id']} (podman: {plain[:12]})")
check(p["container.full_id"] == plain, "container.full_id")
check(p["container.name"] == "saker-e2e-plain", f"container.name {p['container.name']}")
check(p["container.image"] == image, f"container.image {p['container.image']}")
check(p["container.image.repository"] == image.rsplit(":", 1)[0], "container.image.repository")
check(p["container.image.tag"] == image.rsplit(":", 1)[1], "container.image.tag")
check(p["container.type"] == "podman", f"container.type {p['container.type']}")
check(p["container.privileged"] is False, f"normal container privileged={p['container.privileged']}")
check(q["container.privileged"] is True, f"--privileged container privileged={q['container.privileged']}")
check(q["container.id"] == priv[:12] and q["container.name"] == "saker-e2e-priv", "privileged container id and name")
check(hostdata + ":/hostdata:" in (p["container.mounts"] or ""), f"container.mounts {p['container.mounts']}")
check(p["container.mount.dest[*hostdata]"] == "/hostdata", "container.mount.dest[glob]")
check(h["container.id"] == "host" and h["container.name"] == "host", f"host shell: container.id={h['container.id']}")
start = p["container.start_ts"]
check(start is not None and abs(int(start) / 1e9 - int(started)) < 5,
      f"container.start_ts {start} (podman: started at {started} s)")
# A container started during the run: its id is known from the first event (cgroup);
# name and image depend on the runtime answering before its entrypoint runs.
n = alerts.get("new")
check(n is not None and n["container.id"] not in ("host", None), "container started during the run: id")
if n is not None:
    print(f"info container started during the run, its entrypoint: name={n['container.name']} image={n['container.image']}")
l = alerts.get("later")
check(l is not None and l["container.id"] == (n or {}).get("container.id")
      and l["container.name"] == "saker-e2e-new" and l["container.image"] == image,
      f"container started during the run, a shell 1 s later: name={l and l['container.name']}")
i = [f for f in interactive if f.get("container.id") == plain[:12]]
check(bool(i) and i[0].get("container.name") == "saker-e2e-plain"
      and i[0].get("container.image") == image,
      f"saker's 'Interactive shell in a container' for podman exec -it: {i[:1]}")
check(not any(f.get("container.id") == "host" for f in interactive),
      "no 'Interactive shell in a container' for a host shell with a terminal")
check(not any("saker-e2e-marker" in (f.get("proc.cmdline") or "") for f in interactive),
      "no 'Interactive shell in a container' for podman exec without a terminal")
started = {}
for line in open(alerts_file):
    if line.startswith("{"):
        a = json.loads(line)
        started.setdefault(a["rule"], []).append(a["output_fields"])
def names(rule):
    return {f.get("container.name") for f in started.get(rule, [])}
priv_rule, mount_rule = "Privileged container started", "Container started with a sensitive host path mounted"
check("saker-e2e-privstart" in names(priv_rule), f"'{priv_rule}' for the --privileged container started during the run: {sorted(names(priv_rule), key=str)}")
check(not names(priv_rule) & {"saker-e2e-new", "saker-e2e-etc", "saker-e2e-tmpmount", "saker-e2e-plain"},
      "no privileged alert for the normal containers")
ps = [f for f in started.get(priv_rule, []) if f.get("container.name") == "saker-e2e-privstart"]
check(bool(ps) and ps[0].get("container.image") == image and len(ps[0].get("container.id") or "") == 12,
      f"privileged alert names the container's id and image: {ps[:1]}")
check(len(ps) == 1, f"one privileged alert for the container ({len(ps)})")
m = [f for f in started.get(mount_rule, []) if f.get("container.name") == "saker-e2e-etc"]
check(bool(m) and "/etc:/host-etc:" in (m[0].get("container.mounts") or ""),
      f"'{mount_rule}' for -v /etc:/host-etc, naming the mount: {m[:1]}")
check(not names(mount_rule) & {"saker-e2e-tmpmount", "saker-e2e-plain", "saker-e2e-new", "saker-e2e-privstart"},
      f"no sensitive mount alert for a temporary folder mounted or none: {sorted(names(mount_rule), key=str)}")
drift = "New executable run in a container"
d = started.get(drift, [])
dp = [f for f in d if f.get("container.id") == plain[:12] and f.get("proc.exepath") == "/tmp/true"]
check(bool(dp) and dp[0].get("container.name") == "saker-e2e-plain"
      and dp[0].get("container.image") == image,
      f"'{drift}' for the binary copied into the container and run: {dp[:1]}")
check(all(f.get("proc.exepath") == "/tmp/true" for f in d),
      f"no '{drift}' for the image's own binaries: {sorted({f.get('proc.exepath') for f in d}, key=str)}")
escape = "Mount or namespace change inside a container"
e = started.get(escape, [])
ep = [f for f in e if f.get("container.id") == priv[:12]]
check({f.get("evt.type") for f in ep} >= {"mount", "unshare"}
      and all(f.get("container.name") == "saker-e2e-priv" and f.get("container.image") == image for f in ep),
      f"'{escape}' for mount and unshare in the privileged container: {sorted({(f.get('evt.type'), f.get('proc.name')) for f in ep}, key=str)}")
check(all(f.get("container.id") == priv[:12] for f in e),
      f"no '{escape}' for the runtime, the host or the refused mount: {sorted({(f.get('container.name'), f.get('proc.name')) for f in e}, key=str)}")
agent = "Cgroup release_agent written in a container"
r = started.get(agent, [])
check(any(f.get("container.id") == priv[:12] and f.get("fd.name") == "/tmp/esc/release_agent" for f in r),
      f"'{agent}' for the write in the privileged container: {r[:1]}")
check(all(f.get("container.id") == priv[:12] for f in r), f"no '{agent}' for the host's write: {len(r)}")
dbg = "Debugfs run in a privileged container"
g = started.get(dbg, [])
check(any(f.get("container.name") == "saker-e2e-priv" and f.get("proc.cmdline", "").startswith("debugfs") for f in g),
      f"'{dbg}' in the privileged container: {g[:1]}")
check(all(f.get("container.id") == priv[:12] for f in g), f"no '{dbg}' in the normal container: {len(g)}")
k8s = "Contact with the Kubernetes API server from a container"
k = started.get(k8s, [])
check(any(f.get("container.name") == "saker-e2e-hostnet" and f.get("fd.name", "").endswith("->127.0.0.1:" + api_port) for f in k),
      f"'{k8s}' for the container's connection to the listed address: {k[:1]}")
check(all(f.get("fd.name", "").endswith("->127.0.0.1:" + api_port) and f.get("container.id") not in (None, "host") for f in k),
      f"no '{k8s}' for another port or the host: {sorted({(f.get('container.name'), f.get('fd.name')) for f in k}, key=str)}")
if upstream != "0":
    t = [f for f in terminal if f.get("container.id") == plain[:12]]
    check(bool(t) and t[0].get("container.name") == "saker-e2e-plain",
          f"Falco's 'Terminal shell in container' for podman exec -it: {t[:1]}")
sys.exit(0 if ok else 1)
PY
grep -E "container: " "$tmp/saker.log" | sed "s/^/log: /"

# The capture, replayed with no runtime to ask: the podman service stopped, the runtimes
# disabled. Its container events must give the same fields and alerts.
captures=("$tmp"/live_*.scap)
[ ${#captures[@]} -eq 1 ] && [ -s "${captures[0]}" ] || fail "no capture recorded: ${captures[*]}"
kill "$PODMAN_SERVICE_PID" 2>/dev/null; wait "$PODMAN_SERVICE_PID" 2>/dev/null; PODMAN_SERVICE_PID=
"$BUILD/bin/saker" -e "${captures[0]}" -r "$tmp/rules.yaml" -r "$SAKER_RULES" -o rule_matching=all \
  -o json_output=true -o log_level=info \
  -o "plugins[1].init_config={engines: {docker: {enabled: false}, podman: {enabled: false}, containerd: {enabled: false}, cri: {enabled: false}}}" \
  >"$tmp/replay.jsonl" 2>"$tmp/replay.log" || fail "replay of ${captures[0]}"
echo "capture: $(du -h "${captures[0]}" | cut -f1), replayed: $(grep -c '^{' "$tmp/replay.jsonl") alerts"
python3 - "$tmp/alerts.jsonl" "$tmp/replay.jsonl" <<'PY' || { tail -20 "$tmp/replay.log"; fail "replay checks"; }
import json, sys
def load(path):
    marked, started = {}, {}
    for line in open(path):
        if not line.startswith("{"):
            continue
        a = json.loads(line)
        f = a["output_fields"]
        cmd = f.get("proc.cmdline") or ""
        for tag in ("plain", "priv", "host", "later"):
            if a["rule"] == "Marked shell" and "saker-e2e-marker-" + tag in cmd:
                marked.setdefault(tag, f)
        if a["rule"] in ("Privileged container started",
                         "Container started with a sensitive host path mounted"):
            started.setdefault(a["rule"], {})[f.get("container.name")] = f
        if a["rule"] == "New executable run in a container":
            started.setdefault(a["rule"], {})[(f.get("container.name"), f.get("proc.exepath"))] = f
    return marked, started
live_marked, live_started = load(sys.argv[1])
rep_marked, rep_started = load(sys.argv[2])
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
keys = ("container.id", "container.name", "container.image", "container.privileged",
        "container.mounts", "container.type", "container.image.repository", "container.image.tag")
for tag, f in live_marked.items():
    r = rep_marked.get(tag)
    check(r is not None and all(r.get(k) == f.get(k) for k in keys),
          f"replay: the {tag} shell's container fields {[(k, r.get(k)) for k in keys] if r else None}")
priv = "Privileged container started"
mount = "Container started with a sensitive host path mounted"
for rule in (priv, mount):
    check(set(rep_started.get(rule, {})) == set(live_started.get(rule, {})),
          f"replay: '{rule}' for {sorted(rep_started.get(rule, {}))} (live: {sorted(live_started.get(rule, {}))})")
drift = "New executable run in a container"
check(("saker-e2e-plain", "/tmp/true") in rep_started.get(drift, {})
      and set(rep_started.get(drift, {})) == set(live_started.get(drift, {})),
      f"replay: '{drift}' from the capture's exec flags: {sorted(rep_started.get(drift, {}), key=str)}")
e = rep_started.get(mount, {}).get("saker-e2e-etc")
check(e is not None and "/etc:/host-etc:" in (e.get("container.mounts") or ""),
      f"replay: the /etc mount named in the alert: {e and e.get('container.mounts')}")
sys.exit(0 if ok else 1)
PY
# sysdig reads the container events too (information only: sysdig 0.29 refuses a file whose
# process table lists another eBPF tool's bpf descriptors, e.g. a second saker running).
if command -v sysdig >/dev/null; then
  sysdig -r "${captures[0]}" "evt.type=container" -p "%container.name privileged=%container.privileged" \
    2>&1 | sort -u | sed "s/^/sysdig: /" | head -8
fi
echo "container e2e: ok"
