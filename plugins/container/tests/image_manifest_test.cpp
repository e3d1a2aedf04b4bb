// Image manifest / index -> config digest: OCI and Docker schema 2 media types, a
// multi-platform index, and the answers a broken or hostile content store could give.
#include "image_manifest.h"

#include <doctest/doctest.h>

#include <string>

using namespace saker::container;

namespace {

const std::string kConfig = "sha256:" + std::string(64, 'c');
const std::string kAmd64 = "sha256:" + std::string(64, 'a');
const std::string kArm64 = "sha256:" + std::string(64, 'b');
const std::string kArmV6 = "sha256:" + std::string(64, '6');
const std::string kArmV7 = "sha256:" + std::string(64, '7');

Platform amd64() { return Platform{"linux", "amd64", ""}; }

std::string oci_manifest(const std::string& config) {
  return R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": ")" +
         config + R"(", "size": 597}, "layers": [{"mediaType":
    "application/vnd.oci.image.layer.v1.tar+gzip", "digest": "sha256:)" +
         std::string(64, 'e') + R"(", "size": 2090}]})";
}

// As registries serve them: linux/amd64, linux/arm64/v8, linux/arm/v6 and v7, and a
// build attestation (platform unknown/unknown).
std::string oci_index() {
  auto entry = [](const std::string& d, const std::string& platform) {
    return R"({"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": ")" + d +
           R"(", "size": 1035, "platform": )" + platform + "}";
  };
  return R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
    "manifests": [)" +
         entry("sha256:" + std::string(64, 'f'),
               R"({"architecture": "unknown", "os": "unknown"})") +
         "," + entry(kArmV6, R"({"architecture": "arm", "os": "linux", "variant": "v6"})") +
         "," + entry(kArmV7, R"({"architecture": "arm", "os": "linux", "variant": "v7"})") +
         "," + entry(kArm64, R"({"architecture": "arm64", "os": "linux", "variant": "v8"})") +
         "," + entry(kAmd64, R"({"architecture": "amd64", "os": "linux"})") + "]}";
}

}  // namespace

TEST_CASE("a manifest gives its config digest, the image id is its hex") {
  auto s = read_manifest_blob(oci_manifest(kConfig), "application/vnd.oci.image.manifest.v1+json",
                              amd64());
  REQUIRE(s.ok());
  CHECK(s.is_config);
  CHECK(s.next == kConfig);
  CHECK(image_id_from_digest(s.next) == std::string(64, 'c'));
  // Docker schema 2, the media type only in the blob.
  s = read_manifest_blob(
      R"({"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
          "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                     "digest": ")" +
          kConfig + R"(", "size": 1469}, "layers": []})",
      "", amd64());
  REQUIRE(s.ok());
  CHECK(s.next == kConfig);
}

TEST_CASE("an index gives the manifest of this platform") {
  auto s = read_manifest_blob(oci_index(), "application/vnd.oci.image.index.v1+json", amd64());
  REQUIRE(s.ok());
  CHECK_FALSE(s.is_config);
  CHECK(s.next == kAmd64);
  CHECK(s.next_media_type == "application/vnd.oci.image.manifest.v1+json");
  s = read_manifest_blob(oci_index(), "", Platform{"linux", "arm64", ""});
  CHECK(s.next == kArm64);
  s = read_manifest_blob(oci_index(), "", Platform{"linux", "arm", "v7"});
  CHECK(s.next == kArmV7);
  s = read_manifest_blob(oci_index(), "", Platform{"linux", "s390x", ""});
  CHECK(s.error == "the image index has no manifest for linux/s390x");
  // A Docker manifest list; an OCI layout's index of one manifest without a platform.
  s = read_manifest_blob(R"({"manifests": [{"digest": ")" + kAmd64 + R"(",
      "platform": {"os": "linux", "architecture": "amd64"}}]})",
                         "application/vnd.docker.distribution.manifest.list.v2+json", amd64());
  CHECK(s.next == kAmd64);
  s = read_manifest_blob(R"({"schemaVersion": 2, "manifests": [{"digest": ")" + kArm64 + R"("}]})",
                         "", amd64());
  CHECK(s.next == kArm64);
}

TEST_CASE("the host platform is an OCI name") {
  const Platform p = host_platform();
  CHECK(p.os == "linux");
#if defined(__x86_64__)
  CHECK(p.architecture == "amd64");
#endif
}

TEST_CASE("bad blobs: a message, no crash") {
  CHECK(read_manifest_blob("", "", amd64()).error == "the image manifest is not a JSON object");
  CHECK(read_manifest_blob("{\"config\": ", "", amd64()).error ==
        "the image manifest is not a JSON object");
  CHECK(read_manifest_blob("[1, 2]", "", amd64()).error ==
        "the image manifest is not a JSON object");
  CHECK(read_manifest_blob(R"({"layers": []})", "", amd64()).error ==
        "the image target is neither a manifest nor an index (media type '')");
  CHECK(read_manifest_blob(R"({"config": "x"})", "", amd64()).error ==
        "the image manifest has no config");
  CHECK(read_manifest_blob(R"({"config": {"digest": "md5:abc"}})", "", amd64()).error ==
        "the image manifest's config digest is not sha256:<64 hex> ('md5:abc')");
  CHECK(read_manifest_blob(R"({"config": {"digest": 7}})", "", amd64()).error ==
        "the image manifest's config digest is not sha256:<64 hex> ('')");
  CHECK(read_manifest_blob(R"({"manifests": {}})", "", amd64()).error ==
        "the image index has no manifests");
  CHECK(read_manifest_blob(R"({"manifests": [1, null, "x"]})", "", amd64()).error ==
        "the image index has no manifest for linux/amd64");
  CHECK(read_manifest_blob(R"({"manifests": [{"digest": "sha256:ABC",
      "platform": {"os": "linux", "architecture": "amd64"}}]})",
                           "", amd64())
            .error == "the image index names a manifest digest that is not sha256:<64 hex> "
                      "('sha256:ABC')");
  const std::string huge(kMaxManifestBytes + 1, ' ');
  CHECK(read_manifest_blob(huge, "", amd64()).error ==
        "the image manifest is too large (" + std::to_string(huge.size()) + " bytes)");
  CHECK(image_id_from_digest("sha256:abc").empty());
  CHECK(image_id_from_digest(std::string(64, 'a')).empty());
  CHECK(image_id_from_digest("sha256:" + std::string(64, 'G')).empty());
}
