// YAML (yaml-cpp, every scalar a string) to JSON, for handing config sections to
// plugins: plain scalars that read as booleans, integers or decimals become JSON
// values of that type; quoted scalars stay strings.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace saker::app {

nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace saker::app
