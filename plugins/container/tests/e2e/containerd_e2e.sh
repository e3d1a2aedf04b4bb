#!/usr/bin/env bash
# End to end with a real containerd (Debian's 1.6, runc): its own root, state, socket and
# config under a temporary folder; an image imported from a local busybox-static root
# filesystem (nothing pulled). The plugin's runtime worker (through containerd_probe, $1)
# must find:
#   * a `ctr run --privileged` container with labels and a read-only bind mount: its cgroup
#     names it (type containerd), containerd's API gives image, image digest, labels,
#     privileged=true, the mount; a normal container with host networking: privileged=false,
#     host_network=true; this shell: host;
#   * over the CRI (containerd's CRI plugin; a pod and a container made by cri_pod, $2, as
#     kubelet would, host network, a locally made pause image): name, image, labels, mounts,
#     privileged, and the pod's name, namespace, uid and labels from its sandbox;
#   * with the event stream: a container started later is published with no lookup asked;
#     containerd stopped: the worker says so, the event path stays fast; containerd back:
#     the next container started is published again (recovery).
# Everything it started (tasks, containers, shims, containerd, mounts, folders) is removed
# at exit, also on failure. Exit 77: skipped.
set -uo pipefail
PROBE=$1
CRI_POD=$2
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (containerd)"; exit 77; }
for b in containerd ctr runc; do
  command -v $b >/dev/null || { echo "SKIP: $b not installed (scripts/install-deps.sh)"; exit 77; }
done
BUSYBOX=$(command -v busybox) || { echo "SKIP: busybox-static not installed"; exit 77; }

