// Every field every provider declares, looked up by (source, name) at rule-compile
// time. Lookups are cold-path; evaluation uses the resolved slots of FieldSlots.
// Not thread-safe for writes: fill it while loading, then share it read-only.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "field_provider.h"

namespace saker::core {

class FieldRegistry {
 public:
  // Register every field of `p` (the provider must outlive the registry).
  void add_provider(FieldProvider* p);
  // The field `name` for `source`. A field declared for that source specifically wins
  // over a generic one (empty source list); returns nullptr when unknown.
  const FieldDef* find(std::string_view source, std::string_view name) const;
  // All fields applying to `source` ("" = all fields), in registration order.
  std::vector<const FieldDef*> list(std::string_view source = "") const;
  const std::vector<std::unique_ptr<FieldDef>>& all() const { return defs_; }

 private:
  std::vector<std::unique_ptr<FieldDef>> defs_;
  std::multimap<std::string, const FieldDef*, std::less<>> by_name_;
};

}  // namespace saker::core
