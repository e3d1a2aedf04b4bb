// Collector: rule definitions, legacy appends, overrides, enable-only items and the
// validation and merging of rule exceptions (RULE-LANGUAGE.md §1.7, §1.8).
#include <algorithm>
#include <array>

#include "collector.h"
#include "rules/syntax/parser.h"

namespace saker::rules {
namespace {

constexpr std::array<std::string_view, 20> kComparisonOps = {
    "=",        "==",        "!=",         "<",          "<=",          ">",        ">=",
    "contains", "icontains", "bcontains",  "startswith", "bstartswith", "endswith", "glob",
    "iglob",    "in",        "intersects", "pmatch",     "exists",      "regex"};
constexpr std::array<std::string_view, 12> kModifiableOps = {
    "=",          "==",          "!=",       "contains", "icontains", "bcontains",
    "startswith", "bstartswith", "endswith", "glob",     "iglob",     "regex"};

template <size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// "<string-op> oneof|anyof|allof"
bool is_modifier_op(const std::string& comp) {
  size_t space = comp.find(' ');
  if (space == std::string::npos) return false;
  std::string mod = trim(comp.substr(space + 1));
  return one_of(comp.substr(0, space), kModifiableOps) &&
         (mod == "oneof" || mod == "anyof" || mod == "allof");
}

// A valid left-hand side: a field name with optional argument, or a transformer.
bool is_valid_lhs(const std::string& field) {
  try {
    ExprPtr e = parse_condition(field + " exists");
    return e->kind() == ExprKind::kUnaryCheck;
  } catch (const ParseError&) {
    return false;
  }
}

LoadError validate_error(const std::string& msg, const Context& ctx) {
  return LoadError(LoadCode::kErrValidate, msg, ctx);
}

}  // namespace

void Collector::validate_exception(const ExceptionInfo& ex, const std::string& source) const {
  const auto& f = ex.fields;
  if (!f || (f->is_list ? f->items.empty() : f->item.empty())) {
    throw validate_error("Rule exception item must have fields property with a list of fields",
                         ex.ctx);
  }
  auto check_field = [&](const std::string& name) {
    bool ok = is_valid_lhs(name);
    if (ok && options_.is_valid_field && name.find('(') == std::string::npos) {
      ok = options_.is_valid_field(source, name);
    }
    if (!ok) throw validate_error("'" + name + "' is not a supported filter field", ex.ctx);
  };
  if (!f->is_list) {
    if (ex.comps && ex.comps->is_list) {
      throw validate_error("Fields and comps must both be strings", ex.ctx);
    }
    std::string comp = ex.comps ? trim(ex.comps->item) : "in";
    if (comp != "in" && comp != "pmatch" && comp != "intersects" && !is_modifier_op(comp)) {
      throw validate_error(
          "When fields is a single value, comps must be one of (in, pmatch, intersects) or a "
          "modifier operator (e.g. startswith oneof)",
          ex.ctx);
    }
    check_field(f->item);
    return;
  }
  if (ex.comps && (!ex.comps->is_list || ex.comps->items.size() != f->items.size())) {
    throw validate_error("Fields and comps lists must have equal length", ex.ctx);
  }
  if (ex.comps) {
    for (const auto& c : ex.comps->items) {
      std::string comp = trim(c.item);
      if (c.is_list || !(one_of(comp, kComparisonOps) || is_modifier_op(comp))) {
        throw validate_error("'" + comp + "' is not a supported comparison operator", ex.ctx);
      }
    }
  }
  for (const auto& field : f->items) check_field(field.item);
}

void Collector::merge_exceptions(RuleInfo& prev, const std::vector<ExceptionInfo>& added,
                                 LoadResult&) const {
  for (const auto& ex : added) {
    auto it = std::find_if(prev.exceptions.begin(), prev.exceptions.end(),
                           [&](const ExceptionInfo& e) { return e.name == ex.name; });
    if (it != prev.exceptions.end()) {
      if (ex.fields) {
        throw validate_error("Can not append exception fields to existing exception, only values",
                             ex.ctx);
      }
      if (ex.comps) {
        throw validate_error("Can not append exception comps to existing exception, only values",
                             ex.ctx);
      }
      it->values.insert(it->values.end(), ex.values.begin(), ex.values.end());
      continue;
    }
    if (!ex.fields) {
      throw validate_error("Rule exception must have fields property with a list of fields",
                           ex.ctx);
    }
    if (!ex.has_values) {
      throw validate_error("Rule exception must have values property with a list of values",
                           ex.ctx);
    }
    if (!prev.unknown_source) validate_exception(ex, prev.source);
    prev.exceptions.push_back(ex);
  }
}

void Collector::check_source(const RuleInfo& prev, const std::optional<std::string>& source,
                             const Context& ctx) const {
  if (source && !source->empty() && *source != prev.source) {
    throw validate_error("Rule has been re-defined with a different source", ctx);
  }
}

void Collector::define_rule(RuleInfo info, LoadResult& result) {
  if (const RuleInfo* prev = rules_.find(info.name)) check_source(*prev, info.source, info.ctx);
  info.unknown_source = !is_known_source(info.source);
  if (info.unknown_source) {
    result.add_warning(LoadCode::kUnknownSource, "Unknown source " + info.source + ", skipping",
                       info.ctx);
  } else {
    for (const auto& ex : info.exceptions) validate_exception(ex, info.source);
  }
  uint32_t id = next_id_++;
  info.visibility = id;
  if (RuleInfo* prev = rules_.find(info.name)) {
    info.index = prev->index;
    *prev = std::move(info);
    return;
  }
  info.index = id;
  rules_.insert(std::move(info));
}

void Collector::append_rule(const RuleUpdate& update, LoadResult& result) {
  RuleInfo* prev = rules_.find(update.name);
  if (prev == nullptr) {
    throw validate_error(
        "Rule uses 'append' or 'override.<key>: append' but no rule by that name already exists",
        update.ctx);
  }
  check_source(*prev, update.source, update.ctx);
  if (update.cond) prev->cond += " " + *update.cond;
  if (update.exceptions) merge_exceptions(*prev, *update.exceptions, result);
  prev->visibility = next_id_++;
}

void Collector::override_rule(const RuleUpdate& update, LoadResult& result) {
  RuleInfo* prev = rules_.find(update.name);
  if (prev == nullptr && !update.append_keys.empty()) {
    throw validate_error("Rule uses 'append' or 'override." + *update.append_keys.begin() +
                             ": append' but no rule by that name already exists",
                         update.ctx);
  }
  if (prev == nullptr) {
    throw validate_error("An 'override." + *update.replace_keys.begin() +
                             ": replace' to a rule was requested but no rule by that name "
                             "already exists",
                         update.ctx);
  }
  if (update.append_keys.count("condition") || update.replace_keys.count("condition")) {
    check_source(*prev, update.source, update.ctx);
  }
  RuleInfo updated = *prev;  // all-or-nothing: a failing exception leaves prev untouched
  apply_appends(updated, update, result);
  apply_replaces(updated, update);
  updated.visibility = next_id_++;
  *prev = std::move(updated);
}

void Collector::apply_appends(RuleInfo& prev, const RuleUpdate& u, LoadResult& result) const {
  const auto& keys = u.append_keys;
  if (keys.count("condition")) prev.cond += " " + *u.cond;
  if (keys.count("output")) prev.output += " " + *u.output;
  if (keys.count("desc")) prev.desc += " " + *u.desc;
  if (keys.count("tags")) prev.tags.insert(u.tags->begin(), u.tags->end());
  if (keys.count("exceptions")) merge_exceptions(prev, *u.exceptions, result);
}

void Collector::apply_replaces(RuleInfo& prev, const RuleUpdate& u) const {
  const auto& keys = u.replace_keys;
  if (keys.count("condition")) prev.cond = *u.cond, prev.cond_ctx = u.cond_ctx;
  if (keys.count("output")) prev.output = *u.output, prev.output_ctx = u.output_ctx;
  if (keys.count("desc")) prev.desc = *u.desc;
  if (keys.count("priority")) prev.priority = *u.priority;
  if (keys.count("tags")) prev.tags = *u.tags;
  if (keys.count("enabled")) prev.enabled = *u.enabled;
  if (keys.count("capture")) prev.capture = *u.capture;
  if (keys.count("capture_duration")) prev.capture_duration = *u.capture_duration;
  if (keys.count("warn_evttypes")) prev.warn_evttypes = *u.warn_evttypes;
  if (keys.count("skip-if-unknown-filter")) prev.skip_if_unknown_filter = *u.skip_if_unknown_filter;
  if (keys.count("exceptions")) {
    if (!prev.unknown_source) {
      for (const auto& ex : *u.exceptions) validate_exception(ex, prev.source);
    }
    prev.exceptions = *u.exceptions;
  }
}

void Collector::enable_rule(const RuleUpdate& update) {
  RuleInfo* prev = rules_.find(update.name);
  if (prev == nullptr) {
    throw validate_error("Rule has 'enabled' key but no rule by that name already exists",
                         update.ctx);
  }
  prev->enabled = update.enabled.value_or(prev->enabled);
}

}  // namespace saker::rules
