// Merging an included config file into the tree loaded so far (the `config_files` strategies).
//
// Falco documents `append` as "sequences appended, scalars overridden, new keys added". saker
// applies that rule recursively inside maps, so a config.d file holding
// `webserver: {listen_port: 9000}` changes one key instead of dropping the rest of the
// `webserver` section; `add-only` likewise fills in missing keys at any depth. `override`
// is the blunt tool: each top-level key of the included file replaces the existing one.
#include "config_path.h"

namespace saker::core::config_detail {

void merge_maps(YAML::Node root, const YAML::Node& incoming, MergeStrategy strategy) {
  for (auto it = incoming.begin(); it != incoming.end(); ++it) {
    // Look keys up by their text: yaml-cpp compares Node keys by identity.
    const std::string key = it->first.Scalar();
    const YAML::Node value = it->second;  // a copy: `it->` yields a temporary
    const YAML::Node& const_root = root;
    YAML::Node existing = const_root[key];  // const lookup: never inserts
    if (!existing.IsDefined()) {
      root[key] = value;
      continue;
    }
    const bool both_maps = existing.IsMap() && value.IsMap();
    switch (strategy) {
      case MergeStrategy::kOverride:
        root[key] = value;
        break;
      case MergeStrategy::kAddOnly:
        if (both_maps) merge_maps(existing, value, strategy);
        break;
      case MergeStrategy::kAppend:
        if (both_maps) {
          merge_maps(existing, value, strategy);
        } else if (existing.IsSequence() && value.IsSequence()) {
          for (auto elem = value.begin(); elem != value.end(); ++elem) existing.push_back(*elem);
        } else {
          root[key] = value;
        }
        break;
    }
  }
}

}  // namespace saker::core::config_detail
