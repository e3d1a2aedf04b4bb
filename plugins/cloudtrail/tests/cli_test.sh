#!/usr/bin/env bash
# saker on a cloud-only node (config/cloudtrail.yaml) against the real binary: the
# upstream and saker's own CloudTrail rules validate with no error and no warning; Falco
# users' nodriver habits (engine.kind: nodriver, --disable-source syscall) are accepted;
# the Stratus Red Team records replayed from a folder raise alerts; and all of it runs as
# an unprivileged user (when the test runs as root, the run is repeated as nobody).
# Usage: cli_test.sh BUILD_DIR SOURCE_DIR TESTDATA_DIR
set -uo pipefail
BUILD=$1 REPO=$2 DATA=$3
SAKER=$BUILD/bin/saker
CONF=$REPO/config/cloudtrail.yaml
STRATUS=$DATA/cloudtrail/stratus-red-team
tmp=$(mktemp -d /tmp/saker-ct-cli-XXXXXX)
chmod 755 "$tmp"
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

# Validation: zero errors and zero warnings, in text and in Falco's JSON.
check "upstream rules -V" 0 "aws_cloudtrail_rules.yaml: Ok$" -- \
  "$SAKER" -c "$CONF" -V "$DATA/rules/aws_cloudtrail_rules.yaml"
check "upstream rules -V json" 0 '"successful":true,"schema_valid":"none","schema_warnings":\[\],"errors":\[\],"warnings":\[\]' -- \
  "$SAKER" -c "$CONF" -o json_output=true -V "$DATA/rules/aws_cloudtrail_rules.yaml"
check "own rules -V" 0 "aws_cloudtrail_rules.yaml: Ok$" -- \
  "$SAKER" -c "$CONF" -V "$REPO/rules/aws_cloudtrail_rules.yaml"
check "own rules -V json" 0 '"errors":\[\],"warnings":\[\]' -- \
  "$SAKER" -c "$CONF" -o json_output=true -V "$REPO/rules/aws_cloudtrail_rules.yaml"
check "fields listed" 0 "^ct.user.identitytype$" -- "$SAKER" -c "$CONF" --list=aws_cloudtrail -N

run=("$SAKER" -c "$CONF" -r "$REPO/rules/aws_cloudtrail_rules.yaml"
     -o "plugins[0].open_params=$STRATUS" -o json_output=true -o log_level=info)
# The cloud-only configuration: no syscall source, alerts from the records.
check "cloud-only run" 0 '"rule":"CloudTrail logging stopped"' -- "${run[@]}"
check "nodriver said" 0 "syscall source is not loaded" -- "${run[@]}"
check "310 records" 0 "stopped: 310 events" -- "${run[@]}"
# Falco users' habits: --disable-source syscall and -o engine.kind=nodriver.
check "--disable-source syscall" 0 '"rule":"Console sign-in without MFA"' -- \
  "${run[@]}" --disable-source syscall
check "-o engine.kind=nodriver" 0 "stopped: 310 events" -- "${run[@]}" -o engine.kind=nodriver
check "upstream rules run" 0 '"rule":"CloudTrail Logging Disabled"' -- \
  "$SAKER" -c "$CONF" -r "$DATA/rules/aws_cloudtrail_rules.yaml" \
  -o "plugins[0].open_params=$STRATUS" -o json_output=true
check "a missing folder is named" 1 "no such file or folder" -- \
  "$SAKER" -c "$CONF" -r "$REPO/rules/aws_cloudtrail_rules.yaml" -o "plugins[0].open_params=/nonexistent/logs"

# Not as root: the same run as an unprivileged user.
if [ "$(id -u)" -eq 0 ]; then
  as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  check "runs as nobody" 0 '"rule":"CloudTrail logging stopped"' -- "${as_nobody[@]}" "${run[@]}"
  check "nobody is not root" 0 "^65534$" -- "${as_nobody[@]}" id -u
else
  check "runs unprivileged" 0 '"rule":"CloudTrail logging stopped"' -- "${run[@]}"
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
