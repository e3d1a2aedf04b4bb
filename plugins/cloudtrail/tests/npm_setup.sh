#!/usr/bin/env bash
# Installs the S3 and SQS servers the cloudtrail tests run on loopback, from the npm
# registry, into a cache folder of the build tree (never the source tree):
#   s3rver  - an S3 server (ListObjectsV2 with continuation tokens, GetObject with ranges, PUT)
#   fauxqs  - an SQS server (JSON protocol) with visibility timeouts and long polling;
#             sqslite (REAL-COMPONENTS.md) never makes a received message visible again,
#             ignores WaitTimeSeconds and gives one receipt handle to a whole batch, so a
#             competing-consumer test cannot run on it.
# Usage: npm_setup.sh CACHE_DIR. Exit 0: ready; 77: the npm registry is unreachable (the
# tests that need the servers skip, saying so); anything else: a real failure.
set -uo pipefail
DIR=$1
S3RVER=3.7.1 FAUXQS=2.4.1
ready() {
  [ -f "$DIR/node_modules/s3rver/package.json" ] && [ -f "$DIR/node_modules/fauxqs/package.json" ] &&
    grep -q "\"version\": \"$S3RVER\"" "$DIR/node_modules/s3rver/package.json" &&
    grep -q "\"version\": \"$FAUXQS\"" "$DIR/node_modules/fauxqs/package.json"
}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "npm_setup: node and npm are needed (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
ready && exit 0
mkdir -p "$DIR"
exec 9>"$DIR/.lock"
flock 9
ready && exit 0
[ -f "$DIR/package.json" ] || echo '{"name":"saker-cloudtrail-test-servers","private":true}' >"$DIR/package.json"
if ! out=$(cd "$DIR" && timeout 300 npm install --no-audit --no-fund --loglevel=error \
      "s3rver@$S3RVER" "fauxqs@$FAUXQS" 2>&1); then
  if ! (cd "$DIR" && timeout 30 npm ping >/dev/null 2>&1); then
    echo "SKIP: the npm registry is unreachable, so s3rver and fauxqs cannot be installed:" >&2
    echo "$out" | tail -3 >&2
    exit 77
  fi
  echo "npm_setup: npm install failed:" >&2
  echo "$out" >&2
  exit 1
fi
ready || { echo "npm_setup: packages missing after install" >&2; exit 1; }
