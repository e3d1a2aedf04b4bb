#!/usr/bin/env bash
# Falco's three syscall rules files with the REAL syscall and container plugins: saker -V
# gives 0 errors and 0 warnings, and `saker -e CAPTURE -r falco_rules.yaml` replays every
# shared capture without an error.
set -euo pipefail
BUILD=$1 DATA=$2
tmp=$(mktemp -d /tmp/saker-ct-upstream-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/c.yaml" <<YAML
plugins:
  - name: syscall
    library_path: libsyscall.so
  - name: container
    library_path: libcontainer.so
  - name: stdout_output
    library_path: libstdout_output.so
load_plugins: [syscall, container]
engine:
  kind: replay
  replay: {capture_file: $DATA/scap/cat_write.scap}
log_level: warning
YAML
out=$("$BUILD/bin/saker" -c "$tmp/c.yaml" -V "$DATA/rules/falco_rules.yaml" \
  -V "$DATA/rules/falco-incubating_rules.yaml" -V "$DATA/rules/falco-sandbox_rules.yaml" 2>&1) || {
  echo "$out"; exit 1; }
echo "$out"
[ "$(grep -c ': Ok$' <<<"$out")" -eq 3 ]
! grep -qiE "warning|error" <<<"$out"
echo "-V: 3 upstream syscall rules files Ok, 0 errors, 0 warnings, with the container plugin"
for cap in "$DATA"/scap/*.scap; do
  out=$("$BUILD/bin/saker" -c "$tmp/c.yaml" -e "$cap" -r "$DATA/rules/falco_rules.yaml" \
    -o log_level=info 2>&1) || { echo "$out"; exit 1; }
  ! grep -qE "\[(error|critical)\]" <<<"$out" || { echo "$out"; exit 1; }
  echo "$(basename "$cap"): $(grep -o 'stopped: .*' <<<"$out")"
done
