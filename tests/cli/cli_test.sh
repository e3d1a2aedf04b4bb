#!/usr/bin/env bash
# The saker command line against the real binary and plugins: listing, plugin info,
# refusals, source selection, overrides, a short run, and errors with exit codes; then
# Falco's habits for the syscall source (default without a config file, -V/-L/--list
# without opening it, rules of sources not loaded, the falco.yaml engine mapping).
# Usage: cli_test.sh BUILD_DIR [TESTDATA_DIR]
set -uo pipefail
SAKER=$1/bin/saker
DATA=${2:-}
tmp=$(mktemp -d /tmp/saker-cli-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0
check() {  # check NAME EXPECTED_RC PATTERN -- command...
  local name=$1 want_rc=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && grep -qE -- "$pattern" <<<"$out"; then
    passes=$((passes + 1))
  else
    fails=$((fails + 1))
    echo "FAIL: $name (rc=$rc, want $want_rc, pattern '$pattern')"
    echo "$out" | head -20
  fi
}
check_absent() {  # check_absent NAME EXPECTED_RC PATTERN -- command...: PATTERN must not appear
  local name=$1 want_rc=$2 pattern=$3
  shift 4
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [ "$rc" -eq "$want_rc" ] && ! grep -qE -- "$pattern" <<<"$out"; then
    passes=$((passes + 1))
  else
    fails=$((fails + 1))
    echo "FAIL: $name (rc=$rc, want $want_rc, pattern '$pattern' must not appear)"
    echo "$out" | head -20
  fi
}
cat > "$tmp/c.yaml" <<YAML
plugins:
  - name: example
    library_path: libexample.so
    open_params: "3"
  - name: tests_mem
    library_path: libmem_source.so
    init_config: {count: 4, payloads: ["user=\${CLI_TEST_USER}"]}
  - name: bad
    library_path: libbad_wrong_major.so
load_plugins: [example, tests_mem]
log_level: warning
stdout_output:
  enabled: true
YAML
export CLI_TEST_USER=carol
check "help" 0 "Usage: saker" -- "$SAKER" --help
check "version" 0 "saker version: [0-9]+\.[0-9]+\.[0-9]+" -- "$SAKER" --version
check "version json" 0 '"plugin_api_version":"1.5.0"' -- "$SAKER" --version -o json_output=true
# The shipped configuration and rules: the default rules compile against the default
# plugins (syscall + container) with no error and no warning; --dry-run sets everything
# up from config/saker.yaml without opening the driver.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
check "default rules validate" 0 "saker_rules.yaml: Ok$" -- "$SAKER" -V "$REPO/rules/saker_rules.yaml"
check "shipped config dry run" 0 "rules loaded" -- "$SAKER" -c "$REPO/config/saker.yaml" --dry-run -o "rules_files[0]=$REPO/rules" -o log_level=info
check "dry run fails on a refused init_config" 1 "init_config.engine.kind: must be one of" -- "$SAKER" -c "$REPO/config/saker.yaml" --dry-run -o engine.kind=kmod
check "list-plugins" 0 "Capabilities:" -- "$SAKER" -c "$tmp/c.yaml" --list-plugins
check "list-plugins example" 0 "source \(example\)" -- "$SAKER" -c "$tmp/c.yaml" --list-plugins
check "list fields" 0 "example.word +CHARBUF +The word carried by the tick" -- "$SAKER" -c "$tmp/c.yaml" --list
check "list one source" 0 "^example.n$" -- "$SAKER" -c "$tmp/c.yaml" --list=example -N
check "list json" 0 '"name": "example.text"' -- "$SAKER" -c "$tmp/c.yaml" --list=example --format json
check "list unknown source" 1 "unknown event source 'nope'" -- "$SAKER" -c "$tmp/c.yaml" --list=nope
check "plugin-info" 0 "Suggested open params: \[\{\"value\":\"10\"" -- "$SAKER" -c "$tmp/c.yaml" --plugin-info example
check "plugin-info by path" 0 "Name: libnull_output.so" -- "$SAKER" -c "$tmp/c.yaml" --plugin-info libnull_output.so
check "refused plugin, others load" 1 "Refused: bad: .*requires plugin API 2.0" -- "$SAKER" -c "$tmp/c.yaml" -o 'load_plugins=[example, bad]' --list-plugins
check "dry run" 0 "dry run: set-up complete" -- "$SAKER" -c "$tmp/c.yaml" --dry-run -o log_level=info
check "enable unknown source" 1 "unknown event source 'zzz'" -- "$SAKER" -c "$tmp/c.yaml" --enable-source zzz --dry-run
check "enable and disable" 2 "cannot be used together" -- "$SAKER" --enable-source a --disable-source b
check "disable every source" 1 "every event source is disabled" -- "$SAKER" -c "$tmp/c.yaml" --disable-source example --disable-source mem --dry-run
check "removed flag" 2 "was removed from Falco; use -o engine.kind=modern_ebpf" -- "$SAKER" --modern-bpf
check "unknown flag" 2 "unknown option '--frobnicate'" -- "$SAKER" --frobnicate
check "bad override" 1 "configuration error" -- "$SAKER" -c "$tmp/c.yaml" -o 'noequals' --dry-run
check "missing config" 1 "configuration error" -- "$SAKER" -c "$tmp/none.yaml" --dry-run
check "run to the end of both sources" 0 "stopped: 7 events" -- "$SAKER" -c "$tmp/c.yaml" -o log_level=info
check "run one source" 0 "stopped: 4 events" -- "$SAKER" -c "$tmp/c.yaml" -o log_level=info --enable-source mem
# ABI 1.5: at the end of a run the plugins are destroyed with process_exiting true.
check "destroyed at the exit" 0 "process_exiting=1" -- sh -c "\"$SAKER\" -c \"$tmp/c.yaml\" \
  -o 'plugins[1].init_config.exit_report=$tmp/exit.txt' --enable-source mem >/dev/null && cat \"$tmp/exit.txt\""
check "fields of the second source" 0 "^mem.user$" -- "$SAKER" -c "$tmp/c.yaml" --list=mem -N
# SIGINT and SIGTERM stop an endless source cleanly (exit 0, summary logged).
for sig in INT TERM; do
  "$SAKER" -c "$tmp/c.yaml" -o 'plugins[0].open_params=1000000000000' --enable-source example \
    -o log_level=info -o stdout_output.enabled=false >"$tmp/sig.log" 2>&1 &
  pid=$!
  sleep 0.5
  kill -s $sig $pid
  wait $pid
  rc=$?
  if [ $rc -eq 0 ] && grep -q "stopped: [0-9]* events" "$tmp/sig.log"; then
    passes=$((passes + 1))
  else
    fails=$((fails + 1)); echo "FAIL: SIG$sig (rc=$rc)"; cat "$tmp/sig.log"
  fi
done
if [ -f "$1/plugins/libsyscall.so" ] && [ -f "$DATA/scap/cat_write.scap" ]; then
  . "$(dirname "$0")/cli_syscall_checks.sh"
else
  echo "SKIP: syscall source checks (needs the syscall plugin and TESTDATA_DIR/scap)"
fi
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
