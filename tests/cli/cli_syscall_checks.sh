# Sourced by cli_test.sh (uses check, check_absent, $SAKER, $DATA, $tmp and the counters):
# Falco's habits for the syscall source. Without a configuration file syscall is the
# default source (modern_ebpf); -V, -L, -l, --list and --dry-run only initialise plugins
# and never open a source; rules of sources that are not loaded are summed up in one line;
# falco.yaml's top-level engine/base_syscalls/syscall_event_drops reach the syscall plugin.
CAP=$DATA/scap/cat_write.scap
cat >"$tmp/good.yaml" <<'YAML'
- rule: open_from_cat
  desc: A process named cat does an open
  condition: evt.type in (open, openat) and proc.name = cat
  output: "An open was seen (command=%proc.cmdline)"
  priority: WARNING
YAML
cat >"$tmp/bad.yaml" <<'YAML'
- rule: bad_field
  desc: uses a field no source has
  condition: evt.type = open and proc.nobody = cat
  output: "never (command=%proc.cmdline)"
  priority: WARNING
YAML
cat >"$tmp/k8s.yaml" <<'YAML'
- macro: kcreate
  condition: ka.verb = create
- rule: k8s_create
  desc: d
  condition: kcreate
  output: "v=%ka.verb"
  priority: WARNING
  source: k8s_audit
- rule: k8s_delete
  desc: d
  condition: ka.verb = delete
  output: "v=%ka.verb"
  priority: WARNING
  source: k8s_audit
YAML
cat >"$tmp/ct.yaml" <<'YAML'
- rule: ct_login
  desc: d
  condition: ct.name = ConsoleLogin
  output: "n=%ct.name"
  priority: WARNING
  source: aws_cloudtrail
YAML
FAILED_INIT="engine kind 'modern_ebpf' is not available in this build"
NOINIT_SKIP="syscall plugin does not initialise modern_ebpf yet"

if [ -e /etc/saker/saker.yaml ]; then
  echo "SKIP: no-config checks (/etc/saker/saker.yaml exists and would be used)"
