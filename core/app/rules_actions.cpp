// Rules loading, validation, listing and explain for the saker command.
#include "rules_actions.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <set>

#include "load_report.h"
#include "log.h"
#include "rules/compiler/explain.h"

namespace saker::app {

namespace fs = std::filesystem;
using core::LogLevel;

namespace {

rules::RuleSelection read_selection(const YAML::Node& entry) {
  rules::RuleSelection s;
  YAML::Node body;
  if (entry["enable"]) {
    body = entry["enable"];
  } else if (entry["disable"]) {
    s.enable = false;
    body = entry["disable"];
  } else {
    throw std::runtime_error("each 'rules' entry must be 'enable' or 'disable'");
  }
  if (body["rule"]) s.rule = body["rule"].as<std::string>();
  if (body["tag"]) s.tag = body["tag"].as<std::string>();
  if (!s.rule && !s.tag) throw std::runtime_error("a 'rules' entry needs 'rule' or 'tag'");
  return s;
}

rules::AppendOutput read_append_output(const YAML::Node& entry) {
  rules::AppendOutput a;
  if (YAML::Node m = entry["match"]) {
    if (m["source"]) a.source = m["source"].as<std::string>();
    if (m["rule"]) a.rule = m["rule"].as<std::string>();
    if (m["tags"]) a.tags = m["tags"].as<std::vector<std::string>>();
  }
  if (entry["extra_output"]) a.extra_output = entry["extra_output"].as<std::string>();
  for (const auto& f : entry["extra_fields"]) {
    if (f.IsScalar()) {
      a.extra_fields.emplace_back(f.Scalar(), f.Scalar());
      continue;
    }
    for (const auto& kv : f) {
      a.extra_fields.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
    }
  }
  return a;
}

nlohmann::json rule_json(const rules::CompiledRule& r, const std::vector<std::string>& names) {
  nlohmann::json info = {{"name", r.info.name},
                         {"condition", r.info.cond},
                         {"output", r.output},
                         {"description", r.info.desc},
                         {"priority", std::string(rules::priority_name(r.info.priority))},
                         {"source", r.info.source},
                         {"tags", r.info.tags},
                         {"enabled", r.info.enabled}};
  std::vector<std::string> events;
  for (size_t c = 0; c < r.event_codes.size() && c < names.size(); ++c) {
    if (r.event_codes[c] && std::find(events.begin(), events.end(), names[c]) == events.end()) {
      events.push_back(names[c]);
    }
  }
  nlohmann::json details = {{"condition_compiled", rules::as_string(*r.expr->ast)},
                            {"output_fields", r.format.field_names()},
                            {"exception_fields", r.exception_fields},
                            {"events", events}};
  return {{"info", info}, {"details", details}};
}

}  // namespace

rules::RuleSetOptions rule_set_options(const core::Config& config) {
  rules::RuleSetOptions o;
  o.min_priority = core::parse_priority(config.get<std::string>("priority", "debug"));
  YAML::Node sel = config.node("rules");
  for (size_t i = 0; sel.IsSequence() && i < sel.size(); ++i) {
    o.selections.push_back(read_selection(sel[i]));
  }
  YAML::Node ao = config.node("append_output");
  for (size_t i = 0; ao.IsSequence() && i < ao.size(); ++i) {
    if (ao[i]["extra_output"] || ao[i]["extra_fields"]) {
      o.append_output.push_back(read_append_output(ao[i]));
    }
  }
  return o;
}

rules::RuleEngineOptions rule_engine_options(const core::Config& config) {
  rules::RuleEngineOptions o;
  const std::string m = config.get<std::string>("rule_matching", "first");
  if (m != "first" && m != "all") {
    throw std::runtime_error("rule_matching must be 'first' or 'all', not '" + m + "'");
  }
  o.match_all = m == "all";
  return o;
}

std::vector<std::string> rules_files_to_load(const CliOptions& opts, const core::Config& config) {
  std::vector<std::string> paths = opts.rules_files;
  if (paths.empty()) {
    for (const auto& p : config.get<std::vector<std::string>>("rules_files", {})) {
      if (fs::exists(p)) {
        paths.push_back(p);
      } else {
        core::log(LogLevel::kWarning, "rules", "rules_files entry '" + p + "' does not exist");
      }
    }
  }
  return rules::expand_rules_paths(paths);
}

std::vector<rules::LoadResult> load_rules_files(rules::RuleSet& set,
                                                const std::vector<std::string>& files, bool quiet,
                                                bool verbose) {
  std::vector<rules::LoadResult> out;
  StartReport report(verbose);
  for (size_t i = 0; i < files.size(); ++i) {
    out.push_back(set.load_file(files[i]));
    const rules::LoadResult& r = out.back();
    if (!quiet) report.file_loaded(set, r, i + 1 == files.size());
    if (!r.successful) return out;
    core::log(LogLevel::kInfo, "rules", "loaded rules from " + files[i]);
  }
  if (!quiet) report.done(set);
  return out;
}

int validate_rules(core::Engine& engine, const CliOptions& opts, const core::Config& config) {
  const bool json = config.get<bool>("json_output", false);
  rules::RuleSet set(rules::engine_host(engine), rule_set_options(config));
  std::vector<rules::LoadResult> results;
  bool ok = true;
  for (const auto& f : rules::expand_rules_paths(opts.validate_files)) {
    results.push_back(set.load_file(f));
    const rules::LoadResult& r = results.back();
    ok = ok && r.successful;
    if (!json) std::cout << validation_text(r, SkippedRules(set), opts.verbose);
  }
  if (json) std::cout << rules::results_to_json(results) << "\n";
  return ok ? 0 : 1;
}

int list_rules(const rules::RuleSet& set, const CliOptions& opts, const core::Config& config) {
  const bool json = config.get<bool>("json_output", false);
  auto names = [&](const std::string& src) {
    return set.host().event_types ? set.host().event_types(src) : std::vector<std::string>{};
  };
  if (!opts.describe_rule.empty()) {
    const rules::CompiledRule* r = set.find(opts.describe_rule);
    if (r == nullptr) {
      std::cerr << "Rule '" << opts.describe_rule << "' is not loaded\n";
      return 1;
    }
    if (json) {
      std::cout << nlohmann::json{{"rules", {rule_json(*r, names(r->info.source))}}}.dump(2)
                << "\n";
    } else {
      std::cout << r->info.name << "\n  " << r->info.desc << "\n  condition: " << r->condition
                << "\n  output: " << r->output << "\n";
    }
    return 0;
  }
  if (json) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& r : set.compiled().rules) arr.push_back(rule_json(r, names(r.info.source)));
    nlohmann::json lists = nlohmann::json::array(), macros = nlohmann::json::array();
    for (const auto& l : set.loader().resolved().lists) {
      lists.push_back({{"name", l.name}, {"items", l.items}, {"used", l.used}});
    }
    for (const auto& m : set.loader().resolved().macros) {
      macros.push_back({{"name", m.name}, {"condition", m.condition}, {"used", m.used}});
    }
    std::cout << nlohmann::json{{"rules", arr}, {"macros", macros}, {"lists", lists}}.dump(2)
              << "\n";
    return 0;
  }
  std::printf("%-50s %s\n", "Rule", "Description");
  std::printf("%-50s %s\n", "----", "-----------");
  for (const auto& r : set.compiled().rules) {
    std::printf("%-50s %s\n", r.info.name.c_str(), r.info.desc.c_str());
  }
  return 0;
}

ExplainSink::ExplainSink(const rules::RuleSet& set, const rules::CompiledRule& rule, bool json)
    : rule_(rule), json_(json) {
  if (set.host().event_types) names_ = set.host().event_types(rule.info.source);
}

void ExplainSink::on_event(core::EventContext& ctx) noexcept {
  if (ctx.source() != rule_.info.source) return;
  static std::mutex mu;
  try {
    rules::ExplainNode n = rules::explain(*rule_.expr, ctx);
    const uint16_t type = ctx.event()->type;
    const std::string tname = type < names_.size() ? names_[type] : std::to_string(type);
    std::lock_guard lock(mu);
    if (json_) {
      std::cout << nlohmann::json{{"rule", rule_.info.name},
                                  {"evt.num", ctx.event()->num},
                                  {"evt.type", tname},
                                  {"match", n.value},
                                  {"explain", rules::explain_json(n)}}
                       .dump()
                << "\n";
    } else {
      std::cout << "event " << ctx.event()->num << " (" << tname << "): rule '" << rule_.info.name
                << "' " << (n.value ? "MATCHES" : "does not match") << "\n"
                << rules::explain_text(n);
    }
  } catch (...) {
    // explain is best effort: a rendering failure skips the event
  }
}

}  // namespace saker::app
