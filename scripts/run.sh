#!/usr/bin/env bash
# Set up and run saker's main job: live detection with the default configuration
# (config/saker.yaml) and the default rules. Run as root. Extra arguments go to saker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
exec build/bin/saker -c config/saker.yaml "$@"
