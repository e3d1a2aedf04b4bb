// The preprocess stage; see preprocessor.h.
#include "preprocessor.h"

#include <algorithm>
#include <map>

#include "condition_builder.h"
#include "list_substitution.h"
#include "macro_resolver.h"
#include "rules/syntax/parser.h"

namespace saker::rules {
namespace {

Position map_position(const Context& cond_ctx, Pos p) {
  const Position* base = cond_ctx.innermost();
  Position out = base ? *base : Position{};
  out.offset += p.offset;
  if (p.line > 1) {
    out.line += p.line - 1;
    out.column = p.col;
  } else {
    out.column += p.col - 1;
  }
  return out;
}

// Step 1: one-level list-in-list expansion, by index and visibility.
std::vector<ResolvedList> expand_lists(const Collector& collector) {
  std::vector<ResolvedList> out;
  for (const auto& list : collector.lists()) {
    ResolvedList r{list.name, {}, false};
    for (const auto& item : list.items) {
      const ListInfo* ref = collector.list(item);
      if (ref != nullptr && ref->index < list.visibility) {
        r.items.insert(r.items.end(), ref->items.begin(), ref->items.end());
      } else {
        r.items.push_back(item);
      }
    }
    out.push_back(std::move(r));
  }
  // Mark the lists referenced by other lists (possibly later in the vector, via visibility).
  for (const auto& list : collector.lists()) {
    for (const auto& item : list.items) {
      const ListInfo* ref = collector.list(item);
      if (ref == nullptr || ref->index >= list.visibility) continue;
      for (auto& o : out) o.used = o.used || o.name == item;
    }
  }
  return out;
}

std::string substitute_lists(std::string cond, std::vector<ResolvedList>& lists) {
  for (auto& list : lists) {
    if (substitute_list(cond, list.name, list.items)) list.used = true;
  }
  return cond;
}

LoadError validate_error(const std::string& msg, const Context& ctx) {
  return LoadError(LoadCode::kErrValidate, msg, ctx);
}

// Step 2: macros in index order, each resolved against the macros visible to it.
std::vector<ResolvedMacro> resolve_macros(const Collector& collector,
                                          std::vector<ResolvedList>& lists, uint32_t depth,
                                          std::set<std::string>& used) {
  std::vector<ResolvedMacro> out;
  const auto& infos = collector.macros();
  for (const auto& m : infos) {
    std::string cond = substitute_lists(m.cond, lists);
    out.push_back({m.name, cond, parse_item_condition(cond, m.cond_ctx, depth), false});
  }
  // name -> (index, macro) sorted by index: the macro a name means for a reader whose
  // visibility stamp is V is the last one with index < V. One index for all readers
  // keeps a file of N macros at O(N log N), not N separate symbol tables.
  std::map<std::string, std::vector<std::pair<uint32_t, size_t>>> by_name;
  for (size_t j = 0; j < infos.size(); ++j) by_name[infos[j].name].push_back({infos[j].index, j});
  for (auto& [name, v] : by_name) std::sort(v.begin(), v.end());
  for (size_t i = 0; i < infos.size(); ++i) {
    const uint32_t visibility = infos[i].visibility;
    MacroResolver resolver([&](const std::string& name) -> const Expr* {
      auto it = by_name.find(name);
      if (it == by_name.end()) return nullptr;
      const Expr* found = nullptr;
      for (const auto& [index, j] : it->second) {
        if (index >= visibility) break;
        found = out[j].ast.get();
      }
      return found;
    });
    try {
      resolver.resolve(out[i].ast, infos[i].name);
    } catch (const MacroResolutionError& e) {
      throw validate_error(e.what(), infos[i].cond_ctx);
    }
    used.insert(resolver.used().begin(), resolver.used().end());
  }
  return out;
}

// Step 3 (condition part): exceptions, lists, parse, macros, warnings.
ResolvedRule resolve_rule(const RuleInfo& rule, std::vector<ResolvedList>& lists,
                          const std::map<std::string, const Expr*>& macros, uint32_t depth,
                          std::set<std::string>& used, LoadResult& result) {
  ResolvedRule r{rule, "", nullptr, exception_fields(rule)};
  r.condition = substitute_lists(build_rule_condition(rule), lists);
  r.ast = parse_item_condition(r.condition, rule.cond_ctx, depth);
  MacroResolver resolver([&macros](const std::string& name) -> const Expr* {
    auto it = macros.find(name);
    return it == macros.end() ? nullptr : it->second;
  });
  try {
    resolver.resolve(r.ast);
  } catch (const MacroResolutionError& e) {
    throw validate_error(e.what(), rule.cond_ctx);
  }
  used.insert(resolver.used().begin(), resolver.used().end());
  warn_condition(*r.ast, rule.cond_ctx, result);
  return r;
}

void warn_unused(const Collector& collector, ResolvedRuleSet& set, LoadResult& result) {
  for (size_t i = 0; i < set.macros.size(); ++i) {
    if (!set.macros[i].used) {
      result.add_warning(LoadCode::kUnusedMacro, "Macro not referred to by any other rule/macro",
                         collector.macros()[i].ctx);
    }
  }
  for (size_t i = 0; i < set.lists.size(); ++i) {
    if (!set.lists[i].used) {
      result.add_warning(LoadCode::kUnusedList, "List not referred to by any other rule/macro",
                         collector.lists()[i].ctx);
    }
  }
}

}  // namespace

ExprPtr parse_item_condition(const std::string& text, const Context& cond_ctx,
                             uint32_t max_parse_depth) {
  try {
    return Parser(text, max_parse_depth).parse_condition();
  } catch (const ParseError& e) {
    Context ctx = cond_ctx.child("condition expression", "", map_position(cond_ctx, e.pos()));
    throw LoadError(LoadCode::kErrCompileCondition, e.what(), ctx);
  }
}

ResolvedRuleSet preprocess(const Collector& collector, LoadResult& result,
                           uint32_t max_parse_depth) {
  ResolvedRuleSet set;
  set.lists = expand_lists(collector);
  std::set<std::string> used_macros;
  set.macros = resolve_macros(collector, set.lists, max_parse_depth, used_macros);
  // Every macro is visible to rules; the last definition of a name wins.
  std::map<std::string, const Expr*> visible;
  for (const auto& m : set.macros) visible[m.name] = m.ast.get();
  for (const auto& rule : collector.rules()) {
    if (rule.unknown_source) continue;
    set.rules.push_back(
        resolve_rule(rule, set.lists, visible, max_parse_depth, used_macros, result));
  }
  for (auto& m : set.macros) m.used = used_macros.count(m.name) > 0;
  warn_unused(collector, set, result);
  return set;
}

}  // namespace saker::rules
