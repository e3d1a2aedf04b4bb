// The record being extracted from: its JSON text and an index of its top-level members,
// built once per event (a record has about twenty of them, and most fields read one).
// Reused across events: no allocation once its vector has grown.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "json_view.h"

namespace saker::cloudtrail {

class RecordIndex {
 public:
  // Indexes `doc`; false when it is not a JSON object (no field has a value then).
  bool reset(std::string_view doc);
  std::string_view doc() const { return doc_; }
  // The top-level member `key`.
  std::optional<jv::View> top(std::string_view key) const;
  // top-level key, then a path below it.
  std::optional<jv::View> at(std::string_view key,
                             std::initializer_list<std::string_view> below) const;
  // A top-level string member compared without copying.
  bool top_equals(std::string_view key, std::string_view value) const;

 private:
  struct Member {
    std::string_view key;  // without quotes, escapes kept
    jv::View value;
  };
  std::string_view doc_;
  std::vector<Member> members_;
  bool escaped_keys_ = false;
};

}  // namespace saker::cloudtrail
