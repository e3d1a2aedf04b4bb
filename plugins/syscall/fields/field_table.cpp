// Assembly of the field table and helpers shared by the field families.
#include "field_table.h"

namespace saker::syscall::fields {

std::vector<FieldEntry> all_fields(bool any_match_lists) {
  std::vector<FieldEntry> all;
  for (auto family : {&evt_fields, &proc_fields, &proc_tree_fields, &thread_fields, &fd_fields,
                      &fs_fields, &user_fields, &cgroup_fields, &arg_fields}) {
    for (auto& f : family()) {
      if (f.any_match && any_match_lists) f.info.as_list();
      all.push_back(std::move(f));
    }
  }
  return all;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

const std::string& cmdline(const ThreadInfo& t) { return t.cmdline; }

void set_nonempty(const FieldCtx& c, std::string_view s) {
  if (!s.empty()) c.req.set(s);
}

}  // namespace saker::syscall::fields
