// Exception condition synthesis; see condition_builder.h.
#include "condition_builder.h"

#include <algorithm>

#include "list_substitution.h"

namespace saker::rules {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// Operators whose right side is a list: the value is wrapped in parentheses.
bool takes_list(const std::string& comp) {
  return comp == "in" || comp == "intersects" || comp == "pmatch" ||
         comp.find(' ') != std::string::npos;  // "<op> oneof|anyof|allof"
}

std::string join_quoted(const std::vector<Entry>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote_item(items[i].item);
  return out;
}

std::string value_text(const Entry& v, const std::string& comp) {
  if (v.is_list) return "(" + join_quoted(v.items) + ")";
  if (takes_list(comp) && (v.item.empty() || v.item[0] != '(')) return "(" + v.item + ")";
  if (takes_list(comp)) return v.item;
  return quote_item(v.item);
}

LoadError shape_error(const std::string& msg, const ExceptionInfo& ex) {
  return LoadError(LoadCode::kErrValidate, msg, ex.ctx);
}

std::string scalar_form(const ExceptionInfo& ex) {
  std::string comp = ex.comps && !ex.comps->is_list ? trim(ex.comps->item) : "in";
  for (const auto& v : ex.values) {
    if (v.is_list) throw shape_error("Expected values array to contain a list of strings", ex);
  }
  if (ex.values.empty()) return "";
  return "(" + ex.fields->item + " " + comp + " (" + join_quoted(ex.values) + "))";
}

std::string list_form(const ExceptionInfo& ex) {
  const auto& fields = ex.fields->items;
  std::vector<std::string> comps(fields.size(), "=");
  if (ex.comps && ex.comps->is_list) {
    for (size_t k = 0; k < fields.size() && k < ex.comps->items.size(); ++k) {
      comps[k] = trim(ex.comps->items[k].item);
    }
  }
  std::string out;
  for (const auto& tuple : ex.values) {
    if (!tuple.is_list || tuple.items.size() != fields.size()) {
      throw shape_error("Fields and values lists must have equal length", ex);
    }
    std::string term;
    for (size_t k = 0; k < fields.size(); ++k) {
      term += (k ? " and " : "") + std::string(" ") + fields[k].item + " " + comps[k] + " " +
              value_text(tuple.items[k], comps[k]);
    }
    out += (out.empty() ? "" : " or ") + std::string("(") + term + ")";
  }
  return out.empty() ? "" : "(" + out + ")";
}

}  // namespace

std::string build_exception_condition(const ExceptionInfo& ex) {
  if (!ex.fields) return "";
  return ex.fields->is_list ? list_form(ex) : scalar_form(ex);
}

std::string build_rule_condition(const RuleInfo& rule) {
  if (rule.exceptions.empty()) return rule.cond;
  std::string cond = "(" + rule.cond + ")";
  for (const auto& ex : rule.exceptions) {
    std::string icond = build_exception_condition(ex);
    if (!icond.empty()) cond += " and not " + icond;
  }
  return cond;
}

std::vector<std::string> exception_fields(const RuleInfo& rule) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& f) {
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  };
  for (const auto& ex : rule.exceptions) {
    if (!ex.fields) continue;
    if (!ex.fields->is_list) add(ex.fields->item);
    for (const auto& f : ex.fields->items) add(f.item);
  }
  return out;
}

}  // namespace saker::rules
