// Reading `rule` items in their four forms (override, legacy append, enable-only,
// definition) and their exceptions (RULE-LANGUAGE.md §1.7, §1.8).
#include <algorithm>
#include <set>

#include "item_reader.h"

namespace saker::rules {
namespace {

const std::set<std::string> kRuleKeys = {"rule",
                                         "condition",
                                         "output",
                                         "desc",
                                         "priority",
                                         "source",
                                         "enabled",
                                         "tags",
                                         "exceptions",
                                         "capture",
                                         "capture_duration",
                                         "warn_evttypes",
                                         "skip-if-unknown-filter",
                                         "append",
                                         "override"};
const std::set<std::string> kAppendable = {"condition", "output", "desc", "tags", "exceptions"};
const std::set<std::string> kReplaceable = {"condition",
                                            "output",
                                            "desc",
                                            "priority",
                                            "capture",
                                            "capture_duration",
                                            "tags",
                                            "exceptions",
                                            "enabled",
                                            "warn_evttypes",
                                            "skip-if-unknown-filter"};

LoadError yaml_error(const std::string& msg, const Context& ctx) {
  return LoadError(LoadCode::kErrYamlValidate, msg, ctx);
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// A scalar or a (nested) sequence of scalars, none of them "".
Entry read_entry(const YAML::Node& n, const std::string& key, const Context& ctx) {
  if (n.IsNull()) throw yaml_error("Mapping for key '" + key + "' is empty", ctx);
  Entry e;
  if (n.IsScalar()) {
    if (n.Scalar().empty()) throw yaml_error("Value must be non-empty", ctx);
    e.item = n.Scalar();
    return e;
  }
  if (!n.IsSequence()) throw yaml_error("Value is not a scalar value", ctx);
  e.is_list = true;
  for (const YAML::Node& c : n) e.items.push_back(read_entry(c, key, ctx));
  return e;
}

Priority read_priority(const ItemDecoder& d) {
  std::string text = *d.string("priority", true);
  auto p = parse_priority(text);
  if (!p)
    throw yaml_error("Invalid priority",
                     d.ctx().child("rule priority", "", d.position(d.node()["priority"])));
  return *p;
}

std::set<std::string> read_tags(const ItemDecoder& d) {
  auto seq = d.string_seq("tags", false);
  return seq ? std::set<std::string>(seq->begin(), seq->end()) : std::set<std::string>();
}

}  // namespace

ExceptionInfo ItemReader::read_exception(const YAML::Node& n, const Context& ctx, bool appending) {
  ItemDecoder pre(n, ctx, file_);
  Context ectx = ctx.child("exception", "", pre.position(n));
  if (!n.IsMap()) throw yaml_error("Rule exception must be a mapping", ectx);
  ExceptionInfo ex;
  ex.name = *ItemDecoder(n, ectx, file_).string("name", true);
  ex.ctx = ctx.child("exception", ex.name, pre.position(n));
  ItemDecoder d(n, ex.ctx, file_);
  if (d.has("fields")) {
    ex.fields = read_entry(n["fields"], "fields", d.value_ctx("fields"));
  } else if (!appending) {
    throw yaml_error("Item has no mapping for key 'fields'", ex.ctx);
  }
  if (d.has("comps")) ex.comps = read_entry(n["comps"], "comps", d.value_ctx("comps"));
  if (d.has("values")) {
    Context vctx = ex.ctx.child("exception values", "", d.position(n["values"]));
    if (!n["values"].IsSequence())
      throw yaml_error("Rule exception values must be a sequence", vctx);
    for (const YAML::Node& v : n["values"]) {
      ex.values.push_back(
          read_entry(v, "values", vctx.child("exception value", "", d.position(v))));
    }
    ex.has_values = true;
  }
  if (appending && !ex.has_values) {
    result_.add_warning(LoadCode::kAppendNoValues, "Overriding/appending exception with no values",
                        ex.ctx);
  }
  return ex;
}

std::vector<ExceptionInfo> ItemReader::read_exceptions(const ItemDecoder& d, bool appending) {
  std::vector<ExceptionInfo> out;
  YAML::Node seq = d.node()["exceptions"];
  if (!seq.IsDefined() || seq.IsNull()) return out;
  Context ctx = d.ctx().child("exceptions", "", d.position(seq));
  if (!seq.IsSequence()) throw yaml_error("Rule exceptions must be a sequence", ctx);
  std::set<std::string> names;
  for (const YAML::Node& n : seq) {
    out.push_back(read_exception(n, ctx, appending));
    if (!names.insert(out.back().name).second) {
      result_.add_warning(
          LoadCode::kExceptionNameNotUnique,
          "Multiple definitions of exception '" + out.back().name + "' in the same rule",
          out.back().ctx);
    }
  }
  return out;
}

// Reads every rule key present in the item into `u` (override and legacy-append forms).
void ItemReader::read_rule_fields(const ItemDecoder& d, RuleUpdate& u) {
  const YAML::Node& n = d.node();
  u.cond = d.string("condition", false);
  u.cond_ctx = d.ctx().child("rule condition", "", d.position(n["condition"]));
  u.output = d.string("output", false);
  if (u.output) u.output = trim(*u.output);
  u.output_ctx = d.ctx().child("rule output", "", d.position(n["output"]));
  u.desc = d.string("desc", false);
  if (d.has("priority")) u.priority = read_priority(d);
  if (d.has("tags")) u.tags = read_tags(d);
  if (d.has("exceptions")) u.exceptions = read_exceptions(d, !u.replace_keys.count("exceptions"));
  u.enabled = d.boolean("enabled", false);
  u.capture = d.boolean("capture", false);
  u.capture_duration = d.uint32("capture_duration", false);
  u.warn_evttypes = d.boolean("warn_evttypes", false);
  u.skip_if_unknown_filter = d.boolean("skip-if-unknown-filter", false);
  u.source = d.string("source", false, true);
}

void ItemReader::read_rule_override(const ItemDecoder& d, RuleUpdate& u) {
  for (const auto& [key, op] : read_override(d, kAppendable, kReplaceable)) {
    (op == "append" ? u.append_keys : u.replace_keys).insert(key);
  }
  read_rule_fields(d, u);
  collector_.override_rule(u, result_);
}

void ItemReader::read_rule(const ItemDecoder& item) {
  std::string name = *item.string("rule", true);
  ItemDecoder d(item.node(), item.ctx().child("rule", name, item.position(item.node())), file_);
  warn_unknown_keys(d, kRuleKeys);
  bool append = read_append_flag(d);
  RuleUpdate u;
  u.ctx = d.ctx();
  u.name = name;
  if (d.has("override")) return read_rule_override(d, u);
  if (append) {
    u.cond = d.string("condition", false);
    if (d.has("exceptions")) u.exceptions = read_exceptions(d, true);
    if (!u.cond && !u.exceptions) {
      throw LoadError(LoadCode::kErrValidate,
                      "Appended rule must have exceptions or condition property", d.ctx());
    }
    u.source = d.string("source", false, true);
    return collector_.append_rule(u, result_);
  }
  if (!d.has("condition") && !d.has("output") && !d.has("desc") && !d.has("priority")) {
    u.enabled = d.boolean("enabled", true);
    result_.add_warning(LoadCode::kDeprecatedItem,
                        "The standalone 'enabled' key usage is deprecated. The correct approach "
                        "requires also a 'replace' entry under the 'override' key (i.e. "
                        "'enabled: replace').",
                        d.ctx());
    return collector_.enable_rule(u);
  }
  RuleInfo r;
  r.ctx = d.ctx();
  r.name = name;
  r.cond = *d.string("condition", true);
  r.cond_ctx = d.ctx().child("rule condition", "", d.position(d.node()["condition"]));
  r.output = trim(*d.string("output", true));
  r.output_ctx = d.ctx().child("rule output", "", d.position(d.node()["output"]));
  r.desc = *d.string("desc", true);
  r.priority = read_priority(d);
  std::string source = d.string("source", false, true).value_or("");
  if (!source.empty()) r.source = source;
  r.tags = read_tags(d);
  r.exceptions = read_exceptions(d, false);
  r.enabled = d.boolean("enabled", false).value_or(true);
  r.capture = d.boolean("capture", false).value_or(false);
  r.capture_duration = d.uint32("capture_duration", false).value_or(0);
  r.warn_evttypes = d.boolean("warn_evttypes", false).value_or(true);
  r.skip_if_unknown_filter = d.boolean("skip-if-unknown-filter", false).value_or(false);
  collector_.define_rule(std::move(r), result_);
}

}  // namespace saker::rules