T=$(mktemp -d /tmp/saker-ctrd-e2e-XXXXXX)
SOCK=$T/containerd.sock
CTR="ctr -a $SOCK -n default"
CTRD_PID=
WATCH_PID=
POD=
cleanup() {
  [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null && wait "$WATCH_PID" 2>/dev/null
  if [ -n "$CTRD_PID" ] && kill -0 "$CTRD_PID" 2>/dev/null; then
    [ -n "$POD" ] && "$CRI_POD" "$SOCK" rm-pod "$POD" >/dev/null 2>&1
    for ns in default k8s.io; do
      for c in $(ctr -a "$SOCK" -n $ns c ls -q 2>/dev/null); do
        ctr -a "$SOCK" -n $ns t kill -s KILL "$c" >/dev/null 2>&1
        for _ in 1 2 3 4 5 6 7 8 9 10; do
          ctr -a "$SOCK" -n $ns t rm "$c" >/dev/null 2>&1 && break
          sleep 0.2
        done
        ctr -a "$SOCK" -n $ns c rm "$c" >/dev/null 2>&1
      done
    done
    kill "$CTRD_PID"; wait "$CTRD_PID" 2>/dev/null
  fi
  # Shims this containerd started (their command lines name our folder), if any survived.
  for p in $(pgrep -f -- "$T/" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  grep -o " $T[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m"; done
  rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; echo "--- containerd log"; tail -15 "$T/containerd.log"; exit 1; }

start_containerd() {
  containerd --config "$T/config.toml" >>"$T/containerd.log" 2>&1 &
  CTRD_PID=$!
  for _ in $(seq 100); do
    [ -S "$SOCK" ] && $CTR version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "containerd did not start"
}

cat >"$T/config.toml" <<TOML
version = 2
root = "$T/root"
state = "$T/state"
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = "$SOCK.debug"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/saker-pause:1"
  # Pods get oom_score_adj -998, which needs CAP_SYS_RESOURCE (not granted here): keep ours.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$T/cni/bin"
    conf_dir = "$T/cni/conf"
TOML

# OCI image archives from a busybox root filesystem: one layer, config, manifest, and the
# layout's index naming the image; make_index_image puts an image index (this machine's
# platform and another) between the name and the manifests, as registries serve them.
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
OTHER_ARCH=arm64; [ "$ARCH" = arm64 ] && OTHER_ARCH=amd64
add_blob() {  # add_blob FILE -> BLOB (sha256:hex) and BLOB_SIZE; copied into the layout
  local h; h=$(sha256sum "$1" | cut -d' ' -f1)
  BLOB=sha256:$h; BLOB_SIZE=$(stat -c%s "$1")
  cp "$1" "$T/img/oci/blobs/sha256/$h"
}
start_layout() {  # the layer (in LAYER, LAYER_SIZE)
  local d=$T/img
  rm -rf "$d"; mkdir -p "$d/rootfs/bin" "$d/oci/blobs/sha256"
  cp "$BUSYBOX" "$d/rootfs/bin/busybox"
  for a in sh sleep cat ls; do ln -s busybox "$d/rootfs/bin/$a"; done
  tar -C "$d/rootfs" -cf "$d/layer.tar" .
  add_blob "$d/layer.tar"; LAYER=$BLOB; LAYER_SIZE=$BLOB_SIZE
  echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci/oci-layout"
}
add_manifest() {  # add_manifest ARCH [CMD as JSON] -> MANIFEST, MANIFEST_SIZE, CONFIG
  local d=$T/img
  printf '{"architecture":"%s","os":"linux","config":{"Cmd":%s,"Labels":{"org.saker.image":"busybox"}},"rootfs":{"type":"layers","diff_ids":["%s"]}}' "$1" "${2:-[\"/bin/sh\"]}" "$LAYER" >"$d/config.json"
  add_blob "$d/config.json"; CONFIG=$BLOB
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' "$CONFIG" "$BLOB_SIZE" "$LAYER" "$LAYER_SIZE" >"$d/manifest.json"
  add_blob "$d/manifest.json"; MANIFEST=$BLOB; MANIFEST_SIZE=$BLOB_SIZE
}
finish_layout() {  # finish_layout NAME MEDIA_TYPE DIGEST SIZE -> $T/image.tar
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"%s","digest":"%s","size":%s,"annotations":{"io.containerd.image.name":"%s"}}]}' "$2" "$3" "$4" "$1" >"$T/img/oci/index.json"
  tar -C "$T/img/oci" -cf "$T/image.tar" .
}
make_image() {  # make_image NAME:TAG [CMD as JSON]
  start_layout
  add_manifest "$ARCH" "${2:-}"
  finish_layout "$1" application/vnd.oci.image.manifest.v1+json "$MANIFEST" "$MANIFEST_SIZE"
}
make_index_image() {  # make_index_image NAME:TAG -> INDEX, INDEX_CONFIG (this platform's)
  local other other_size
  start_layout
  add_manifest "$OTHER_ARCH"; other=$MANIFEST; other_size=$MANIFEST_SIZE
  add_manifest "$ARCH" '["/bin/sleep","1"]'; INDEX_CONFIG=$CONFIG  # not the other image's
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"platform":{"architecture":"%s","os":"linux"}}]}' "$other" "$other_size" "$OTHER_ARCH" "$MANIFEST" "$MANIFEST_SIZE" "$ARCH" >"$T/img/index-blob.json"
  add_blob "$T/img/index-blob.json"; INDEX=$BLOB
  finish_layout "$1" application/vnd.oci.image.index.v1+json "$INDEX" "$BLOB_SIZE"
}
# What containerd itself says an image's config is: its target in the image store, read
# from the content store (following an index to this platform's manifest).
config_of() {  # config_of NAMESPACE IMAGE -> sha256:...
  local target
  target=$(ctr -a "$SOCK" -n "$1" images ls | awk -v n="$2" '$1 == n {print $3}')
  ctr -a "$SOCK" -n "$1" content get "$target" | python3 -c '
import json, subprocess, sys
blob = json.load(sys.stdin)
if "manifests" in blob:
    m = [d for d in blob["manifests"] if d["platform"]["architecture"] == sys.argv[3]][0]
    blob = json.loads(subprocess.run(["ctr", "-a", sys.argv[1], "-n", sys.argv[2], "content",
                                      "get", m["digest"]], capture_output=True).stdout)
print(blob["config"]["digest"])' "$SOCK" "$1" "$ARCH"
}

