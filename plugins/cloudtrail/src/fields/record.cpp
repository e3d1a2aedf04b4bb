// The per-event member index; see record.h.
#include "record.h"

namespace saker::cloudtrail {

bool RecordIndex::reset(std::string_view doc) {
  doc_ = doc;
  members_.clear();
  escaped_keys_ = false;
  return jv::for_each_member(doc, [&](jv::View raw_key, jv::View value) {
    std::string_view k = raw_key.substr(1, raw_key.size() - 2);
    if (k.find('\\') != std::string_view::npos) escaped_keys_ = true;
    members_.push_back({k, value});
    return true;
  });
}

std::optional<jv::View> RecordIndex::top(std::string_view key) const {
  for (const auto& m : members_) {
    if (m.key == key) return m.value;
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
