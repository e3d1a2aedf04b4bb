// Image manifest / index -> config digest (see image_manifest.h).
#include "image_manifest.h"

#include <nlohmann/json.hpp>

namespace saker::container {
namespace {

using Json = nlohmann::json;

std::string text(const Json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_sha256_digest(std::string_view d) {
  constexpr std::string_view kAlg = "sha256:";
  if (!d.starts_with(kAlg) || d.size() != kAlg.size() + 64) return false;
  for (char c : d.substr(kAlg.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

ManifestStep fail(std::string msg) {
  ManifestStep s;
  s.error = std::move(msg);
  return s;
}

// The next step named by descriptor `d` (a sha256 digest and its media type), or, when its
// digest is not sha256:<64 hex>, the failure "`subject` is not sha256:<64 hex> ('...')".
ManifestStep step_to(const Json& d, const std::string& subject, bool is_config) {
  const std::string digest = text(d, "digest");
  if (!is_sha256_digest(digest)) {
    return fail(subject + " is not sha256:<64 hex> ('" + digest.substr(0, 80) + "')");
  }
  ManifestStep s;
  s.is_config = is_config;
  s.next = digest;
  s.next_media_type = text(d, "mediaType");
  return s;
}

bool platform_matches(const Json& p, const Platform& want) {
  if (text(p, "os") != want.os || text(p, "architecture") != want.architecture) return false;
  const std::string variant = text(p, "variant");
  return want.variant.empty() || variant.empty() || variant == want.variant;
}

ManifestStep from_manifest(const Json& m) {
  const Json* config = m.contains("config") ? &m["config"] : nullptr;
  if (config == nullptr || !config->is_object()) return fail("the image manifest has no config");
  return step_to(*config, "the image manifest's config digest", true);
}

ManifestStep from_index(const Json& idx, const Platform& want) {
  const Json* list = idx.contains("manifests") ? &idx["manifests"] : nullptr;
  if (list == nullptr || !list->is_array()) return fail("the image index has no manifests");
  const Json* chosen = nullptr;
  for (const auto& d : *list) {
    if (d.is_object() && d.contains("platform") && platform_matches(d["platform"], want)) {
      chosen = &d;
      break;
    }
  }
  // An index of one manifest that names no platform (a single-platform image's layout).
  if (chosen == nullptr && list->size() == 1 && (*list)[0].is_object() &&
      !(*list)[0].contains("platform")) {
    chosen = &(*list)[0];
  }
  if (chosen == nullptr) {
    return fail("the image index has no manifest for " + want.os + "/" + want.architecture +
                (want.variant.empty() ? "" : "/" + want.variant));
  }
  return step_to(*chosen, "the image index names a manifest digest that", false);
}

}  // namespace

Platform host_platform() {
  Platform p;
#if defined(__x86_64__)
  p.architecture = "amd64";
#elif defined(__aarch64__)
  p.architecture = "arm64";
#elif defined(__arm__)
  p.architecture = "arm";
  p.variant = "v7";
#elif defined(__i386__)
  p.architecture = "386";
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  p.architecture = "ppc64le";
#elif defined(__s390x__)
  p.architecture = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  p.architecture = "riscv64";
#else
  p.architecture = "unknown";
#endif
  return p;
}

bool is_index_media_type(std::string_view t) {
  return t == "application/vnd.oci.image.index.v1+json" ||
         t == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool is_manifest_media_type(std::string_view t) {
  return t == "application/vnd.oci.image.manifest.v1+json" ||
         t == "application/vnd.docker.distribution.manifest.v2+json";
}

ManifestStep read_manifest_blob(std::string_view blob, std::string_view media_type,
                                const Platform& platform) {
  if (blob.size() > kMaxManifestBytes) {
    return fail("the image manifest is too large (" + std::to_string(blob.size()) + " bytes)");
  }
  const Json j = Json::parse(blob, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return fail("the image manifest is not a JSON object");
  std::string type(media_type);
  if (!is_index_media_type(type) && !is_manifest_media_type(type)) type = text(j, "mediaType");
  if (is_index_media_type(type)) return from_index(j, platform);
  if (is_manifest_media_type(type)) return from_manifest(j);
  // No (known) media type: an OCI blob may omit it; its shape tells.
  if (j.contains("manifests")) return from_index(j, platform);
  if (j.contains("config")) return from_manifest(j);
  return fail("the image target is neither a manifest nor an index (media type '" +
              type.substr(0, 80) + "')");
}

std::string image_id_from_digest(std::string_view digest) {
  return is_sha256_digest(digest) ? std::string(digest.substr(7)) : std::string();
}

}  // namespace saker::container
