// Textual list substitution; see list_substitution.h.
#include "list_substitution.h"

#include <string_view>

namespace saker::rules {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_delim(char c) { return is_blank(c) || c == '(' || c == ')' || c == ',' || c == '='; }

std::string join_quoted(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + quote_item(items[i]);
  return out;
}

}  // namespace

std::string quote_item(const std::string& v) {
  if (v.find(' ') != std::string::npos && !v.empty() && v[0] != '"' && v[0] != '\'') {
    return "\"" + v + "\"";
  }
  return v;
}

bool substitute_list(std::string& cond, const std::string& name,
                     const std::vector<std::string>& items) {
  if (name.empty()) return false;
  size_t start = cond.find(name);
  // Most (condition, list) pairs never meet: the items are only joined on a first use.
  if (start == std::string::npos) return false;
  std::string sub;
  bool used = false;
  while (start != std::string::npos) {
    size_t end = start + name.size();
    bool left_ok = start == 0 || is_delim(cond[start - 1]);
    bool right_ok = end >= cond.size() || is_delim(cond[end]);
    if (left_ok && right_ok) {
      if (!used) sub = join_quoted(items);
      while (start > 0 && is_blank(cond[start - 1])) --start;
      while (end < cond.size() && is_blank(cond[end])) ++end;
      if (sub.empty()) {
        if (start > 0 && cond[start - 1] == ',') {
          --start;
        } else if (end < cond.size() && cond[end] == ',') {
          ++end;
        }
      }
      // cond[0, start) + (start ? " " : "") + sub + " " + cond[end, ...), in place.
      const size_t lead = start > 0 ? 1 : 0;
      cond.replace(start, end - start, lead + sub.size() + 1, ' ');
      cond.replace(start + lead, sub.size(), sub);
      start += sub.size() + 1;
      used = true;
    }
    start = cond.find(name, start + 1);
  }
  return used;
}

}  // namespace saker::rules
