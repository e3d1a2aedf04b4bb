// Helpers shared by the field groups; see field_table.h.
#include "field_table.h"

namespace saker::k8saudit {

using sdk::ArgKind;
using sdk::FieldInfo;
using sdk::FieldType;

const json* find(const json& j, std::initializer_list<std::string_view> keys) {
  const json* cur = &j;
  for (auto k : keys) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(k);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string to_text(const json& v) {
  if (v.is_string()) return v.get_ref<const std::string&>();
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void set_text(sdk::ExtractRequest& r, const json* v) {
  if (v && !v->is_null()) r.set(to_text(*v));
}

std::vector<const json*> elements(const FieldCtx& c, sdk::ExtractRequest& r,
                                  std::initializer_list<std::string_view> keys) {
  std::vector<const json*> out;
  const json* arr = find(c.doc, keys);
  if (!arr || !arr->is_array()) return out;
  if (r.has_arg()) {
    if (r.arg_index() < arr->size()) out.push_back(&(*arr)[r.arg_index()]);
    return out;
  }
  for (const auto& e : *arr) out.push_back(&e);
  return out;
}

void set_list(sdk::ExtractRequest& r, const std::vector<std::string>& items) {
  if (!items.empty()) r.set_strings(items);
}

FieldEntry str_field(const char* name, const char* desc, ExtractFn fn) {
  return {FieldInfo(name, FieldType::kString, desc), std::move(fn)};
}

FieldEntry list_field(const char* name, const char* desc, ExtractFn fn, bool indexed) {
  FieldInfo info(name, FieldType::kString, desc);
  info.as_list();
  if (indexed) info.with_arg(ArgKind::kIndex);
  return {info, std::move(fn)};
}

FieldEntry key_field(const char* name, const char* desc, ExtractFn fn) {
  FieldInfo info(name, FieldType::kString, desc);
  info.with_arg(ArgKind::kKey, true);
  return {info, std::move(fn)};
}

FieldEntry path_field(const char* name, const char* desc,
                      std::initializer_list<std::string_view> keys) {
  std::vector<std::string> path(keys.begin(), keys.end());
  return str_field(name, desc, [path](const FieldCtx& c, sdk::ExtractRequest& r) {
    const json* cur = &c.doc;
    for (const auto& k : path) {
      if (!cur->is_object()) return;
      auto it = cur->find(k);
      if (it == cur->end()) return;
      cur = &*it;
    }
    set_text(r, cur);
  });
}

}  // namespace saker::k8saudit
