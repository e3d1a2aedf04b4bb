// Indexing and evaluating rules per event; see rule_engine.h.
#include "rule_engine.h"

#include <algorithm>
#include <unordered_map>

#include "engine.h"

namespace saker::rules {

RuleEngine::RuleEngine(const RuleSet& rules, RuleEngineOptions options)
    : rules_(rules), options_(options) {}

RuleEngine::~RuleEngine() = default;

// Macros expand into identical checks in many rules (`container`, `spawned_process`...):
// number each check whose canonical text occurs more than once among the active rules of
// a source, so that an event evaluates it once (EvalScratch::cache).
void RuleEngine::number_shared_checks() {
  shared_ids_.assign(active_.size(), {});
  num_shared_ = 0;
  std::unordered_map<std::string, uint32_t> uses;
  std::vector<std::vector<std::string>> keys(active_.size());
  for (size_t i = 0; i < active_.size(); ++i) {
    const CompiledExpr& e = *active_[i].rule->expr;
    keys[i].resize(e.checks.size());
    for (const Node& n : e.nodes) {
      if (n.kind != Node::Kind::kCheck || n.ast == nullptr) continue;
      if (e.checks[n.check].kind == CheckKind::kEventType) continue;  // cheaper than a lookup
      std::string key = active_[i].rule->info.source + '\n' + as_string(*n.ast);
      ++uses[key];
      keys[i][n.check] = std::move(key);
    }
  }
  std::unordered_map<std::string, uint32_t> ids;
  for (size_t i = 0; i < active_.size(); ++i) {
    shared_ids_[i].assign(keys[i].size(), 0);
    for (size_t k = 0; k < keys[i].size(); ++k) {
      if (keys[i][k].empty() || uses[keys[i][k]] < 2) continue;
      auto [it, fresh] = ids.try_emplace(keys[i][k], num_shared_ + 1);
      if (fresh) ++num_shared_;
      shared_ids_[i][k] = it->second;
    }
  }
}

const Program& RuleEngine::specialized(uint32_t id, int32_t code, BuildCache& cache) const {
  const CompiledExpr& e = *active_[id].rule->expr;
  std::vector<bool> key{code < 0};  // a negative code folds nothing
  for (const Check& c : e.checks) {
    if (!c.by_event_type) continue;
    key.push_back(code >= 0 && static_cast<size_t>(code) < c.type_codes.size() &&
                  c.type_codes[code]);
  }
  auto [it, fresh] = cache.programs[id].try_emplace(std::move(key));
  if (fresh) {
    it->second = specialize(e, code);
    for (FlatNode& n : it->second.nodes) {
      if (n.kind == Node::Kind::kCheck) n.count = shared_ids_[id][n.arg];
    }
  }
  return it->second;
}

void RuleEngine::build_bucket(Bucket& b, const std::vector<uint32_t>& ids, int32_t code,
                              BuildCache& cache) const {
  std::vector<std::pair<uint32_t, const Program*>> candidates;
  for (uint32_t id : ids) {
    const Program& p = specialized(id, code, cache);
    if (!is_const_false(p)) candidates.emplace_back(id, &p);
  }
  if (auto it = cache.buckets.find(candidates); it != cache.buckets.end()) {
    const Bucket& same = *it->second;
    b.entries = same.entries;
    b.code = same.code;  // its checks are the rules', not the entries'
    if (same.batch) b.batch = std::make_unique<core::FieldBatch>(*same.batch);
    return;
  }
  for (const auto& [id, p] : candidates) b.entries.push_back({id, *p});
  std::vector<LinkedProgram> linked;
  for (const Entry& e : b.entries) {
    linked.push_back({&e.program, active_[e.active].rule->expr->checks.data()});
  }
  b.code = link(linked);
  cache.buckets.emplace(std::move(candidates), &b);
  if (!options_.prefetch || b.entries.empty()) return;
  // The field of the first check each program runs is read on every event of the bucket.
  std::vector<uint32_t> slots;
  for (const Entry& e : b.entries) {
    const Program& p = e.program;
    uint32_t n = p.root;
    while (p.nodes[n].kind != Node::Kind::kCheck && p.nodes[n].kind != Node::Kind::kConst) {
      n = p.children[p.nodes[n].arg];
    }
    if (p.nodes[n].kind != Node::Kind::kCheck) continue;
    const Check& c = active_[e.active].rule->expr->checks[p.nodes[n].arg];
    if (c.by_event_type) continue;
    if (std::find(slots.begin(), slots.end(), c.left.slot) == slots.end()) {
      slots.push_back(c.left.slot);
    }
  }
  if (!slots.empty()) b.batch = std::make_unique<core::FieldBatch>(*rules_.host().slots, slots);
}

void RuleEngine::activate() {
  static std::atomic<uint64_t> activations{0};
  activation_ = ++activations;
  const RuleEngineHost& host = rules_.host();
  active_.clear();
  index_.clear();
  max_scratch_ = 0;
  if (host.metrics) {
    m_matches_ = host.metrics->add("rules_matches_total", core::MetricKind::kCounter,
                                   "Rule matches, all rules");
  }
  for (const CompiledRule* r : rules_.active_rules()) {
    uint32_t metric = 0;
    if (host.metrics) {
      metric = host.metrics->add("rules_matches_total{rule_name=\"" + r->info.name + "\"}",
                                 core::MetricKind::kCounter, "Matches of one rule");
    }
    active_.push_back({r, metric});
    max_scratch_ = std::max(max_scratch_, r->expr->scratch_needed);
  }
  number_shared_checks();
  std::vector<std::string> sources;
  for (const auto& a : active_) {
    if (std::find(sources.begin(), sources.end(), a.rule->info.source) == sources.end()) {
      sources.push_back(a.rule->info.source);
    }
  }
  BuildCache cache;
  cache.programs.resize(active_.size());
  for (const auto& src : sources) {
    cache.buckets.clear();  // they point into this source's `si`
    SourceIndex si;
    si.source = src;
    size_t ncodes = 0;
    for (const auto& a : active_) {
      if (a.rule->info.source == src) ncodes = std::max(ncodes, a.rule->event_codes.size());
    }
    std::vector<std::vector<uint32_t>> ids(ncodes);
    std::vector<uint32_t> any;
    for (uint32_t i = 0; i < active_.size(); ++i) {
      const CompiledRule& r = *active_[i].rule;
      if (r.info.source != src) continue;
      const bool unrestricted = r.event_codes.empty();
      for (size_t c = 0; c < ncodes; ++c) {
        if (unrestricted || r.event_codes[c]) ids[c].push_back(i);
      }
      if (unrestricted) any.push_back(i);
    }
    si.by_type.resize(ncodes);
    for (size_t c = 0; c < ncodes; ++c) {
      build_bucket(si.by_type[c], ids[c], static_cast<int32_t>(c), cache);
    }
    build_bucket(si.any_type, any, -1, cache);
    index_.push_back(std::move(si));
  }
}

std::optional<std::vector<uint16_t>> RuleEngine::interesting_types(
    const std::string& source) const {
  std::vector<uint16_t> out;
  for (const auto& a : active_) {
    if (a.rule->info.source != source) continue;
    const auto& codes = a.rule->event_codes;
    // No type names, or a condition that does not restrict the type (every code set).
    if (codes.empty() || std::find(codes.begin(), codes.end(), false) == codes.end()) {
      return std::nullopt;
    }
    for (size_t c = 0; c < codes.size(); ++c) {
      if (codes[c]) out.push_back(static_cast<uint16_t>(c));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const RuleEngine::SourceIndex* RuleEngine::index_of(const std::string& source) const noexcept {
  for (const auto& s : index_) {
    if (s.source == source) return &s;
  }
  return nullptr;
}

const RuleEngine::Bucket& RuleEngine::bucket_of(const SourceIndex& s,
                                                uint16_t type) const noexcept {
  return type < s.by_type.size() ? s.by_type[type] : s.any_type;
}

void RuleEngine::on_event(core::EventContext& ctx) noexcept {
  // The source's index, looked up once per context and activation.
  core::EventContext::SinkCache& sc = ctx.sink_cache();
  if (sc.owner != this || sc.tag != activation_) [[unlikely]] {
    sc = {this, activation_, index_of(ctx.source())};
  }
  const auto* si = static_cast<const SourceIndex*>(sc.value);
  if (si == nullptr) return;
  // Most events of a busy host meet no rule: this much, and no more, is their cost.
  const uint16_t type = ctx.event()->type;
  const Bucket& b = type < si->by_type.size() ? si->by_type[type] : si->any_type;
  if (!b.entries.empty()) evaluate(b, ctx);
}

void RuleEngine::evaluate(const Bucket& b, core::EventContext& ctx) noexcept {
  if (b.batch) ctx.fetch(*b.batch);
  thread_local EvalScratch scratch;
  if (scratch.bufs.size() < max_scratch_ || scratch.cache_buf.size() <= num_shared_) {
    try {
      if (scratch.bufs.size() < max_scratch_) scratch.bufs.resize(max_scratch_);
      if (scratch.cache_buf.size() <= num_shared_) scratch.cache_buf.resize(num_shared_ + 1);
    } catch (...) {
      alert_errors_++;
      return;
    }
  }
  // A new stamp per call invalidates every cached check result, also those written for
  // another engine on this thread.
  scratch.cache = scratch.cache_buf.data();
  ++scratch.stamp;
  uint32_t pc = b.code.start;
  while (true) {
    pc = run_branch(b.code, pc, ctx, scratch);
    const BranchInsn& t = b.code.code[pc];
    if (t.shared == BranchInsn::kEnd) break;
    emit(active_[b.entries[t.shared].active], ctx);
    if (!options_.match_all) break;
    pc = t.next[1];
  }
}

void RuleEngine::emit(const Active& a, core::EventContext& ctx) noexcept {
  const RuleEngineHost& host = rules_.host();
  if (host.metrics) {
    host.metrics->inc(a.metric);
    host.metrics->inc(m_matches_);
  }
  if (!host.publish) return;
  try {
    const CompiledRule& r = *a.rule;
    core::AlertRecord alert;
    alert.time = ctx.event()->ts;
    alert.priority = static_cast<core::Priority>(static_cast<uint32_t>(r.info.priority));
    alert.rule = r.info.name;
    alert.source = r.info.source;
    alert.tags.assign(r.info.tags.begin(), r.info.tags.end());
    r.format.render(ctx, &alert.message, &alert.fields);
    for (const auto& [key, fmt] : r.extra_fields) {
      std::string text;
      std::vector<core::RenderedField> inner;
      fmt.render(ctx, &text, &inner);
      const bool bare = inner.size() == 1 && fmt.source_text() == key;
      alert.fields.push_back({key, text, bare ? inner[0].json : nlohmann::json(text)});
    }
    host.publish(std::move(alert));
  } catch (...) {
    alert_errors_++;
  }
}

std::vector<const CompiledRule*> RuleEngine::candidates(const std::string& source,
                                                        uint16_t type) const {
  std::vector<const CompiledRule*> out;
  const SourceIndex* si = index_of(source);
  if (si == nullptr) return out;
  for (const Entry& e : bucket_of(*si, type).entries) out.push_back(active_[e.active].rule);
  return out;
}

uint64_t RuleEngine::matches(const std::string& rule) const {
  const RuleEngineHost& host = rules_.host();
  for (const auto& a : active_) {
    if (a.rule->info.name == rule && host.metrics) return host.metrics->get(a.metric);
  }
  return 0;
}

RuleEngineHost engine_host(core::Engine& engine) {
  RuleEngineHost h;
  h.registry = &engine.fields();
  h.slots = &engine.slots();
  h.metrics = &engine.metrics();
  h.publish = [&engine](core::AlertRecord a) { engine.publish(std::move(a)); };
  h.event_types = [&engine](const std::string& source) {
    core::PluginInstance* p = engine.source_plugin(source);
    return p ? p->event_types() : std::vector<std::string>{};
  };
  h.is_known_source = [&engine](const std::string& source) {
    return engine.source_plugin(source) != nullptr;
  };
  return h;
}

}  // namespace saker::rules