else
  # The default configuration, with the engine switched to replaying a capture that does
  # not exist: initialising works, opening would fail, so success proves nothing opened.
  NOOPEN=(-o engine.kind=replay -o "engine.replay.capture_file=$tmp/missing.scap")
  check "no config: defaults announced" 0 "no configuration file found; using the defaults" -- "$SAKER" "${NOOPEN[@]}" --list-plugins
  check "no config: syscall plugin loaded" 0 "source \(syscall\)" -- "$SAKER" "${NOOPEN[@]}" --list-plugins
  check "no config: --list=syscall" 0 "^proc.name$" -- "$SAKER" "${NOOPEN[@]}" --list=syscall -N
  check "no config: -V good syscall rule" 0 "good.yaml: Ok$" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/good.yaml"
  check "no config: -V nonexistent field" 1 "bad.yaml:3:[0-9]+: LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nobody" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/bad.yaml"
  check "no config: -V nonexistent field, Falco status" 1 "bad.yaml: Invalid" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/bad.yaml"
  check "no config: -V json" 1 '"code":"LOAD_ERR_COMPILE_CONDITION"' -- "$SAKER" "${NOOPEN[@]}" -o json_output=true -V "$tmp/bad.yaml"
  check "-V k8s audit rules without k8saudit" 0 "k8s.yaml: Ok, with warnings" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/k8s.yaml"
  check "-V k8s audit rules: one line" 0 "LOAD_UNKNOWN_SOURCE: skipped 2 rules of sources not loaded: k8s_audit \(2\); 1 macro/list only they use" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/k8s.yaml"
  check_absent "-V k8s audit rules: not one by one" 0 "Unknown source|LOAD_UNUSED_MACRO" -- "$SAKER" "${NOOPEN[@]}" -V "$tmp/k8s.yaml"
  check "-V -v lists each skipped rule" 0 "Unknown source k8s_audit, skipping \(in rule 'k8s_delete'\)" -- "$SAKER" "${NOOPEN[@]}" -v -V "$tmp/k8s.yaml"
  if [ -f "$DATA/rules/k8s_audit_rules.yaml" ]; then
    check "-V Falco's k8s audit rules without k8saudit" 0 "skipped [0-9]+ rules of sources not loaded: k8s_audit" -- "$SAKER" "${NOOPEN[@]}" -V "$DATA/rules/k8s_audit_rules.yaml"
    check_absent "-V Falco's k8s audit rules: no wall" 0 "LOAD_UNUSED|Unknown source" -- "$SAKER" "${NOOPEN[@]}" -V "$DATA/rules/k8s_audit_rules.yaml"
  fi
  check "no config: -L" 0 "^open_from_cat +A process named cat" -- "$SAKER" "${NOOPEN[@]}" -L -r "$tmp/good.yaml" -r "$tmp/k8s.yaml"
  check "no config: -l" 0 "condition: evt.type in \(open, openat\) and proc.name = cat" -- "$SAKER" "${NOOPEN[@]}" -l open_from_cat -r "$tmp/good.yaml"
  check "no config: --dry-run" 0 "dry run: set-up complete" -- "$SAKER" "${NOOPEN[@]}" --dry-run -r "$tmp/good.yaml"
  check "no config: a run does open the source" 1 "cannot open capture file" -- "$SAKER" "${NOOPEN[@]}" -r "$tmp/good.yaml"
  SKIPPED="skipped 3 rules of sources not loaded: aws_cloudtrail \(1\), k8s_audit \(2\)"
  ALL=(-r "$tmp/good.yaml" -r "$tmp/k8s.yaml" -r "$tmp/ct.yaml")
  check "-L: skipped rules in one line" 0 "$SKIPPED" -- "$SAKER" "${NOOPEN[@]}" -o log_level=info -L "${ALL[@]}"
  check "run: skipped rules in one line" 0 "$SKIPPED" -- "$SAKER" -e "$CAP" -o log_level=info "${ALL[@]}"
  check_absent "run: no per-rule warnings" 0 "LOAD_UNKNOWN_SOURCE|Unknown source|LOAD_UNUSED" -- "$SAKER" -e "$CAP" -o log_level=info "${ALL[@]}"
  check "run -v: per-rule warnings" 0 "Unknown source aws_cloudtrail, skipping" -- "$SAKER" -e "$CAP" -v "${ALL[@]}"
  check "no config: -e replays" 0 "stopped: 303 events, 4 alerts" -- "$SAKER" -e "$CAP" -o log_level=info -r "$tmp/good.yaml"
  # The syscall plugin's own init_config (here given with -o) wins over the top level.
  check "no config: plugins[0].init_config override" 0 "stopped: 303 events, 4 alerts" -- "$SAKER" -o "plugins[0].init_config={engine: {kind: replay, replay: {capture_file: $CAP}}}" -o log_level=info -r "$tmp/good.yaml"
  check "init_config's own engine wins, said once" 0 "top-level 'engine' ignored" -- "$SAKER" -o "plugins[0].init_config={engine: {kind: replay, replay: {capture_file: $CAP}}}" --dry-run
  check "-V fails when a plugin is refused" 1 "cannot validate rules: .*requires plugin API 2.0" -- "$SAKER" -c "$tmp/c.yaml" -o 'load_plugins=[example, bad]' -V "$tmp/good.yaml"

  # The pure default (engine.kind=modern_ebpf): init only, so no root and no driver is
  # needed. These run once the syscall plugin initialises modern_ebpf (it refuses today).
  default_plugins=$("$SAKER" --list-plugins 2>&1)
  if grep -q "$FAILED_INIT" <<<"$default_plugins"; then
    echo "SKIP: 5 default-engine checks ($NOINIT_SKIP)"
    check "no config, modern_ebpf: -V refuses to validate without the plugin" 1 "cannot validate rules: .*$FAILED_INIT" -- "$SAKER" -V "$tmp/good.yaml"
  else
    check "no config, modern_ebpf: -V nonexistent field" 1 "LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nobody" -- "$SAKER" -V "$tmp/bad.yaml"
    check "no config, modern_ebpf: -V good rule" 0 "good.yaml: Ok$" -- "$SAKER" -V "$tmp/good.yaml"
    check "no config, modern_ebpf: --list=syscall" 0 "^proc.name$" -- "$SAKER" --list=syscall -N
    check "no config, modern_ebpf: -L" 0 "^open_from_cat" -- "$SAKER" -L -r "$tmp/good.yaml"
    check "no config, modern_ebpf: -l" 0 "condition: evt.type in" -- "$SAKER" -l open_from_cat -r "$tmp/good.yaml"
  fi
fi

# A Falco-style configuration: the syscall source's keys at the top level, a plugin source
# besides, load_plugins not naming syscall.
cat >"$tmp/falco.yaml" <<YAML
plugins:
  - name: syscall
    library_path: libsyscall.so
  - name: example
    library_path: libexample.so
    open_params: "3"
load_plugins: [example]
engine:
  kind: replay
  replay:
    capture_file: $CAP
  modern_ebpf: {buf_size_preset: 4, cpus_for_each_buffer: 2, drop_failed_exit: false}
base_syscalls:
  custom_set: [openat, "!read"]
  repair: true
syscall_event_drops:
  threshold: .1
  actions: [log, alert]
  rate: .03333
  max_burst: 1
log_level: info
stdout_output:
  enabled: true
