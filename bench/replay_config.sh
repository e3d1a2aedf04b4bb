# Sourced by the replay benchmarks: write_replay_config FILE [SYSCALL_LIB] writes the saker
# configuration they replay with: the syscall plugin (its library SYSCALL_LIB, default the
# build's libsyscall.so), the tests' container_fields_fixture (it declares the container.*
# fields the stable rules read, as Falco's container plugin would), every rule at any
# priority, the first match per event, alerts to stdout.
write_replay_config() {
  cat >"$1" <<YAML
plugins:
  - name: syscall
    library_path: ${2:-libsyscall.so}
  - name: container_fields_fixture
    library_path: libcontainer_fields_fixture.so
load_plugins: [syscall, container_fields_fixture]
priority: debug
rule_matching: first
log_level: error
stdout_output: {enabled: true}
YAML
}
