#!/usr/bin/env bash
# Is saker quiet on a busy, normal host? saker runs live with the default configuration
# (config/saker.yaml: the default rules, the container plugin) and JSON alerts while this
# machine does a full build of the project from a fresh copy and runs its test suite,
# without the tests that perform attacks on purpose (the live end-to-end tests, the
# default rules' proofs, the container end-to-end test, and the live driver's per-syscall
# tests, which call ptrace, init_module, setuid chmods, memfd execs... to check each event).
# Prints the count of every rule
# that fired, by priority; exits 1 when any alert of priority WARNING or above fired.
#
#   sudo bench/quiet_host.sh [BUILD_DIR=build]     (root: the live driver)
#
# BUILD_DIR holds the saker binary and plugins used to watch; the copy is built in a
# temporary folder (removed afterwards) with the README's build script.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
[ "$(id -u)" -eq 0 ] || { echo "quiet_host: needs root (live eBPF driver)"; exit 2; }
work=$(mktemp -d /tmp/saker-quiet-XXXXXX)
chmod 755 "$work"  # some tests run saker as nobody from the copy
SAKER_PID=
cleanup() {
  [ -n "$SAKER_PID" ] && kill -TERM "$SAKER_PID" 2>/dev/null && wait "$SAKER_PID" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$BUILD/bin/saker" -c "$ROOT/config/saker.yaml" -o json_output=true \
  -o "plugins_dir=$BUILD/plugins" -o "rules_files[0]=$ROOT/rules/saker_rules.yaml" \
  >"$work/alerts.jsonl" 2>"$work/saker.log" &
SAKER_PID=$!
for _ in $(seq 1 300); do
  grep -qs "opened event source 'syscall'" "$work/saker.log" && break
  kill -0 "$SAKER_PID" 2>/dev/null || { cat "$work/saker.log"; exit 2; }
  sleep 0.1
done
start=$(date +%s)
echo "quiet_host: saker watching (pid $SAKER_PID); building a fresh copy in $work/src"
git -C "$ROOT" worktree add --detach "$work/src" HEAD >/dev/null 2>&1 ||
  cp -a "$ROOT" "$work/src"
ln -sfn "$(cd "$ROOT/.." && pwd)/shared" "$work/shared" 2>/dev/null
(cd "$work/src" && scripts/build.sh >"$work/build.log" 2>&1) || { echo "quiet_host: the build failed:"; tail -20 "$work/build.log"; }
(cd "$work/src" && ctest --test-dir build -E "live_e2e|default_rules_live|container_e2e|saker_syscall_live_test" \
  >"$work/ctest.log" 2>&1) || { echo "quiet_host: some tests failed:"; grep -E "\*\*\*|Failed|Timeout" "$work/ctest.log" | sed 's/^/  /'; }
git -C "$ROOT" worktree remove --force "$work/src" >/dev/null 2>&1
kill -TERM "$SAKER_PID"; wait "$SAKER_PID"; SAKER_PID=
echo "quiet_host: $(( $(date +%s) - start )) s of build and tests watched; $(grep -c "" "$work/alerts.jsonl") alert(s)"
grep -E "engine: stopped|drop" "$work/saker.log" | sed 's/^/saker: /'
python3 - "$work/alerts.jsonl" <<'PY'
import collections, json, sys
counts = collections.Counter()
samples = {}
loud = 0
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"):
        continue
    a = json.loads(line)
    key = (a["priority"], a["rule"])
    counts[key] += 1
    samples.setdefault(key, a["output"])
    if a["priority"] in ("Emergency", "Alert", "Critical", "Error", "Warning"):
        loud += 1
print("| priority | rule | alerts | first one |")
print("|---|---|---|---|")
for (prio, rule), n in sorted(counts.items()):
    print(f"| {prio} | {rule} | {n} | {samples[(prio, rule)][:160]} |")
if not counts:
    print("| - | (no rule fired) | 0 | |")
sys.exit(1 if loud else 0)
PY
