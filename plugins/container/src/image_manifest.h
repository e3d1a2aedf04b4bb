// From an image's target descriptor to its config digest (container.image.id), for runtimes
// whose image record names a manifest or an index rather than the config (containerd's
// Images service). Pure functions over the blobs' JSON; the gRPC client fetches the blobs
// from the content store and follows the steps:
//
//   target = index (OCI image index, Docker manifest list)
//            -> the manifest for this machine's platform (linux/<arch>[/<variant>]); an
//               index of one manifest that names no platform gives that one
//   target = manifest (OCI image manifest, Docker schema 2)
//            -> config.digest: "sha256:<64 hex>"; the image id is the hex part, as Docker's
//               image ids and Falco's container.image.id are written.
//
// Bad input (not JSON, no config, a digest that is not sha256:<hex>, no manifest for this
// platform) is reported with a message, never thrown.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace saker::container {

// A blob larger than this is not a manifest (real ones are a few KB).
inline constexpr size_t kMaxManifestBytes = 4u << 20;
// index -> (index ->) manifest: more hops than this is refused.
inline constexpr int kMaxManifestHops = 3;

struct Platform {
  std::string os = "linux";
  std::string architecture;  // OCI names: amd64, arm64, arm, 386, ppc64le, s390x, riscv64
  std::string variant;       // "v7" on 32-bit arm, empty when it does not matter
};

// The platform this binary was built for (linux/amd64 on x86-64).
Platform host_platform();

bool is_index_media_type(std::string_view media_type);
bool is_manifest_media_type(std::string_view media_type);

// One step. `media_type` is the descriptor's (may be empty: the blob's own mediaType, else
// its shape, decides). On success `next` is the config digest (is_config) or the chosen
// manifest's digest, and error is empty.
struct ManifestStep {
  bool is_config = false;
  std::string next;
  std::string next_media_type;
  std::string error;
  bool ok() const { return error.empty(); }
};
ManifestStep read_manifest_blob(std::string_view blob, std::string_view media_type,
                                const Platform& platform);

// "sha256:<64 hex>" -> the hex; empty when `digest` is not of that form.
std::string image_id_from_digest(std::string_view digest);

}  // namespace saker::container
