// Top-level items, version requirements, lists, macros and the shared append/override
// key handling; rules are read in rule_reader.cpp.
#include "item_reader.h"

namespace saker::rules {
namespace {

LoadError yaml_error(const std::string& msg, const Context& ctx) {
  return LoadError(LoadCode::kErrYamlValidate, msg, ctx);
}

bool is_valid_list_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || c == ' ' ||
        c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r')
      return false;
  }
  return true;
}

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// [a-zA-Z]+[a-zA-Z0-9_]*, whole name: a letter, then letters, digits and '_' (by hand:
// std::regex cost ~1M instructions on the upstream rules file).
bool is_valid_macro_name(const std::string& name) {
  if (name.empty() || !ascii_alpha(name[0])) return false;
  for (char c : name) {
    if (!ascii_alpha(c) && !(c >= '0' && c <= '9') && c != '_') return false;
  }
  return true;
}

}  // namespace

void ItemReader::read_document(const YAML::Node& doc) {
  Context ctx = Context().child("rules content", "", position_of(doc, file_, {file_, 1, 1, 0}));
  if (!doc.IsDefined() || doc.IsNull()) return;
  if (doc.IsMap()) throw yaml_error("Rules content is not yaml array of objects", ctx);
  if (!doc.IsSequence()) throw yaml_error("Rules content is not yaml", ctx);
  for (const YAML::Node& item : doc) {
    if (item.IsNull()) continue;
    Context ictx = ctx.child("rules content item", "", position_of(item, file_, {file_, 1, 1, 0}));
    if (!item.IsMap()) {
      throw yaml_error("Unexpected element type. Each element should be a yaml associative array.",
                       ictx);
    }
    read_item(item, ictx);
  }
}

void ItemReader::read_item(const YAML::Node& item, const Context& ctx) {
  ItemDecoder d(item, ctx, file_);
  if (d.has("required_engine_version")) return read_engine_version(d);
  if (d.has("required_plugin_versions")) return read_plugin_versions(d);
  if (d.has("list")) return read_list(d);
  if (d.has("macro")) return read_macro(d);
  if (d.has("rule")) return read_rule(d);
  result_.add_warning(LoadCode::kUnknownItem, "Unknown top level item", ctx);
}

void ItemReader::warn_unknown_keys(const ItemDecoder& d, const std::set<std::string>& allowed) {
  for (const auto& kv : d.node()) {
    std::string key = kv.first.Scalar();
    if (!allowed.count(key)) {
      result_.add_warning(LoadCode::kUnknownKey,
                          "Unknown key '" + key + "'. The key will be ignored.", d.ctx());
    }
  }
}

void ItemReader::read_engine_version(const ItemDecoder& item) {
  ItemDecoder d(item.node(),
                item.ctx().child("required_engine_version", "", item.position(item.node())), file_);
  warn_unknown_keys(d, {"required_engine_version"});
  std::string text = *d.string("required_engine_version", true);
  EngineVersionInfo info{d.ctx(), {}};
  uint32_t legacy = 0;
  if (decode_uint32(text, legacy)) {
    info.version = Version{0, legacy, 0};
  } else if (auto v = Version::parse(text)) {
    info.version = *v;
  } else {
    throw yaml_error("Unable to parse engine version '" + text +
                         "' as a semver string. Expected \"x.y.z\" semver format.",
                     d.value_ctx("required_engine_version"));
  }
  collector_.define_engine_version(info);
}

PluginRequirement ItemReader::read_plugin_requirement(const YAML::Node& n, const Context& ctx) {
  ItemDecoder d(n, ctx, file_);
  PluginRequirement req;
  req.name = *d.string("name", true);
  req.version = *d.string("version", true);
  return req;
}

void ItemReader::read_plugin_versions(const ItemDecoder& item) {
  Context ctx = item.ctx().child("required plugin versions", "", item.position(item.node()));
  ItemDecoder top(item.node(), ctx, file_);
  warn_unknown_keys(top, {"required_plugin_versions"});
  YAML::Node seq = item.node()["required_plugin_versions"];
  if (!seq.IsSequence()) {
    throw yaml_error("Value of required_plugin_versions must be a sequence", ctx);
  }
  for (const YAML::Node& entry : seq) {
    Context ectx = ctx.child("required plugin versions entry", "", top.position(entry));
    if (!entry.IsMap()) throw yaml_error("Plugin version must be a mapping", ectx);
    PluginVersionInfo info{ectx, {read_plugin_requirement(entry, ectx)}};
    YAML::Node alts = entry["alternatives"];
    if (alts.IsDefined()) {
      if (!alts.IsSequence()) {
        throw yaml_error("Value of plugin version alternatives must be a sequence", ectx);
      }
      for (const YAML::Node& alt : alts) {
        Context actx = ectx.child("required plugin versions alternative", "", top.position(alt));
        if (!alt.IsMap()) throw yaml_error("Plugin version alternative must be a mapping", actx);
        info.alternatives.push_back(read_plugin_requirement(alt, actx));
      }
    }
    collector_.define_plugin_version(info);
  }
}