start_containerd
# The pause image the CRI plugin starts pods with, and the test image, for ctr (default)
# and the CRI (k8s.io).
make_image localhost/saker-pause:1 '["/bin/sleep","100000"]'
ctr -a "$SOCK" -n k8s.io images import "$T/image.tar" >/dev/null || fail "import pause image"
IMAGE=localhost/saker-ctrd-test:1
make_image "$IMAGE"
IMAGE_DIGEST=$MANIFEST
$CTR images import "$T/image.tar" >/dev/null || fail "ctr images import"
ctr -a "$SOCK" -n k8s.io images import "$T/image.tar" >/dev/null || fail "import (k8s.io)"
# container.image.id: the config's digest without "sha256:", as containerd has it.
IMAGE_ID=$(config_of default "$IMAGE")
echo "image $IMAGE: manifest $IMAGE_DIGEST, config $IMAGE_ID (containerd's content store)"
[ "$IMAGE_ID" = "$CONFIG" ] || fail "containerd's config digest $IMAGE_ID != the one imported"
IMAGE_ID=${IMAGE_ID#sha256:}
# An image whose target is an index (two platforms).
MULTI=localhost/saker-ctrd-multi:1
make_index_image "$MULTI"
$CTR images import "$T/image.tar" >/dev/null || fail "ctr images import (index)"
MULTI_ID=$(config_of default "$MULTI")
echo "image $MULTI: index $INDEX, config for $ARCH $MULTI_ID (containerd's content store)"
[ "$MULTI_ID" = "$INDEX_CONFIG" ] || fail "containerd's config digest $MULTI_ID != the one imported"
MULTI_ID=${MULTI_ID#sha256:}

# Container ids as kubelet's and docker's: 64 hex digits (the cgroup is /default/<id>).
hexid() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
PRIV=$(hexid); PLAIN=$(hexid)
mkdir -p "$T/hostdata"
$CTR run -d --privileged --label team=blue --label app=saker-e2e \
  --mount "type=bind,src=$T/hostdata,dst=/hostdata,options=rbind:ro" \
  "$IMAGE" "$PRIV" /bin/sleep 300 >/dev/null || fail "ctr run --privileged"
$CTR run -d --net-host "$MULTI" "$PLAIN" /bin/sleep 300 >/dev/null || fail "ctr run --net-host"
pid_of() { $CTR t ls | awk -v id="$1" '$1 == id {print $2}'; }
PRIV_PID=$(pid_of "$PRIV")
echo "containers: privileged=${PRIV:0:12} (pid $PRIV_PID) plain=${PLAIN:0:12}"

# 1. cgroups: the container's process is in it (containerd), this shell is on the host.
got=$("$PROBE" cgroup "$PRIV_PID"); echo "cgroup of the container's process: $got"
[ "$got" = "$PRIV containerd" ] || fail "cgroup: $got"
got=$("$PROBE" cgroup $$); echo "cgroup of this shell: $got"
[ "$got" = "host" ] || fail "host process: $got"

# The worker's answer from engine $1 about container $2, into file $3; what it logged goes
# to probe.err.
probe_inspect() {
  "$PROBE" inspect "$1" "$SOCK" "$2" >"$3" 2>>"$T/probe.err" || fail "no $1 metadata for $2"
}
# Nothing of the runtime's answers went unread (image, manifest, index, config): the worker
# logged nothing but its connection. The log is emptied for the next round.
no_worker_problems() {
  problems=$(grep -v ': connected to the ' "$T/probe.err")
  [ -z "$problems" ] || fail "the worker reported: $problems"
  : >"$T/probe.err"
}

# 2. containerd's API through the worker.
: >"$T/probe.err"
probe_inspect containerd "$PRIV" "$T/priv.json"
probe_inspect containerd "$PLAIN" "$T/plain.json"
no_worker_problems
python3 - "$T/priv.json" "$T/plain.json" "$IMAGE" "$IMAGE_DIGEST" "$T/hostdata" "$IMAGE_ID" \
  "$MULTI" "$INDEX" "$MULTI_ID" <<'PY' || fail "metadata checks"
import json, sys
priv, plain = (json.load(open(p)) for p in sys.argv[1:3])
image, digest, hostdata, image_id, multi, index, multi_id = sys.argv[3:10]
print("privileged container:", json.dumps({k: priv[k] for k in (
    "type", "name", "image", "image_repository", "image_tag", "image_digest", "image_id",
    "privileged", "host_network", "mounts", "labels")}))
print("plain container:", json.dumps({k: plain[k] for k in (
    "image", "image_digest", "image_id", "privileged", "host_pid", "host_network", "host_ipc")}))
errors = []
def expect(what, got, want):
    if got != want: errors.append(f"{what}: {got!r} != {want!r}")
expect("type", priv["type"], "containerd")
expect("image", priv["image"], image)
expect("repository", priv["image_repository"], "localhost/saker-ctrd-test")
expect("tag", priv["image_tag"], "1")
expect("digest", priv["image_digest"], digest)
expect("image id (config digest)", priv["image_id"], image_id)
expect("privileged", priv["privileged"], True)
expect("label team", priv["labels"].get("team"), "blue")
expect("label app", priv["labels"].get("app"), "saker-e2e")
expect("image label", priv["labels"].get("org.saker.image"), "busybox")
expect("mounts", [(m["source"], m["dest"], m["rdwr"]) for m in priv["mounts"]],
       [(hostdata, "/hostdata", False)])
expect("host_network (privileged)", priv["host_network"], False)
expect("created_ts set", priv["created_ts"] > 0, True)
expect("plain image (an index)", plain["image"], multi)
expect("plain digest (the index's)", plain["image_digest"], index)
expect("plain image id (this platform's config)", plain["image_id"], multi_id)
expect("plain privileged", plain["privileged"], False)
expect("plain host_network", plain["host_network"], True)
expect("plain host_pid", plain["host_pid"], False)
for e in errors: print("  " + e)
sys.exit(1 if errors else 0)
PY
# An id containerd does not know: no metadata (the worker retries later), exit 3.
"$PROBE" inspect containerd "$SOCK" "$(hexid)" >/dev/null; rc=$?
[ $rc -eq 3 ] || fail "unknown container: exit $rc"

# 2b. The CRI: a pod and a privileged container in it, made as kubelet would (from the
# image's id).
POD_UID=$(hexid | head -c 32)
POD=$("$CRI_POD" "$SOCK" run-pod saker-pod saker-ns "$POD_UID" 2>"$T/cri.err") ||
  fail "RunPodSandbox: $(cat "$T/cri.err")"
CRI_CTR=$("$CRI_POD" "$SOCK" run saker-pod saker-ns "$POD_UID" "$POD" app "sha256:$IMAGE_ID" 1 \
  "$T/hostdata" /hostdata 2>"$T/cri.err") || fail "CreateContainer: $(cat "$T/cri.err")"
echo "CRI: pod ${POD:0:12}, container ${CRI_CTR:0:12}"
CRI_PID=$(ctr -a "$SOCK" -n k8s.io t ls | awk -v id="$CRI_CTR" '$1 == id {print $2}')
got=$("$PROBE" cgroup "$CRI_PID"); echo "cgroup of the CRI container's process: $got"
[ "$got" = "$CRI_CTR containerd" ] || fail "cgroup (CRI): $got"
probe_inspect cri "$CRI_CTR" "$T/cri.json"
probe_inspect containerd "$CRI_CTR" "$T/cri-native.json"
no_worker_problems
ctr -a "$SOCK" -n k8s.io c info --spec "$CRI_CTR" >"$T/cri-spec.json"
spec_namespaces() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["linux"]["namespaces"])' "$1"
}
python3 - "$T/cri.json" "$T/cri-native.json" "$IMAGE" "$T/hostdata" "$POD" "$POD_UID" "$IMAGE_ID" <<'PY' || fail "CRI checks (the spec's namespaces: $(spec_namespaces "$T/cri-spec.json"))"
import json, sys
cri, native = (json.load(open(p)) for p in sys.argv[1:3])
image, hostdata, pod, uid, image_id = sys.argv[3:8]
keys = ("type", "name", "image", "image_id", "privileged", "mounts", "labels", "pod_name",
        "pod_namespace", "pod_uid", "sandbox_id", "pod_labels", "host_network", "cni_json")
