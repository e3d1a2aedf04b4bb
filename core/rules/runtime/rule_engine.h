// The rule engine at run time: the core's EventSink. Active rules are indexed by
// (source, event type code), so an event only meets the rules whose inferred event-type
// set contains its type (rules of a source without type names, or matching any type, sit
// in every bucket); candidates are tried in rule order, stopping at the first match
// unless `rule_matching: all`. A match counts in the rule's metric and publishes an
// AlertRecord (rule, priority, source, tags, rendered output and output fields, event time).
//
// Thread-safety: on_event() is called concurrently from one thread per source, each with
// its own EventContext; the index is immutable after activate(), counters are atomics,
// transformer scratch is per thread. Hot path: noexcept; the no-match path does not
// allocate once warm.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rules/compiler/evaluator.h"
#include "event_sink.h"
#include "rule_set.h"

namespace saker::core {
class Engine;
}

namespace saker::rules {

struct RuleEngineOptions {
  bool match_all = false;  // rule_matching: all
  // Batch-extract, before a bucket's rules run, the field of each candidate rule's first
  // check. Off: one extract call per field as checks ask costs fewer instructions with the
  // plugins measured (syscall: -1 % to -2 % of a whole replay; k8saudit: no change), since
  // the short-circuits leave few of those fields unread. rules_bench compares both.
  bool prefetch = false;
};

class RuleEngine : public core::EventSink {
 public:
  // `rules` must outlive the engine and not change after activate().
  RuleEngine(const RuleSet& rules, RuleEngineOptions options = {});
  ~RuleEngine() override;

  // Index the active rules and register their match counters. Call once rules are
  // loaded and before events flow (again after loading more files).
  void activate();

  void on_event(core::EventContext& ctx) noexcept override;
  // Union of the event type codes the active rules of `source` restrict themselves to;
  // nullopt when one of them matches every type. Empty when the source has no rules.
  std::optional<std::vector<uint16_t>> interesting_types(const std::string& source) const override;

  size_t num_active() const { return active_.size(); }
  // Rules in the bucket of (source, type code), in evaluation order (for tests, -v).
  std::vector<const CompiledRule*> candidates(const std::string& source, uint16_t type) const;
  uint64_t matches(const std::string& rule) const;
  uint64_t alert_errors() const { return alert_errors_; }

 private:
  struct Active {
    const CompiledRule* rule;
    uint32_t metric;
  };
  // One candidate rule of a bucket: its program specialised for the bucket's type code
  // (evt.type checks folded to constants).
  struct Entry {
    uint32_t active;  // index into active_
    Program program;
  };
  struct Bucket {
    std::vector<Entry> entries;
    BranchProgram code;  // the entries' programs linked, tried in order
    std::unique_ptr<core::FieldBatch> batch;
  };
  struct SourceIndex {
    std::string source;
    std::vector<Bucket> by_type;  // by type code
    Bucket any_type;              // codes past the names list
  };
  // While activate() builds one source's buckets: the programs specialised per active
  // rule, by the outcomes of its evt.type checks (all specialize() depends on: most codes
  // give a rule one of a few programs), and the buckets built so far, by their candidates'
  // (rule, program) lists (many codes get the same candidates: built and linked once).
  struct BuildCache {
    std::vector<std::map<std::vector<bool>, Program>> programs;
    std::map<std::vector<std::pair<uint32_t, const Program*>>, const Bucket*> buckets;
  };
  void build_bucket(Bucket& b, const std::vector<uint32_t>& rules, int32_t code,
                    BuildCache& cache) const;
  const Program& specialized(uint32_t id, int32_t code, BuildCache& cache) const;
  void number_shared_checks();
  const SourceIndex* index_of(const std::string& source) const noexcept;
  const Bucket& bucket_of(const SourceIndex& s, uint16_t type) const noexcept;
  // Out of line: on_event() stays a few instructions for the events no rule can match.
  [[gnu::noinline]] void evaluate(const Bucket& b, core::EventContext& ctx) noexcept;
  void emit(const Active& a, core::EventContext& ctx) noexcept;

  const RuleSet& rules_;
  RuleEngineOptions options_;
  std::vector<Active> active_;
  std::vector<SourceIndex> index_;
  uint32_t max_scratch_ = 0;
  // Per active rule, per check of its condition: the shared-check id (0: used once).
  std::vector<std::vector<uint32_t>> shared_ids_;
  uint32_t num_shared_ = 0;
  uint32_t m_matches_ = 0;
  // Distinguishes this engine's activations in EventContext::sink_cache (process-wide
  // unique, so a context never takes another engine's index for this one's).
  uint64_t activation_ = 0;
  std::atomic<uint64_t> alert_errors_{0};
};

// The host view of a running core::Engine: its registry, slots, metrics, publish, and the
// event type names of its source plugins.
RuleEngineHost engine_host(core::Engine& engine);

}  // namespace saker::rules
