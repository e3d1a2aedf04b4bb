// Loading, compiling and selecting rules; see rule_set.h.
#include "rule_set.h"

#include <algorithm>
#include <filesystem>

namespace saker::rules {
namespace {

LoaderOptions loader_options(const RuleEngineHost& host) {
  LoaderOptions o;
  o.collector.is_known_source = host.is_known_source;
  const core::FieldRegistry* reg = host.registry;
  o.collector.is_valid_field = [reg](const std::string& source, const std::string& field) {
    return reg == nullptr || reg->find(source, field.substr(0, field.find('['))) != nullptr;
  };
  return o;
}

bool selected(const RuleSelection& s, const CompiledRule& r) {
  if (s.rule && !wildcard_match(*s.rule, r.info.name)) return false;
  if (s.tag && r.info.tags.count(*s.tag) == 0) return false;
  return s.rule || s.tag;
}

}  // namespace

bool wildcard_match(std::string_view p, std::string_view s) {
  size_t star = std::string_view::npos, match = 0, i = 0, j = 0;
  while (j < s.size()) {
    if (i < p.size() && p[i] == '*') {
      star = i++;
      match = j;
    } else if (i < p.size() && p[i] == s[j]) {
      ++i;
      ++j;
    } else if (star != std::string_view::npos) {
      i = star + 1;
      j = ++match;
    } else {
      return false;
    }
  }
  while (i < p.size() && p[i] == '*') ++i;
  return i == p.size();
}

RuleSet::RuleSet(RuleEngineHost host, RuleSetOptions options)
    : host_(std::move(host)), options_(std::move(options)), loader_([this] {
        LoaderOptions o = loader_options(host_);
        o.compile = [this](const ResolvedRuleSet& set, LoadResult& result) {
          RuleCompilerOptions co;
          co.registry = host_.registry;
          co.slots = host_.slots;
          co.event_types = host_.event_types;
          co.append_output = options_.append_output;
          compiled_ = compile_rule_set(set, co, result);
        };
        return o;
      }()) {}

LoadResult RuleSet::load_file(const std::string& path) { return loader_.load_file(path); }

LoadResult RuleSet::load_content(const std::string& name, const std::string& content) {
  return loader_.load_content(name, content);
}

std::vector<const CompiledRule*> RuleSet::active_rules() const {
  std::vector<const CompiledRule*> out;
  const auto threshold = static_cast<uint32_t>(options_.min_priority);
  for (const auto& r : compiled_.rules) {
    if (static_cast<uint32_t>(r.info.priority) > threshold) continue;
    bool on = r.info.enabled;
    for (const auto& s : options_.selections) {
      if (selected(s, r)) on = s.enable;
    }
    if (on) out.push_back(&r);
  }
  return out;
}

const CompiledRule* RuleSet::find(const std::string& name) const {
  for (const auto& r : compiled_.rules) {
    if (r.info.name == name) return &r;
  }
  return nullptr;
}

std::vector<std::string> expand_rules_paths(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (!fs::is_directory(p, ec)) {
      out.push_back(p);
      continue;
    }
    std::vector<std::string> files;
    for (const auto& e : fs::directory_iterator(p, ec)) {
      const std::string ext = e.path().extension().string();
      if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace saker::rules