print("CRI ContainerStatus:", json.dumps({k: cri[k] for k in keys}))
print("containerd (k8s.io) for the same container:",
      json.dumps({k: native[k] for k in ("name", "image_id", "privileged", "pod_name",
                                         "pod_namespace")}))
errors = []
def expect(what, got, want):
    if got != want: errors.append(f"{what}: {got!r} != {want!r}")
expect("type", cri["type"], "containerd")
expect("name", cri["name"], "app")
expect("image", cri["image"], image)
expect("image id (config digest)", cri["image_id"], image_id)
# The pod's CNI result: whatever containerd gives (a host-network pod has none here: no CNI
# plugins), always valid JSON when not empty.
if "cni_json" not in cri:
    errors.append("no cni_json")
elif cri["cni_json"]:
    try:
        json.loads(cri["cni_json"])
    except ValueError as e:
        errors.append(f"cni_json is not JSON ({e}): {cri['cni_json']!r}")
expect("privileged", cri["privileged"], True)
expect("mounts", [(m["source"], m["dest"], m["rdwr"]) for m in cri["mounts"]],
       [(hostdata, "/hostdata", False)])
expect("label team", cri["labels"].get("team"), "blue")
expect("pod name", cri["pod_name"], "saker-pod")
expect("pod namespace", cri["pod_namespace"], "saker-ns")
expect("pod uid", cri["pod_uid"], uid)
expect("sandbox", cri["sandbox_id"], pod)
expect("pod label app", cri["pod_labels"].get("app"), "saker-e2e")
expect("host network", cri["host_network"], True)
expect("native name", native["name"], "app")
expect("native privileged", native["privileged"], True)
expect("native image id", native["image_id"], image_id)
expect("native pod name", native["pod_name"], "saker-pod")
expect("native pod namespace", native["pod_namespace"], "saker-ns")
for e in errors: print("  " + e)
sys.exit(1 if errors else 0)
PY
"$CRI_POD" "$SOCK" rm-pod "$POD" 2>"$T/cri.err" || fail "RemovePodSandbox: $(cat "$T/cri.err")"
POD=

