// The record being extracted from: its JSON text and an index of its top-level members,
// built lazily: a lookup scans members only until it finds its key, and remembers what
// it passed. Most records meet rules that read ct.name first and stop there, so the bulk
// of a record (request and response elements) is usually never scanned. Reused across
// events: no allocation once its vector has grown.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "json_view.h"

namespace saker::cloudtrail {

class RecordIndex {
 public:
  // Starts indexing `doc`; false when it is not a JSON object (no field has a value then).
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
  bool scan_next() const;

  std::string_view doc_;
  // The index is a cache: filled by const lookups.
  mutable std::vector<Member> members_;
  mutable size_t scan_pos_ = 0;  // where the next unscanned member starts
  mutable bool scanned_all_ = true;
  mutable bool escaped_keys_ = false;
};

}  // namespace saker::cloudtrail
