// The per-event member index; see record.h.
#include "record.h"

namespace saker::cloudtrail {

namespace {
inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
}  // namespace

bool RecordIndex::reset(std::string_view doc) {
  doc_ = doc;
  members_.clear();
  escaped_keys_ = false;
  scanned_all_ = true;
  size_t first = 0, last = doc.size();
  while (first < last && is_ws(doc[first])) ++first;
  while (last > first && is_ws(doc[last - 1])) --last;
  if (last - first < 2 || doc[first] != '{' || doc[last - 1] != '}') return false;
  doc_ = doc.substr(first, last - first);
  scan_pos_ = 1;
  scanned_all_ = false;
  return true;
}

// Reads the member at scan_pos_ into the index; false at the end (or on bad JSON).
bool RecordIndex::scan_next() const {
  if (scanned_all_) return false;
  bool ok = false;
  // One member: its key, and the extent of its value, found by jv::for_each_member over
  // the rest of the object written as "{<rest>".
  std::string_view rest = doc_.substr(scan_pos_);
  size_t i = 0;
  while (i < rest.size() && (is_ws(rest[i]) || rest[i] == ',')) ++i;
  if (i < rest.size() && rest[i] == '"') {
    auto key_end = jv::value_at(rest.substr(i));
    if (key_end && jv::is_string(*key_end)) {
      size_t j = i + key_end->size();
      while (j < rest.size() && is_ws(rest[j])) ++j;
      if (j < rest.size() && rest[j] == ':') {
        ++j;
        while (j < rest.size() && is_ws(rest[j])) ++j;
        auto value = jv::value_at(rest.substr(j));
        if (value) {
          std::string_view k = key_end->substr(1, key_end->size() - 2);
          if (k.find('\\') != std::string_view::npos) escaped_keys_ = true;
          members_.push_back({k, *value});
          scan_pos_ += j + value->size();
          ok = true;
        }
      }
    }
  }
  if (!ok) scanned_all_ = true;
  return ok;
}

std::optional<jv::View> RecordIndex::top(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return m.value;
  }
  while (scan_next()) {
    if (members_.back().key == key) return members_.back().value;
  }
  if (escaped_keys_) return jv::member(doc_, key);
  return std::nullopt;
}

std::optional<jv::View> RecordIndex::at(std::string_view key,
                                        std::initializer_list<std::string_view> below) const {
  auto v = top(key);
  if (!v) return v;
  return jv::path(*v, below);
}

bool RecordIndex::top_equals(std::string_view key, std::string_view value) const {
  auto v = top(key);
  return v && jv::string_equals(*v, value);
}

}  // namespace saker::cloudtrail
