#!/usr/bin/env bash
# Compare two builds of saker on one capture: whole-process `saker -e` runs of A and B in
# pairs (A then B, B then A, alternately), and the median of the per-pair ratios B/A of
# CPU time (task-clock). On the shared VMs the machine's speed drifts by ±25 % within
# minutes; a pair's two runs sit a fraction of a second apart, so their ratio cancels most of
# the drift that separate medians of A and of B keep. A control (A against A) shows what
# ratio the noise alone gives.
#
# Usage: bench/ab_replay.sh BUILD_DIR SAKER_A SAKER_B CAPTURE [rules.yaml] [pairs=30]
#   SAKER_A / SAKER_B: saker binaries (copied next to BUILD_DIR/bin/saker, whose plugins
#   they load). SYSCALL_LIB_A / SYSCALL_LIB_B: the syscall plugin each loads (default the
#   build's). The stable rules read container.* fields: the tests' container_fields_fixture
#   declares them, as in replay_whole_process.sh.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
A=$2
B=$3
CAP=$4
RULES=${5:-/work/shared/testdata/rules/falco_rules.yaml}
PAIRS=${6:-30}
command -v perf >/dev/null || { echo "ab_replay: needs perf (linux-perf)"; exit 2; }
tmp=$(mktemp -d /tmp/saker-ab-XXXXXX)
cleanup() { rm -rf "$tmp" "$BUILD/bin/saker-ab-A.$$" "$BUILD/bin/saker-ab-B.$$"; }
trap cleanup EXIT
cp "$A" "$BUILD/bin/saker-ab-A.$$"
cp "$B" "$BUILD/bin/saker-ab-B.$$"
# shellcheck source=replay_config.sh
. "$(dirname "$0")/replay_config.sh"
write_replay_config "$tmp/A.yaml" "${SYSCALL_LIB_A:-}"
write_replay_config "$tmp/B.yaml" "${SYSCALL_LIB_B:-}"

# One run of build X: its task-clock in ms.
run() {
  perf stat -x, -e task-clock "$BUILD/bin/saker-ab-$1.$$" -c "$tmp/$1.yaml" -e "$CAP" -r "$RULES" \
    2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}'
}

for ((i = 0; i < PAIRS; i++)); do
  if ((i % 2 == 0)); then
    a=$(run A)
    b=$(run B)
  else
    b=$(run B)
    a=$(run A)
  fi
  echo "$a $b"
done >"$tmp/pairs"

python3 - "$tmp/pairs" <<'PY'
import statistics as st
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
ratios = sorted(b / a for a, b in rows)
q = st.quantiles(ratios, n=4)
print(f"{len(rows)} pairs: A median {st.median(a for a, _ in rows):.1f} ms, "
      f"B median {st.median(b for _, b in rows):.1f} ms; "
      f"B/A per pair: median {st.median(ratios):.3f} (quartiles {q[0]:.3f}-{q[2]:.3f})")
PY
