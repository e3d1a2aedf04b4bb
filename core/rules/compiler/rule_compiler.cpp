// Compiling a resolved rule set; see rule_compiler.h.
#include "rule_compiler.h"

#include <algorithm>
#include <map>

#include "compiler.h"
#include "evttype.h"

namespace saker::rules {
namespace {

constexpr size_t kMaxEventNames = 100;
constexpr const char* kContainerInfo = "%container.info";

bool unknown_filter_error(const std::string& msg) {
  for (const char* s :
       {"nonexistent field", "invalid formatting token", "unknown event type", "unknown filter:"}) {
    if (msg.find(s) != std::string::npos) return true;
  }
  return false;
}

bool entry_matches(const AppendOutput& e, const RuleInfo& r) {
  if (e.source && *e.source != r.source) return false;
  if (e.rule && *e.rule != r.name) return false;
  return std::all_of(e.tags.begin(), e.tags.end(),
                     [&](const std::string& t) { return r.tags.count(t) > 0; });
}

void warn_deprecated_output(const RuleInfo& rule, LoadResult& result) {
  for (const char* f : {"evt.dir", "evt.latency", "evt.wait_latency"}) {
    if (rule.output.find(std::string("%") + f) != std::string::npos) {
      result.add_warning(
          LoadCode::kDeprecatedItem,
          std::string("usage of deprecated field '") + f + "' has been detected in the rule output",
          rule.output_ctx);
    }
  }
}

struct Skip {};  // the rule is dropped (skip-if-unknown-filter)

// A compile error: an error, or a LOAD_UNKNOWN_FILTER warning and a dropped rule.
[[noreturn]] void fail(LoadCode code, const std::string& msg, const RuleInfo& rule,
                       const Context& ctx, LoadResult& result) {
  if (rule.skip_if_unknown_filter && unknown_filter_error(msg)) {
    result.add_warning(LoadCode::kUnknownFilter, msg, ctx);
    throw Skip{};
  }
  throw LoadError(code, msg, ctx);
}

void compile_output(CompiledRule& out, const RuleCompilerOptions& o, LoadResult& result) {
  const RuleInfo& rule = out.info;
  try {
    out.format = core::OutputFormat::compile(out.output, rule.source, *o.registry, *o.slots);
    for (const auto& e : o.append_output) {
      if (!entry_matches(e, rule)) continue;
      for (const auto& [key, fmt] : e.extra_fields) {
        out.extra_fields.emplace_back(
            key, core::OutputFormat::compile(fmt, rule.source, *o.registry, *o.slots));
      }
    }
  } catch (const core::FormatError& e) {
    fail(LoadCode::kErrCompileOutput, e.what(), rule, rule.output_ctx, result);
  }
}

void compile_condition(CompiledRule& out, const ResolvedRule& r,
                       const std::vector<std::string>& names, const RuleCompilerOptions& o,
                       LoadResult& result) {
  const RuleInfo& rule = out.info;
  ConditionCompiler cc(*o.registry, *o.slots, rule.source, names.empty() ? nullptr : &names);
  try {
    out.expr = std::make_unique<CompiledExpr>(cc.compile(*r.ast));
    if (!names.empty()) {
      out.event_codes = infer_event_types(*r.ast, names);
      out.num_event_names = count_event_names(out.event_codes, names);
    }
  } catch (const CompileError& e) {
    fail(LoadCode::kErrCompileCondition, e.what(), rule, rule.cond_ctx, result);
  }
  for (const auto& w : cc.warnings()) {
    result.add_warning(LoadCode::kCompileCondition, w, rule.cond_ctx);
  }
  if (rule.source == "syscall" && rule.warn_evttypes && out.num_event_names > kMaxEventNames) {
    result.add_warning(LoadCode::kNoEvttype,
                       "Rule matches too many evt.type values. This has a significant "
                       "performance penalty.",
                       rule.ctx);
  }
}

}  // namespace

std::string build_output(const RuleInfo& rule, const std::vector<AppendOutput>& entries,
                         LoadResult& result) {
  std::string out = rule.output;
  for (const auto& e : entries) {
    if (entry_matches(e, rule) && !e.extra_output.empty()) out += " " + e.extra_output;
  }
  size_t pos = out.find(kContainerInfo);
  if (pos != std::string::npos) {
    while (pos != std::string::npos) {
      out.erase(pos, std::char_traits<char>::length(kContainerInfo));
      pos = out.find(kContainerInfo);
    }
    result.add_warning(LoadCode::kDeprecatedItem,
                       "%container.info is deprecated and no more useful, and will be dropped "
                       "by Falco 1.0.0. The container plugin will automatically add required "
                       "output fields.",
                       rule.output_ctx);
  }
  return out;
}

CompiledRuleSet compile_rule_set(const ResolvedRuleSet& set, const RuleCompilerOptions& o,
                                 LoadResult& result) {
  CompiledRuleSet out;
  out.num_macros = set.macros.size();
  out.num_lists = set.lists.size();
  std::map<std::string, std::vector<std::string>> names_by_source;
  for (const ResolvedRule& r : set.rules) {
    auto it = names_by_source.find(r.info.source);
    if (it == names_by_source.end()) {
      it = names_by_source
               .emplace(r.info.source,
                        o.event_types ? o.event_types(r.info.source) : std::vector<std::string>{})
               .first;
    }
    CompiledRule c;
    c.info = r.info;
    c.condition = r.condition;
    c.exception_fields = r.exception_fields;
    try {
      c.output = build_output(r.info, o.append_output, result);
      warn_deprecated_output(r.info, result);
      compile_output(c, o, result);
      compile_condition(c, r, it->second, o, result);
    } catch (const Skip&) {
      continue;
    }
    out.rules.push_back(std::move(c));
  }
  return out;
}

}  // namespace saker::rules
