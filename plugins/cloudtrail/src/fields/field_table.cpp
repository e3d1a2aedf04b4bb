// Helpers shared by the field groups; see field_table.h.
#include "field_table.h"

namespace saker::cloudtrail {

using sdk::ArgKind;
using sdk::FieldInfo;
using sdk::FieldType;

void set_text(sdk::ExtractRequest& r, std::optional<jv::View> v) {
  if (!v || jv::is_null(*v)) return;
  if (jv::is_string(*v) && v->find('\\') == std::string_view::npos) {
    r.set(v->substr(1, v->size() - 2));  // the common case: no escapes, no decoding
    return;
  }
  if (auto t = jv::text(v)) r.set(*t);
}

FieldEntry str_field(const char* name, const char* display, const char* desc, ExtractFn fn) {
  FieldInfo info(name, FieldType::kString, desc);
  info.with_display(display);
  return {info, std::move(fn)};
}

FieldEntry u64_field(const char* name, const char* display, const char* desc, ExtractFn fn) {
  FieldInfo info(name, FieldType::kU64, desc);
  info.with_display(display);
  return {info, std::move(fn)};
}

FieldEntry member_field(const char* name, const char* display, const char* desc,
                        std::string_view key, std::initializer_list<std::string_view> below) {
  std::string k(key);
  std::vector<std::string> path(below.begin(), below.end());
  return str_field(name, display, desc, [k, path](const FieldCtx& c, sdk::ExtractRequest& r) {
    auto v = c.rec.top(k);
    for (const auto& step : path) {
      if (!v) return;
      v = jv::member(*v, step);
    }
    set_text(r, v);
  });
}

FieldEntry subtree_field(const char* name, const char* display, const char* desc,
                         std::string_view key) {
  std::string k(key);
  FieldEntry e = str_field(name, display, desc, [k](const FieldCtx& c, sdk::ExtractRequest& r) {
    auto v = c.rec.top(k);
    if (!v || !r.has_arg()) return set_text(r, v);
    std::string_view arg = r.arg_key();
    set_text(r, !arg.empty() && arg.front() == '/' ? jv::pointer(*v, arg) : jv::dotted(*v, arg));
  });
  e.info.with_arg(ArgKind::kKey, false);
  return e;
}

}  // namespace saker::cloudtrail
