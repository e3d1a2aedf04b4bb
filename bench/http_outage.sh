#!/usr/bin/env bash
# The HTTP output's outage scenario with the real saker binary, end to end:
#  1. a steady alert stream (pace_source, one event every 10 ms, a rule matching each)
#     goes through http_output to a receiver on loopback (python3, HTTP/1.1 keep-alive);
#  2. the receiver is down for DOWN_S seconds, then back;
#  3. the receiver goes down again; saker is killed (SIGKILL) with alerts in its spool and
#     started again (a second run, marked by extra_fields.run), then the receiver returns;
#  4. checks: every alert of each run arrived exactly once and in order (evt.num 1, 2, 3
#     ... without gap or repeat), every record the spool held at the kill was delivered,
#     and run 1's alerts all arrived before run 2's.
# Usage: bench/http_outage.sh BUILD_DIR [down_s=30]   (ctest runs it with down_s=3)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
DOWN_S=${2:-30}
SAKER=$BUILD/bin/saker
[ -x "$SAKER" ] || SAKER=$(find "$BUILD" -type f -name saker -perm -u+x | head -1)
tmp=$(mktemp -d /tmp/saker-outage-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/receiver.py" <<'PY'
import http.server, os, signal, sys, threading
out = open(sys.argv[2], "ab", buffering=0)
# A request is recorded and answered as one step: the SIGTERM that takes the receiver
# down waits for it. Killed between the two, the receiver would keep an alert that saker,
# seeing no answer, rightly sends again, and the test would count a repeat that is the
# receiver's, not saker's.
whole = threading.Lock()
def stop(*_):
    whole.acquire()
    os._exit(0)
signal.signal(signal.SIGTERM, stop)
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with whole:
            out.write(body.replace(b"\n", b" ") + b"\n")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer.allow_reuse_address = True
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
receiver_pid=""
receiver_up() {
  python3 "$tmp/receiver.py" "$PORT" "$tmp/received.jsonl" & receiver_pid=$!
  pids+=("$receiver_pid")
  for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" 2>/dev/null && return
    sleep 0.05
  done
  echo "receiver did not start"; exit 1
}
receiver_down() { kill "$receiver_pid"; wait "$receiver_pid" 2>/dev/null || true; }

cat > "$tmp/rules.yaml" <<'YAML'
- rule: Pace tick
  desc: every event of the pace test source
  condition: pace.n >= 0
  output: tick %pace.n
  priority: WARNING
  source: pace
YAML
config() {  # $1 = run number
  cat > "$tmp/saker$1.yaml" <<YAML
plugins:
  - name: pace
    library_path: libpace_source.so
    init_config: {interval_ms: 10}
load_plugins: [pace]
rules_files: [$tmp/rules.yaml]
json_output: true
log_level: info
stdout_output: {enabled: false}
http_output:
  enabled: true
  url: http://127.0.0.1:$PORT/
  keep_alive: true
  retry_backoff_initial_ms: 50
  retry_backoff_max_ms: 1000
  spool_dir: $tmp/spool
  extra_fields: {run: "$1"}
YAML
}
saker_pid=""
saker_start() {
  config "$1"
  "$SAKER" -c "$tmp/saker$1.yaml" 2>>"$tmp/saker.log" & saker_pid=$!
  pids+=("$saker_pid")
}

receiver_up
saker_start 1
sleep 3
echo "endpoint down for $DOWN_S s"
receiver_down
sleep "$DOWN_S"
receiver_up
sleep 3
echo "endpoint down again; saker killed and restarted meanwhile"
receiver_down
sleep 2
kill -9 "$saker_pid"; wait "$saker_pid" 2>/dev/null || true
# What the spool holds at the kill: the evt.num of each undelivered record.
python3 - "$tmp/spool" > "$tmp/spooled.txt" <<'PY'
import json, struct, sys
log = open(sys.argv[1] + "/spool.log", "rb").read()
pos = struct.unpack("<Q", open(sys.argv[1] + "/spool.pos", "rb").read(8) or b"\0"*8)[0]
while pos + 4 <= len(log):
    n = struct.unpack("<I", log[pos:pos+4])[0]
    if pos + 4 + n > len(log): break
    print(json.loads(log[pos+4:pos+4+n])["output_fields"]["pace.n"]); pos += 4 + n
PY
echo "spool at the kill: $(wc -l < "$tmp/spooled.txt") alert(s)"
saker_start 2
sleep 2
receiver_up
sleep 4
kill -TERM "$saker_pid"; wait "$saker_pid" 2>/dev/null || true

python3 - "$tmp/received.jsonl" "$tmp/spooled.txt" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], "rb")]
spooled = [int(l) for l in open(sys.argv[2])]
runs = [r["output_fields"]["run"] for r in rows]
ok = True
def fail(msg):
    global ok; ok = False; print("FAIL:", msg)
if runs != sorted(runs): fail("run 2 alerts arrived before run 1 alerts ended")
for run in ("1", "2"):
    nums = [r["output_fields"]["pace.n"] for r in rows if r["output_fields"]["run"] == run]
    if not nums: fail(f"run {run}: nothing arrived"); continue
    if nums != list(range(nums[0], nums[0] + len(nums))) or nums[0] != 0:
        dup = len(nums) - len(set(nums))
        fail(f"run {run}: not 0..n-1 in order ({len(nums)} alerts, {dup} repeated)")
    else:
        print(f"run {run}: {len(nums)} alerts, evt 0..{nums[-1]}, each once, in order")
    if run == "1":
        missing = set(spooled) - set(nums)
        if missing: fail(f"{len(missing)} spooled alert(s) never arrived")
        else: print(f"run 1: the {len(spooled)} alert(s) spooled at the kill arrived after the restart")
print("PASS" if ok else "FAILED")
sys.exit(0 if ok else 1)
PY
