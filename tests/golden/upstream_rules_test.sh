#!/usr/bin/env bash
# Falco's three syscall rules files load and compile with zero errors and zero warnings
# against the REAL syscall plugin's field table (container.*/k8s.* names come from a test
# fixture until the container plugin exists), through saker -V.
set -euo pipefail
BUILD=$1 DATA=$2/rules
tmp=$(mktemp -d /tmp/saker-upstream-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/c.yaml" <<YAML
plugins:
  - name: syscall
    library_path: libsyscall.so
  - name: container_fields_fixture
    library_path: libcontainer_fields_fixture.so
load_plugins: [syscall, container_fields_fixture]
engine:
  kind: replay
  replay: {capture_file: $2/scap/cat_write.scap}
log_level: error
YAML
out=$("$BUILD/bin/saker" -c "$tmp/c.yaml" -V "$DATA/falco_rules.yaml" \
  -V "$DATA/falco-incubating_rules.yaml" -V "$DATA/falco-sandbox_rules.yaml" 2>&1) || {
  echo "$out"; exit 1; }
echo "$out"
[ "$(grep -c ': Ok$' <<<"$out")" -eq 3 ]
! grep -qE "WARNING|ERROR" <<<"$out"
echo "3 upstream syscall rules files: Ok against the real syscall field table"