# 3. The event stream, an outage and the recovery.
"$PROBE" watch "$SOCK" 14 >"$T/watch.log" 2>&1 &
WATCH_PID=$!
for _ in $(seq 50); do grep -q "^ready" "$T/watch.log" 2>/dev/null && break; sleep 0.1; done
sleep 1.5  # connected, running containers listed
LATE=$(hexid)
$CTR run -d "$IMAGE" "$LATE" /bin/sleep 300 >/dev/null || fail "ctr run (late)"
sleep 1.5
$CTR t kill -s KILL "$LATE" >/dev/null; sleep 1.5
kill "$CTRD_PID"; wait "$CTRD_PID" 2>/dev/null; CTRD_PID=
sleep 3  # containerd away: the worker notices, the event path goes on
start_containerd
sleep 2.5  # the stream reconnects (back-off 500 ms)
AFTER=$(hexid)
$CTR run -d "$IMAGE" "$AFTER" /bin/sleep 300 >/dev/null || fail "ctr run (after the outage)"
wait "$WATCH_PID"; WATCH_PID=
sed 's/^/watch: /' "$T/watch.log"
grep -q "^published $PRIV " "$T/watch.log" || fail "running container not listed at connection"
grep -q "^published $LATE " "$T/watch.log" || fail "container started later not published"
grep -q "^exited $LATE" "$T/watch.log" || fail "exit of $LATE not seen"
grep -q "does not answer" "$T/watch.log" || fail "the outage was not reported"
grep -q "^published $AFTER " "$T/watch.log" || fail "no recovery after containerd came back"
worst=$(awk '/^worst_event_path_us/ {print $2}' "$T/watch.log")
awk -v w="$worst" 'BEGIN {exit !(w < 50000)}' || fail "event path waited: worst $worst us"
echo "PASS: containerd metadata, event stream, outage and recovery (worst event-path call $worst us)"
