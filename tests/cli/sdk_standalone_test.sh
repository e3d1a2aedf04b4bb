#!/usr/bin/env bash
# The SDK's example plugin builds against the INSTALLED headers alone (as a third party
# would), and the saker binary loads the result and lists its fields.
set -euo pipefail
BUILD=$1 SRC=$2
tmp=$(mktemp -d /tmp/saker-sdk-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$BUILD" --prefix "$tmp/prefix" >/dev/null
cmake -S "$SRC/sdk/examples" -B "$tmp/build" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
cmake --build "$tmp/build" >/dev/null
test -f "$tmp/build/libexample.so"
cat > "$tmp/saker.yaml" <<YAML
plugins:
  - name: ext
    library_path: $tmp/build/libexample.so
load_plugins: [ext]
log_level: error
YAML
out=$("$BUILD/bin/saker" -c "$tmp/saker.yaml" --list=example -N)
echo "$out"
grep -qx "example.word" <<<"$out"
grep -qx "example.n" <<<"$out"
echo "standalone SDK example: OK"
