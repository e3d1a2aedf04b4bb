// Field dispatch with the per-event index cache; see extractor.h.
#include "extractor.h"

namespace saker::cloudtrail {

FieldExtractor::FieldExtractor() {
  for (auto group : {ct_fields, service_fields, json_fields}) {
    for (auto& f : group()) table_.push_back(std::move(f));
  }
}

std::vector<sdk::FieldInfo> FieldExtractor::infos() const {
  std::vector<sdk::FieldInfo> out;
  out.reserve(table_.size());
  for (const auto& f : table_) out.push_back(f.info);
  return out;
}

const RecordIndex* FieldExtractor::index(const sdk::Event& evt) {
  if (cached_data_ == nullptr || evt.num() != cached_num_ || evt.data() != cached_data_ ||
      evt.size() != cached_len_) {
    cached_num_ = evt.num();
    cached_data_ = evt.data();
    cached_len_ = evt.size();
    cached_ok_ = rec_.reset(evt.text());
    if (!cached_ok_) ++bad_events_;
  }
  return cached_ok_ ? &rec_ : nullptr;
}

void FieldExtractor::extract(const sdk::Event& evt, sdk::ExtractRequest& req) {
  if (req.field_id() >= table_.size()) return;
  const RecordIndex* rec = index(evt);
  if (!rec) return;
  table_[req.field_id()].fn(FieldCtx{*rec, evt}, req);
}

}  // namespace saker::cloudtrail
