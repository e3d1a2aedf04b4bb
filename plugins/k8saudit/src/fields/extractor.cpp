// Field dispatch with the per-event document cache; see extractor.h.
#include "extractor.h"

namespace saker::k8saudit {

FieldExtractor::FieldExtractor(ParseLimits limits, Stats* stats, std::string cluster_name)
    : limits_(limits), stats_(stats) {
  for (auto group : {audit_fields, request_fields, container_fields, json_fields}) {
    for (auto& f : group()) table_.push_back(std::move(f));
  }
  table_.push_back(
      str_field("ka.cluster.name", "The name of the cluster (init_config cluster_name)",
                [name = std::move(cluster_name)](const FieldCtx&, sdk::ExtractRequest& r) {
                  if (!name.empty()) r.set(name);
                }));
}

std::vector<sdk::FieldInfo> FieldExtractor::infos() const {
  std::vector<sdk::FieldInfo> out;
  out.reserve(table_.size());
  for (const auto& f : table_) out.push_back(f.info);
  return out;
}

const json* FieldExtractor::parse(const sdk::Event& evt) {
  if (evt.num() == cached_num_ && evt.data() == cached_data_ && evt.size() == cached_len_ &&
      cached_data_ != nullptr) {
    return cached_ok_ ? &doc_ : nullptr;
  }
  cached_num_ = evt.num();
  cached_data_ = evt.data();
  cached_len_ = evt.size();
  std::string_view text = evt.text();
  // Events from this plugin's streams are already checked; others (injected) may not be.
  cached_ok_ = max_nesting(text) <= limits_.max_depth;
  if (cached_ok_) {
    doc_ = json::parse(text, nullptr, false);
    cached_ok_ = doc_.is_object();
  }
  if (!cached_ok_) {
    doc_ = nullptr;
    if (stats_) stats_->add(Counter::kExtractErrors);
  }
  return cached_ok_ ? &doc_ : nullptr;
}

void FieldExtractor::extract(const sdk::Event& evt, sdk::ExtractRequest& req) {
  if (req.field_id() >= table_.size()) return;
  const FieldEntry& f = table_[req.field_id()];
  // json.obj / json.rawtime need no parsing, but the cost is paid once per event anyway.
  const json* doc = parse(evt);
  if (!doc) return;
  f.fn(FieldCtx{*doc, evt}, req);
}

}  // namespace saker::k8saudit
