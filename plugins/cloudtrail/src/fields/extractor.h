// Field extraction for aws_cloudtrail events: owns the field table and the member index
// of the current record, built once per event however many fields and extract calls ask
// for it (keyed by event number, data pointer and length). Called by the host on one
// thread at a time per instance (the C ABI's rule); not thread-safe otherwise.
#pragma once

#include <saker/sdk/types.h>

#include <vector>

#include "field_table.h"

namespace saker::cloudtrail {

class FieldExtractor {
 public:
  FieldExtractor();
  std::vector<sdk::FieldInfo> infos() const;
  void extract(const sdk::Event& evt, sdk::ExtractRequest& req);
  // Events that were not a JSON object (injected by another plugin): no field has a value.
  uint64_t bad_events() const { return bad_events_; }

 private:
  const RecordIndex* index(const sdk::Event& evt);

  std::vector<FieldEntry> table_;
  RecordIndex rec_;
  uint64_t cached_num_ = 0;
  const uint8_t* cached_data_ = nullptr;
  uint64_t cached_len_ = 0;
  bool cached_ok_ = false;
  uint64_t bad_events_ = 0;
};

}  // namespace saker::cloudtrail
