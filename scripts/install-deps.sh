#!/usr/bin/env bash
# Install every build and test dependency of saker from Debian's packages.
# Idempotent and quiet when everything is already installed. Recommends are skipped
# (sysdig, used as a second opinion on scap captures, then needs no kernel module).
# podman, runc and busybox-static run the container plugin's end-to-end test (its script
# adds `default_ulimits = []` to /etc/containers/containers.conf; see REAL-COMPONENTS.md).
# gRPC + protobuf build the container plugin's containerd/CRI client; containerd (with ctr)
# runs its end-to-end test against a real containerd.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang
  libboost-dev libyaml-cpp-dev nlohmann-json3-dev libre2-dev doctest-dev
  libbpf-dev bpftool libcurl4-openssl-dev libssl-dev zlib1g-dev libcpp-httplib-dev
  libclang-rt-14-dev openssl clang-19
  sysdig
  podman runc busybox-static
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc containerd
  nodejs
)
# The cloudtrail tests run S3/SQS servers from the npm registry (s3rver, fauxqs); a
# nodejs without its own npm (Debian's) needs the npm package.
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
