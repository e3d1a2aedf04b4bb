#!/usr/bin/env bash
# Shared by the container plugin's end-to-end tests: podman with runc and no registry, as
# ../shared/design/REAL-COMPONENTS.md describes this machine. Source it, then call
# podman_setup (idempotent) and podman_cleanup (from a trap).
#   PODMAN           podman with runc and the test's own storage
#   SAKER_TEST_IMAGE a local image built from busybox-static (podman import, nothing pulled)
#   PODMAN_SOCK      a compat API socket served by `podman system service` (podman_serve)

PODMAN_ROOT=${PODMAN_ROOT:-/var/tmp/saker-podman}
PODMAN="podman --runtime /usr/sbin/runc --root $PODMAN_ROOT/storage --runroot $PODMAN_ROOT/run --cgroup-manager cgroupfs --events-backend file"
SAKER_TEST_IMAGE=${SAKER_TEST_IMAGE:-localhost/saker-busybox:e2e}
PODMAN_SOCK=${PODMAN_SOCK:-$PODMAN_ROOT/podman.sock}
PODMAN_SERVICE_PID=

podman_setup() {
  command -v podman >/dev/null && [ -x /usr/sbin/runc ] && [ -x /bin/busybox ] || {
    echo "SKIP: podman, runc or busybox-static missing (scripts/install-deps.sh)"; return 77; }
  # The machine cannot raise RLIMIT_NOFILE: no default ulimits for containers.
  if ! grep -qs '^default_ulimits *= *\[\]' /etc/containers/containers.conf; then
    mkdir -p /etc/containers
    printf '[containers]\ndefault_ulimits = []\n' >>/etc/containers/containers.conf
  fi
  mkdir -p "$PODMAN_ROOT"
  if ! $PODMAN image exists "$SAKER_TEST_IMAGE"; then
    local rootfs
    rootfs=$(mktemp -d /tmp/saker-rootfs-XXXXXX)
    mkdir -p "$rootfs"/{bin,etc,tmp,proc,sys,dev,root}
    cp /bin/busybox "$rootfs/bin/busybox"
    for a in $(/bin/busybox --list); do
      [ "$a" = busybox ] || ln -sf busybox "$rootfs/bin/$a"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$rootfs/etc/passwd"
    tar -C "$rootfs" -cf "$rootfs.tar" .
    $PODMAN import -q --change "ENV PATH=/bin" --change "CMD [\"/bin/sh\"]" \
      "$rootfs.tar" "$SAKER_TEST_IMAGE" >/dev/null
    rm -rf "$rootfs" "$rootfs.tar"
  fi
}

# Serves the Docker-compatible API on $PODMAN_SOCK until podman_cleanup.
podman_serve() {
  rm -f "$PODMAN_SOCK"
  $PODMAN system service --time=0 "unix://$PODMAN_SOCK" >/dev/null 2>&1 &
  PODMAN_SERVICE_PID=$!
  for _ in $(seq 1 100); do [ -S "$PODMAN_SOCK" ] && return 0; sleep 0.1; done
  echo "podman system service did not create $PODMAN_SOCK"; return 1
}

podman_cleanup() {
  $PODMAN rm -f -t 0 -a >/dev/null 2>&1 || true
  if [ -n "$PODMAN_SERVICE_PID" ]; then kill "$PODMAN_SERVICE_PID" 2>/dev/null; wait "$PODMAN_SERVICE_PID" 2>/dev/null; fi
  rm -f "$PODMAN_SOCK"
  if [ "${SAKER_KEEP_IMAGE:-0}" != 1 ]; then $PODMAN rmi -f "$SAKER_TEST_IMAGE" >/dev/null 2>&1 || true; fi
  # podman bind-mounts its overlay storage onto itself, and a container's exit starts a
  # `podman container cleanup` (from conmon) that can mount it again after the first pass:
  # stop what still runs on this root, then unmount, until neither is left
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pkill -KILL -f -- "$PODMAN_ROOT/" 2>/dev/null
    local mounts
    mounts=$(awk -v r="$PODMAN_ROOT/" 'index($2, r) == 1 {print $2}' /proc/mounts | sort -r)
    [ -z "$mounts" ] && ! pgrep -f -- "$PODMAN_ROOT/" >/dev/null && break
    for m in $mounts; do umount -l "$m" 2>/dev/null; done
    sleep 0.2
  done
}
