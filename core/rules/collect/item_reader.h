// Reads the items of one rules file and hands them to the Collector (RULE-LANGUAGE.md
// §1.1–§1.8): chooses each item's kind, checks its keys and value types, and turns it into
// a definition, an append, an override or an enable-only update.
//
// Throws LoadError on the first error; warnings go to the LoadResult. Borrows the
// collector and the result for its lifetime.
#pragma once

#include <map>
#include <set>
#include <string>

#include "collector.h"
#include "yaml_reader.h"

namespace saker::rules {

class ItemReader {
 public:
  ItemReader(Collector& collector, LoadResult& result, std::string file)
      : collector_(collector), result_(result), file_(std::move(file)) {}

  // One YAML document: a sequence of mappings (null documents and elements are skipped).
  void read_document(const YAML::Node& doc);

 private:
  void read_item(const YAML::Node& item, const Context& ctx);
  void read_engine_version(const ItemDecoder& d);
  void read_plugin_versions(const ItemDecoder& d);
  PluginRequirement read_plugin_requirement(const YAML::Node& n, const Context& ctx);
  void read_list(const ItemDecoder& d);
  void read_macro(const ItemDecoder& d);
  void read_rule(const ItemDecoder& d);  // rule_reader.cpp
  void read_rule_override(const ItemDecoder& d, RuleUpdate& update);
  void read_rule_fields(const ItemDecoder& d, RuleUpdate& update);
  std::vector<ExceptionInfo> read_exceptions(const ItemDecoder& d, bool appending);
  ExceptionInfo read_exception(const YAML::Node& n, const Context& ctx, bool appending);

  // Deprecated `append: true` (with its warning); errors if combined with `override`.
  bool read_append_flag(const ItemDecoder& d);
  // Validated `override:` map: key -> "append" | "replace".
  std::map<std::string, std::string> read_override(const ItemDecoder& d,
                                                   const std::set<std::string>& appendable,
                                                   const std::set<std::string>& replaceable);
  void warn_unknown_keys(const ItemDecoder& d, const std::set<std::string>& allowed);

  Collector& collector_;
  LoadResult& result_;
  std::string file_;
};

}  // namespace saker::rules
