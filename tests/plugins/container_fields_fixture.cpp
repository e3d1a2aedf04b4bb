// Test fixture: declares the container.* and k8s.* field names that Falco's syscall
// rules use, for the `syscall` source, so those rules can be compiled against the REAL
// syscall plugin's field table before saker's container plugin exists. It extracts no
// value (every field reads <NA>). It is a compile-time stand-in only, loaded by tests;
// Falco likewise needs its container plugin (required_plugin_versions) for these rules.
#include <saker/sdk/plugin.h>

namespace {

using namespace saker::sdk;

class ContainerFieldsFixture {
 public:
  static constexpr const char* kName = "container_fields_fixture";
  static constexpr const char* kVersion = "0.0.1";
  static constexpr const char* kDescription = "Declares container.*/k8s.* field names (tests)";
  static constexpr const char* kContact = "saker tests";
  explicit ContainerFieldsFixture(const InitContext&) {}

  std::vector<std::string> extract_sources() { return {"syscall"}; }
  std::vector<FieldInfo> fields() {
    return {
        FieldInfo("container.id", FieldType::kString, "Container id"),
        FieldInfo("container.name", FieldType::kString, "Container name"),
        FieldInfo("container.image.repository", FieldType::kString, "Image repository"),
        FieldInfo("container.privileged", FieldType::kBool, "Privileged container"),
        FieldInfo("container.start_ts", FieldType::kAbsTime, "Container start time"),
        FieldInfo("container.mounts", FieldType::kString, "Mounts"),
        FieldInfo("container.mount.dest", FieldType::kString, "Mount destination")
            .with_arg(ArgKind::kIndexOrKey, true),
        FieldInfo("k8s.ns.name", FieldType::kString, "Kubernetes namespace"),
        FieldInfo("k8s.pod.name", FieldType::kString, "Kubernetes pod"),
    };
  }
  void extract(const Event&, ExtractRequest&) {}  // no value: <NA>
};

}  // namespace

SAKER_PLUGIN(ContainerFieldsFixture)
