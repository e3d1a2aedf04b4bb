// Parsing a rules file's YAML documents in one pass of yaml-cpp's parser, guarded
// against the input on which YAML::LoadAll never returns (see yaml_documents.cpp).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace saker::rules {

// The documents of `content`, as YAML::LoadAll would build them. If the parser gets
// stuck (an endless run of empty documents at one position), stops there and sets
// `*stuck_at` to that position; the documents before it are returned. Throws what
// yaml-cpp throws (YAML::Exception) on malformed input.
std::vector<YAML::Node> parse_yaml_documents(const std::string& content,
                                             std::optional<YAML::Mark>* stuck_at);

}  // namespace saker::rules
