// The front end's entry point: load Falco rules files into one persistent collection and
// produce the macro-resolved rule conditions the compiler consumes.
//
//   RulesLoader loader;                         // one per engine
//   LoadResult r = loader.load_file("falco_rules.yaml");
//   if (r.successful) for (const ResolvedRule& rule : loader.resolved().rules) ...
//
// As in Falco, every file is read into the same collector (a later file may append to or
// override what an earlier one defined), the first error stops a file, and after each
// file the whole collection is preprocessed again (so warnings such as "unused macro"
// cover everything loaded so far). Not thread-safe.
#pragma once

#include <functional>
#include <string>

#include "rules/collect/collector.h"
#include "rules/syntax/parser.h"
#include "rules/preprocess/preprocessor.h"

namespace saker::rules {

struct LoaderOptions {
  CollectorOptions collector;
  uint32_t max_parse_depth = kFalcoMaxParseDepth;
  // Largest rules file read (Falco's own files are a few hundred KiB).
  uint64_t max_file_bytes = 16ull << 20;
  // The next stage (the compiler), run on the whole collection after each file, inside
  // the file's load: a LoadError it throws is the file's error, warnings are the file's.
  std::function<void(const ResolvedRuleSet&, LoadResult&)> compile;
};

class RulesLoader {
 public:
  explicit RulesLoader(LoaderOptions options = {})
      : collector_(std::move(options.collector)),
        max_parse_depth_(options.max_parse_depth),
        max_file_bytes_(options.max_file_bytes),
        compile_(std::move(options.compile)) {}

  LoadResult load_file(const std::string& path);
  // `name` is reported as the file name in diagnostics.
  LoadResult load_content(const std::string& name, const std::string& content);

  const Collector& collector() const { return collector_; }
  // The output of the last successful load (empty before the first one).
  const ResolvedRuleSet& resolved() const { return resolved_; }

 private:
  Collector collector_;
  uint32_t max_parse_depth_;
  uint64_t max_file_bytes_;
  std::function<void(const ResolvedRuleSet&, LoadResult&)> compile_;
  ResolvedRuleSet resolved_;
};

}  // namespace saker::rules