YAML
check "engine: loads syscall outside load_plugins" 0 "source \(syscall\)" -- "$SAKER" -c "$tmp/falco.yaml" --list-plugins
check "engine/base_syscalls/syscall_event_drops mapped" 0 'syscall plugin init_config: \{"base_syscalls":\{"custom_set":\["openat","!read"\],"repair":true\},"engine":\{"kind":"replay","modern_ebpf":\{"buf_size_preset":4,"cpus_for_each_buffer":2,"drop_failed_exit":false\},"replay":\{"capture_file":"[^"]*cat_write.scap"\}\},"syscall_event_drops":\{"actions":\["log","alert"\],"max_burst":1,"rate":0.03333,"threshold":0.1\}\}' -- "$SAKER" -c "$tmp/falco.yaml" -o log_level=debug --dry-run
check "replay: syscall only by default" 0 "stopped: 303 events, 4 alerts" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/good.yaml"
check "--disable-source syscall" 0 "stopped: 3 events, 0 alerts" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/good.yaml" --disable-source syscall
check "--enable-source syscall" 0 "stopped: 303 events, 4 alerts" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/good.yaml" --enable-source syscall
check "--enable-source both" 0 "stopped: 306 events, 4 alerts" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/good.yaml" --enable-source syscall --enable-source example
check "nodriver: syscall not loaded" 0 "engine.kind is nodriver: the syscall source is not loaded" -- "$SAKER" -c "$tmp/falco.yaml" -o engine.kind=nodriver --list-plugins
check_absent "nodriver: no syscall plugin" 0 "source \(syscall\)" -- "$SAKER" -c "$tmp/falco.yaml" -o engine.kind=nodriver --list-plugins
check "nodriver: syscall rules skipped" 0 "skipped 1 rule of sources not loaded: syscall \(1\)" -- "$SAKER" -c "$tmp/falco.yaml" -o engine.kind=nodriver -r "$tmp/good.yaml" --dry-run
check "nodriver: the other sources run" 0 "stopped: 3 events" -- "$SAKER" -c "$tmp/falco.yaml" -o engine.kind=nodriver -r "$tmp/good.yaml"
check "nodriver: --list=syscall is unknown" 1 "unknown event source 'syscall'" -- "$SAKER" -c "$tmp/falco.yaml" -o engine.kind=nodriver --list=syscall
# Log lines start with the time as Falco's do: asctime() by default, ISO 8601 (UTC) with
# time_format_iso_8601.
check "log time: asctime" 0 "^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}: \[" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/good.yaml"
check "log time: time_format_iso_8601" 0 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\+0000: \[" -- "$SAKER" -c "$tmp/falco.yaml" -o time_format_iso_8601=true -r "$tmp/good.yaml"
# --list: fields by Falco field class, with Falco's type names; --format json for tools.
check "--list=syscall: field classes" 0 "^Field Class: fd$" -- "$SAKER" -c "$tmp/falco.yaml" --list=syscall
check "--list=syscall: Falco type names" 0 "^fd.name +CHARBUF +Full name" -- "$SAKER" -c "$tmp/falco.yaml" --list=syscall
check "--list=syscall --format json" 0 '"falco_type": "INT64"' -- "$SAKER" -c "$tmp/falco.yaml" --list=syscall --format json
# A generic event of an unknown syscall code (cat_write's fadvise64) is typed by its native
# number: evt.type = fadvise64 selects it.
cat >"$tmp/fadvise.yaml" <<'YAML'
- rule: fadvise
  desc: fadvise64 calls
  condition: evt.type = fadvise64
  output: "fadvise64 by %proc.name"
  priority: INFO
YAML
check "evt.type of a generic event by native number" 0 "stopped: 303 events, 1 alerts" -- "$SAKER" -c "$tmp/falco.yaml" -r "$tmp/fadvise.yaml"

# An output that stops taking alerts (a program that never reads its stdin) cannot hold
# saker forever once it is told to stop: after outputs_queue.drain_timeout_ms it gives up
# on that output, says how many alerts were not delivered, and exits with status 1.
cat >"$tmp/every.yaml" <<'YAML'
- rule: every_event
  desc: every event of the capture
  condition: evt.num > 0
  output: "event %evt.num %evt.type %proc.name %proc.cmdline %fd.name padding to fill a pipe quickly"
  priority: WARNING
YAML
check "a stuck output is given up after the drain timeout" 1 "still busy 1000 ms after stop: program_output" -- \
  timeout 20 "$SAKER" -e "$DATA/scap/sample.scap" -r "$tmp/every.yaml" \
  -o stdout_output.enabled=false -o program_output.enabled=true \
  -o 'program_output.program=exec sleep 30 >/dev/null 2>&1' -o outputs_queue.drain_timeout_ms=1000
