#!/usr/bin/env bash
# Whole-process replay benchmark: `saker -e capture` on a generated busy-host capture
# (bench/capture_gen.cpp), plain and gzip, with Falco's stable rules and with one trivial
# rule; reports CPU (perf task-clock, else user+sys), wall and peak RSS (/usr/bin/time),
# median of the runs, and CPU per event. The stable rules read container.* fields, which Falco's container plugin
# provides: the tests' container_fields_fixture declares them, as
# tests/golden/upstream_rules_test.sh does.
#
# Usage: bench/replay_whole_process.sh BUILD_DIR [events=650000] [runs=3] [rules.yaml]
#   SAKER_BENCH_DIR: where captures are kept between runs (default /tmp/saker-replay-bench).
#   SAKER_SYSCALL_LIB: the syscall plugin to load (default libsyscall.so of BUILD_DIR), to
#   compare against an older build.
#   SAKER_BENCH_BIG=BYTES also replays a plain capture of that size (e.g. 2147483648) once per
#   rule set, to show peak RSS does not depend on the capture's size.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
EVENTS=${2:-650000}
RUNS=${3:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
RULES=${4:-/work/shared/testdata/rules/falco_rules.yaml}
[ -f "$RULES" ] || RULES=$SRC/rules/falco_rules.yaml
DIR=${SAKER_BENCH_DIR:-/tmp/saker-replay-bench}
mkdir -p "$DIR"

gen() {  # gen FILE MODE [max_bytes]
  [ -s "$1" ] || "$BUILD/bench/capture_gen" "$1" "$EVENTS" "$2" 1 "${3:-0}" >&2
}
gen "$DIR/busy-$EVENTS.scap" plain
gen "$DIR/busy-$EVENTS.scap.gz" gzip

# shellcheck source=replay_config.sh
. "$SRC/bench/replay_config.sh"
write_replay_config "$DIR/saker.yaml" "${SAKER_SYSCALL_LIB:-}"
cat >"$DIR/trivial.yaml" <<'YAML'
- rule: Trivial
  desc: one rule, one cheap condition
  condition: evt.type = execve and proc.name = never-such-process
  output: "trivial %proc.name"
  priority: WARNING
YAML

# run CAPTURE RULES -> "cpu_s wall_s maxrss_kb alerts". CPU is perf's task-clock when perf
# is there (to the microsecond; it also counts /usr/bin/time's own fork and wait, well
# under a millisecond), else /usr/bin/time's user+sys (in 10 ms steps: 7 % of a 0.07 s run).
run() {
  local out cpu
  out=$( { ${PERF:+$PERF stat -x, -e task-clock -o "$DIR/perf.txt" --} /usr/bin/time \
    -f "TIME %U %S %e %M" "$BUILD/bin/saker" -c "$DIR/saker.yaml" -e "$1" -r "$2" \
    2>&1 >"$DIR/alerts.txt"; } | grep '^TIME' )
  read -r user sys wall rss <<<"${out#TIME }"
  if [ -n "$PERF" ]; then
    cpu=$(awk -F, '/task-clock/ {printf "%.4f", $1 / 1000}' "$DIR/perf.txt")
  else
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
  fi
  echo "$cpu $wall $rss $(grep -c . "$DIR/alerts.txt" || true)"
}
PERF=${PERF-$(command -v perf || true)}  # PERF= (empty) uses /usr/bin/time alone

# median of field $2 over lines on stdin
median() { sort -g -k"$1","$1" | awk -v f="$1" '{v[NR]=$f} END {print v[int((NR+1)/2)]}'; }

report() {  # report LABEL CAPTURE RULES
  local lines="" l
  for ((i = 0; i < RUNS; i++)); do
    l=$(run "$2" "$3")
    lines+="$l"$'\n'
  done
  local cpu wall rss alerts
  cpu=$(median 1 <<<"${lines%$'\n'}")
  wall=$(median 2 <<<"${lines%$'\n'}")
  rss=$(median 3 <<<"${lines%$'\n'}")
  alerts=$(head -1 <<<"$lines" | awk '{print $4}')
  awk -v l="$1" -v c="$cpu" -v w="$wall" -v r="$rss" -v a="$alerts" -v n="$EVENTS" \
    'BEGIN {printf "| %-34s | %7.3f s | %6.2f s | %5.1f MB | %6.3f us | %s |\n", l, c, w, r/1024, c*1e6/n, a}'
}

echo "load: $(cat /proc/loadavg); $RUNS runs, medians; $EVENTS events"
cpu_label=user+sys
[ -n "$PERF" ] && cpu_label=task-clock
echo "| run | CPU ($cpu_label) | wall | peak RSS | CPU/event | alerts |"
echo "|---|---|---|---|---|---|"
report "stable rules, plain" "$DIR/busy-$EVENTS.scap" "$RULES"
report "stable rules, gzip" "$DIR/busy-$EVENTS.scap.gz" "$RULES"
report "trivial rule, plain" "$DIR/busy-$EVENTS.scap" "$DIR/trivial.yaml"
report "trivial rule, gzip" "$DIR/busy-$EVENTS.scap.gz" "$DIR/trivial.yaml"

if [ -n "${SAKER_BENCH_BIG:-}" ]; then
  big=$DIR/busy-big-$SAKER_BENCH_BIG.scap
  gen "$big" plain "$SAKER_BENCH_BIG"
  RUNS=1
  EVENTS=$(stat -c %s "$big")  # CPU/event column is then per byte: ignore it
  report "big ($(du -h "$big" | cut -f1)) stable rules" "$big" "$RULES"
  report "big ($(du -h "$big" | cut -f1)) trivial rule" "$big" "$DIR/trivial.yaml"
fi
