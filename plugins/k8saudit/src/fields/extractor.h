// Field extraction for k8s_audit events: owns the field table and the parsed document
// of the current event. Each event is parsed once, however many fields and extract
// calls ask for it (the cache is keyed by event number, data pointer and length).
// Called by the host on one thread at a time per instance (the C ABI's rule); not
// thread-safe otherwise.
#pragma once

#include <saker/sdk/types.h>

#include <vector>

#include "body_parser.h"
#include "field_table.h"
#include "stats.h"

namespace saker::k8saudit {

class FieldExtractor {
 public:
  // `cluster_name`: the value of ka.cluster.name for every event (none when empty).
  FieldExtractor(ParseLimits limits, Stats* stats, std::string cluster_name = "");
  std::vector<sdk::FieldInfo> infos() const;
  void extract(const sdk::Event& evt, sdk::ExtractRequest& req);
  // The parsed event (nullptr when it is not a JSON object); for tests.
  const json* parse(const sdk::Event& evt);

 private:
  ParseLimits limits_;
  Stats* stats_;
  std::vector<FieldEntry> table_;
  uint64_t cached_num_ = 0;
  const uint8_t* cached_data_ = nullptr;
  uint64_t cached_len_ = 0;
  bool cached_ok_ = false;
  json doc_;
};

}  // namespace saker::k8saudit
