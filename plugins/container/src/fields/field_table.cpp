// Assembly of the field table and shared helpers.
#include "field_table.h"

namespace saker::container::fields {

std::vector<FieldEntry> all_fields() {
  std::vector<FieldEntry> all;
  for (auto family : {&container_fields, &mount_fields, &k8s_fields}) {
    for (auto& f : family()) all.push_back(std::move(f));
  }
  return all;
}

void set_nonempty(const FieldCtx& c, std::string_view s) {
  if (!s.empty()) c.req.set(s);
}

std::string join_labels(const std::map<std::string, std::string>& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ',';
    out += k;
    out += ':';
    out += v;
  }
  return out;
}

}  // namespace saker::container::fields
