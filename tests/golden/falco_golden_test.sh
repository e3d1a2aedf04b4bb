#!/usr/bin/env bash
# Falco compatibility on Falco's own capture: replaying cat_write.scap with Falco's test
# rules must print exactly what Falco 0.43 printed (testdata/scap/README.md): the text
# golden file with single_rule.yaml, and the JSON golden file with
# single_rule_with_tags.yaml and json_output (hostname forced, as Falco's run was).
set -euo pipefail
BUILD=$1 SRC=$2 DATA=$3/scap
tmp=$(mktemp -d /tmp/saker-golden-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export SAKER_HOSTNAME=test-falco-hostname
run() {
  "$BUILD/bin/saker" -c "$SRC/config/saker.yaml" -e "$DATA/cat_write.scap" \
    -o time_format_iso_8601=true -o log_level=error "$@"
}
run -r "$DATA/single_rule.yaml" >"$tmp/out.txt"
diff -u "$DATA/single_rule_with_cat_write.txt" "$tmp/out.txt"
echo "text output: identical to Falco's ($(wc -l <"$tmp/out.txt") alerts)"
run -r "$DATA/single_rule_with_tags.yaml" -o json_output=true >"$tmp/out.json"
python3 - "$DATA/single_rule_with_cat_write.json" "$tmp/out.json" <<'PY'
import json, sys
want = [json.loads(l) for l in open(sys.argv[1])]
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(got) == len(want), f"{len(got)} alerts, Falco printed {len(want)}"
for i, (w, g) in enumerate(zip(want, got)):
    assert g == w, f"alert {i}: saker {g} != Falco {w}"
print(f"JSON output: identical to Falco's ({len(got)} alerts, every key incl. hostname)")
PY
# Byte-for-byte too: nlohmann-json sorts keys as Falco's JSON does.
diff -u "$DATA/single_rule_with_cat_write.json" "$tmp/out.json" && echo "JSON bytes: identical"
