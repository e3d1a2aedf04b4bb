// Bounding YAML alias expansion. yaml-cpp shares an aliased node, but every reader walks
// the document expanded: a few anchors referring to each other ("billion laughs") make a
// file of a few hundred bytes expand to billions of nodes. Configuration and rules files
// check the expanded size right after parsing, before anything walks them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstddef>

namespace saker::core {

// Below this many nodes a document is never refused, whatever its size.
inline constexpr std::size_t kMinYamlNodeBudget = 1000000;

// Nodes of `n` with aliases expanded, counted up to a little past `budget` (the count
// stops as soon as it is exceeded, so the cost is bounded by the budget).
inline std::size_t expanded_yaml_nodes(const YAML::Node& n, std::size_t budget) {
  std::size_t count = 1;
  auto add = [&](const YAML::Node& c) {
    count += expanded_yaml_nodes(c, budget - std::min(budget, count));
  };
  if (n.IsSequence()) {
    for (const YAML::Node& c : n) {
      if (count > budget) break;
      add(c);
    }
  } else if (n.IsMap()) {
    for (const auto& kv : n) {
      if (count > budget) break;
      add(kv.first);
      add(kv.second);
    }
  }
  return count;
}

// The budget for a document parsed from `text_bytes` bytes: a plain document has fewer
// nodes than bytes.
inline std::size_t yaml_node_budget(std::size_t text_bytes) {
  return std::max(kMinYamlNodeBudget, text_bytes);
}

}  // namespace saker::core
