// Reporting rules loading: -V text, the quiet start, and the sum-up of skipped rules.
#include "load_report.h"

#include <iostream>
#include <vector>

#include "log.h"

namespace saker::app {

namespace {

using rules::Diagnostic;
using rules::LoadCode;

// The words of a condition or list item that may name a macro or a list. Over-collecting
// (field names, values) is harmless: only macro and list names are looked up.
void add_words(const std::string& text, std::vector<std::string>* out) {
  static constexpr std::string_view kDelims = " \t\r\n(),=!<>\"'";
  size_t i = 0;
  while (i < text.size()) {
    size_t start = text.find_first_not_of(kDelims, i);
    if (start == std::string::npos) break;
    size_t end = text.find_first_of(kDelims, start);
    if (end == std::string::npos) end = text.size();
    out->push_back(text.substr(start, end - start));
    i = end;
  }
}

void add_entry_words(const rules::Entry& e, std::vector<std::string>* out) {
  add_words(e.item, out);
  for (const auto& sub : e.items) add_entry_words(sub, out);
}

// The name of the macro or list an unused-item warning is about ("" otherwise).
std::string unused_item_name(const Diagnostic& d) {
  if (d.code != LoadCode::kUnusedMacro && d.code != LoadCode::kUnusedList) return "";
  for (const auto& loc : d.context.locations) {
    if (loc.item_type == "macro" || loc.item_type == "list") return loc.item_name;
  }
  return "";
}

std::string status_line(const rules::LoadResult& r) {
  const char* status = !r.successful ? "Invalid" : r.warnings.empty() ? "Ok" : "Ok, with warnings";
  return r.name + ": " + status + "\n";
}

}  // namespace

SkippedRules::SkippedRules(const rules::RuleSet& set) {
  const rules::Collector& c = set.loader().collector();
  std::vector<std::string> todo;
  for (const auto& r : c.rules()) {
    if (!r.unknown_source) continue;
    source_of_[r.name] = r.source;
    ++by_source_[r.source];
    add_words(r.cond, &todo);
    for (const auto& ex : r.exceptions) {
      for (const auto& v : ex.values) add_entry_words(v, &todo);
    }
  }
  std::map<std::string, const rules::MacroInfo*> macros;
  std::map<std::string, const rules::ListInfo*> lists;
  for (const auto& m : c.macros()) macros[m.name] = &m;
  for (const auto& l : c.lists()) lists[l.name] = &l;
  while (!todo.empty()) {
    std::string w = std::move(todo.back());
    todo.pop_back();
    if (used_names_.count(w)) continue;
    if (auto m = macros.find(w); m != macros.end()) {
      used_names_.insert(w);
      add_words(m->second->cond, &todo);
    } else if (auto l = lists.find(w); l != lists.end()) {
      used_names_.insert(w);
      for (const auto& item : l->second->items) add_words(item, &todo);
    }
  }
}

std::map<std::string, size_t> SkippedRules::by_source(const rules::LoadResult& r) const {
  std::set<std::string> names;
  for (const auto& w : r.warnings) {
    if (w.code != LoadCode::kUnknownSource) continue;
    for (const auto& loc : w.context.locations) {
      if (loc.item_type == "rule") names.insert(loc.item_name);
    }
  }
  std::map<std::string, size_t> out;
  for (const auto& name : names) {
    if (auto it = source_of_.find(name); it != source_of_.end()) ++out[it->second];
  }
  return out;
}

bool SkippedRules::is_noise(const Diagnostic& d) const {
  if (d.code == LoadCode::kUnknownSource) return true;
  const std::string name = unused_item_name(d);
  return !name.empty() && used_names_.count(name);
}

std::string skipped_rules_text(const std::map<std::string, size_t>& by_source) {
  size_t total = 0;
  std::string per_source;
  for (const auto& [source, n] : by_source) {
    total += n;
    per_source += (per_source.empty() ? "" : ", ") + source + " (" + std::to_string(n) + ")";
  }
  if (total == 0) return "";
  return "skipped " + std::to_string(total) + (total == 1 ? " rule" : " rules") +
         " of sources not loaded: " + per_source;
}

std::string validation_text(const rules::LoadResult& r, const SkippedRules& skipped, bool verbose) {
  std::string body;
  for (const auto& d : r.errors) body += "  ERROR " + d.to_text() + "\n";
  size_t unused = 0;
  for (const auto& d : r.warnings) {
    if (verbose || !skipped.is_noise(d)) {
      body += "  WARNING " + d.to_text() + "\n";
      continue;
    }
    // The loader recomputes unused items over every file so far: count this file's only.
    const rules::Position* p = d.context.innermost();
    unused += d.code != LoadCode::kUnknownSource && (p == nullptr || p->name == r.name);
  }
  const std::string line = skipped_rules_text(skipped.by_source(r));
  if (!verbose && (!line.empty() || unused > 0)) {
    body += "  WARNING LOAD_UNKNOWN_SOURCE: " +
            (line.empty() ? std::string("rules of sources not loaded") : line);
    if (unused > 0) {
      body += "; " + std::to_string(unused) + (unused == 1 ? " macro/list" : " macros/lists") +
              " only they use not reported as unused";
    }
    body += " (-v lists each)\n";
  }
  // Falco's status words; "with warnings" only when some are shown or summed up here.
  const char* status = !r.successful ? "Invalid" : body.empty() ? "Ok" : "Ok, with warnings";
  return r.name + ": " + status + "\n" + body;
}

void StartReport::file_loaded(const rules::RuleSet& set, const rules::LoadResult& r, bool last) {
  const SkippedRules skipped(set);
  std::string body;
  for (const auto& d : r.errors) body += "  ERROR " + d.to_text() + "\n";
  for (const auto& d : r.warnings) {
    if (!verbose_ && skipped.is_noise(d)) continue;
    const bool unused = d.code == LoadCode::kUnusedMacro || d.code == LoadCode::kUnusedList;
    if (unused && !last) continue;
    if (!shown_.insert(d.to_text()).second) continue;
    body += "  WARNING " + d.to_text() + "\n";
  }
  if (!body.empty()) std::cerr << status_line(r) << body;
}

void StartReport::done(const rules::RuleSet& set) const {
  const std::string line = skipped_rules_text(SkippedRules(set).by_source());
  if (!line.empty()) core::log(core::LogLevel::kInfo, "rules", line);
}

}  // namespace saker::app
