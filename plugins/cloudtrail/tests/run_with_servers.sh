#!/usr/bin/env bash
# Runs a cloudtrail test binary that needs the npm servers (s3rver, fauxqs): installs
# them first (npm_setup.sh); exits 77 (ctest: skipped) only when the npm registry cannot
# be reached, saying so.
# Usage: run_with_servers.sh NPM_CACHE_DIR TEST_BINARY [doctest args...]
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
shift
bash "$here/npm_setup.sh" "$cache"
rc=$?
if [ $rc -eq 77 ]; then
  echo "SKIPPED: $(basename "$1"): s3rver/fauxqs could not be installed (npm registry unreachable)"
  exit 77
fi
[ $rc -eq 0 ] || exit $rc
exec "$@"
