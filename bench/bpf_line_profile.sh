#!/usr/bin/env bash
# Where a running saker's eBPF programs spend the time of a workload, per source line
# (bench/live/bpf_lines.cpp: the kernel's JITed-line table mapped onto perf samples).
#
#   sudo bench/bpf_line_profile.sh BUILD_DIR NS_PER_OP -- WORKLOAD [ARGS...]
#
# A saker must be running live (SAKER_PID, default: the only process named saker). The
# workload runs under `perf record -e cpu-clock`; samples in the programs are attributed
# to source lines. NS_PER_OP (what one operation of the workload costs, e.g. 800 for an
# open+close pair at 800 ns; 0: print percentages) scales the figures to ns per operation.
set -euo pipefail
BUILD=$(cd "$1" && pwd)
NS=$2
shift 2
[ "${1:-}" = "--" ] && shift
PID=${SAKER_PID:-$(pgrep -x saker || true)}
[ -n "$PID" ] || { echo "bpf_line_profile: no saker running" >&2; exit 2; }
[ "$(wc -w <<<"$PID")" = 1 ] || { echo "bpf_line_profile: several sakers run ($(echo $PID)): set SAKER_PID" >&2; exit 2; }
ids=$(grep -h '^prog_id:' /proc/"$PID"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un)
[ -n "$ids" ] || { echo "bpf_line_profile: saker $PID holds no eBPF program" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
perf record -q -o "$tmp/perf.data" -e cpu-clock -F 25000 -- "$@" >/dev/null
perf script -i "$tmp/perf.data" -F ip,sym 2>/dev/null |
  if [ "$NS" = 0 ]; then "$BUILD/bench/bpf_lines" $ids; else SAKER_NS_PER_OP=$NS "$BUILD/bench/bpf_lines" $ids; fi