bool ItemReader::read_append_flag(const ItemDecoder& d) {
  bool append = d.boolean("append", false).value_or(false);
  if (append && d.has("override")) {
    throw yaml_error(
        "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry "
        "(e.g. 'condition: append') under 'override' instead.",
        d.ctx());
  }
  if (append) {
    result_.add_warning(LoadCode::kDeprecatedItem,
                        "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: "
                        "append') under 'override' instead.",
                        d.ctx());
  }
  return append;
}

std::map<std::string, std::string> ItemReader::read_override(
    const ItemDecoder& d, const std::set<std::string>& appendable,
    const std::set<std::string>& replaceable) {
  std::map<std::string, std::string> ops;
  YAML::Node ov = d.node()["override"];
  Context octx = d.ctx().child("overrides", "", d.position(ov));
  if (!ov.IsMap() || ov.size() == 0) {
    throw LoadError(LoadCode::kErrValidate,
                    "The rule must have at least one field that can be replaced", octx);
  }
  for (const auto& kv : ov) {
    std::string key = kv.first.Scalar();
    std::string op = kv.second.IsScalar() ? kv.second.Scalar() : "";
    if (op != "append" && op != "replace") {
      std::string allowed = std::string(appendable.count(key) ? "append " : "") +
                            (replaceable.count(key) ? "replace " : "");
      throw yaml_error(
          "Invalid override operation for key '" + key + "': '" + op +
              "'. Allowed values are: " + (allowed.empty() ? "append replace " : allowed),
          octx);
    }
    if (op == "append" && !appendable.count(key)) {
      std::string msg = replaceable.count(key)
                            ? "Key '" + key + "' cannot be appended to, use 'replace' instead"
                            : "Key '" + key + "' cannot be replaced";
      throw yaml_error(msg, octx);
    }
    if (op == "replace" && !replaceable.count(key)) {
      throw yaml_error("Key '" + key + "' cannot be replaced", octx);
    }
    if (!d.has(key)) {
      throw yaml_error(
          "An " + op + " override for '" + key + "' was specified but '" + key + "' is not defined",
          octx);
    }
    ops[key] = op;
  }
  std::set<std::string> overridable = appendable;
  overridable.insert(replaceable.begin(), replaceable.end());
  for (const auto& key : overridable) {
    if (d.has(key) && !ops.count(key)) {
      throw yaml_error(
          "Unexpected key '" + key + "': no corresponding entry under 'override' is defined.",
          octx);
    }
  }
  return ops;
}

void ItemReader::read_list(const ItemDecoder& item) {
  std::string name = *item.string("list", true);
  ItemDecoder d(item.node(), item.ctx().child("list", name, item.position(item.node())), file_);
  warn_unknown_keys(d, {"list", "items", "append", "override"});
  if (!is_valid_list_name(name)) {
    result_.add_warning(LoadCode::kInvalidListName,
                        "List has an invalid name. List names should match a regular "
                        "expression: ([^()\"'[:space:]=,]+)",
                        d.ctx());
  }
  bool append = read_append_flag(d);
  ListInfo info;
  info.ctx = d.ctx();
  info.name = name;
  info.items = *d.string_seq("items", true);
  if (d.has("override")) append = read_override(d, {"items"}, {"items"})["items"] == "append";
  append ? collector_.append_list(info) : collector_.define_list(std::move(info));
}

void ItemReader::read_macro(const ItemDecoder& item) {
  std::string name = *item.string("macro", true);
  ItemDecoder d(item.node(), item.ctx().child("macro", name, item.position(item.node())), file_);
  warn_unknown_keys(d, {"macro", "condition", "append", "override"});
  if (!is_valid_macro_name(name)) {
    result_.add_warning(LoadCode::kInvalidMacroName,
                        "Macro has an invalid name. Macro names should match a regular "
                        "expression: ([a-zA-Z]+[a-zA-Z0-9_]*)",
                        d.ctx());
  }
  bool append = read_append_flag(d);
  MacroInfo info;
  info.ctx = d.ctx();
  info.name = name;
  info.cond = *d.string("condition", true);
  info.cond_ctx = d.ctx().child("macro condition", "", d.position(d.node()["condition"]));
  if (d.has("override")) {
    append = read_override(d, {"condition"}, {"condition"})["condition"] == "append";
  }
  append ? collector_.append_macro(info) : collector_.define_macro(std::move(info));
}

}  // namespace saker::rules
