// Loading rules files: YAML -> items -> collector -> preprocess; see rules_loader.h.
#include "rules_loader.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rules/collect/item_reader.h"
#include "rules/collect/yaml_reader.h"

namespace saker::rules {

LoadResult RulesLoader::load_file(const std::string& path) {
  auto fail = [&](const std::string& why) {
    LoadResult result;
    result.name = path;
    Context ctx = Context().child("rules content", "", Position{path, 0, 0, 0});
    result.add_error({LoadCode::kErrFileRead, "Could not read file " + path + why, ctx, {}});
    return result;
  };
  // A regular file of bounded size: a device (/dev/zero) or a huge file would make saker
  // read without end or exhaust memory before any rule is looked at.
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (!ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st)) {
    return fail(": not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_file_bytes_) {
    return fail(": " + std::to_string(size) + " bytes, more than the " +
                std::to_string(max_file_bytes_) + "-byte limit for a rules file");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  if (in) content << in.rdbuf();
  if (!in || in.bad()) return fail("");
  return load_content(path, content.str());
}

LoadResult RulesLoader::load_content(const std::string& name, const std::string& content) {
  LoadResult result;
  result.name = name;
  try {
    std::vector<YAML::Node> docs = load_yaml_documents(content, name);
    ItemReader reader(collector_, result, name);
    for (const YAML::Node& doc : docs) reader.read_document(doc);
    resolved_ = preprocess(collector_, result, max_parse_depth_);
    if (compile_) compile_(resolved_, result);
  } catch (const LoadError& e) {
    result.add_error(e.diagnostic());
  } catch (const YAML::Exception& e) {
    // yaml-cpp conversion/access problems not caught by the structural checks.
    Position pos{name, static_cast<uint32_t>(e.mark.line + 1),
                 static_cast<uint32_t>(e.mark.column + 1), static_cast<uint32_t>(e.mark.pos)};
    if (e.mark.is_null()) pos = Position{name, 1, 1, 0};
    result.add_error(
        {LoadCode::kErrYamlValidate, e.what(), Context().child("rules content", "", pos), {}});
  }
  result.fill_snippets(content);
  return result;
}

}  // namespace saker::rules
