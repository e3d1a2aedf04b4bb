// Open params and line rendering shared by the output plugins.
#include "output_common.h"

namespace saker::outputs {

using nlohmann::json;

Params::Params(const std::string& text, std::string section) : section_(std::move(section)) {
  if (text.empty()) {
    p_ = json::object();
    return;
  }
  p_ = json::parse(text, nullptr, false);
  if (p_.is_discarded() || !p_.is_object()) {
    throw sdk::PluginError(section_ + ": the output's settings must be a JSON object");
  }
}

void Params::fail(const char* key, const std::string& what) const {
  throw sdk::PluginError(section_ + "." + key + ": " + what);
}

std::string Params::str(const char* key, const std::string& def) const {
  if (!has(key)) return def;
  const auto& v = p_[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  fail(key, "expected a string, got " + v.dump());
}

bool Params::boolean(const char* key, bool def) const {
  if (!has(key)) return def;
  const auto& v = p_[key];
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {  // YAML scalars may arrive as text
    const auto s = v.get<std::string>();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  fail(key, "expected true or false, got " + v.dump());
}

uint64_t Params::uint(const char* key, uint64_t def) const {
  if (!has(key)) return def;
  const auto& v = p_[key];
  if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)) {
    return v.get<uint64_t>();
  }
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    size_t used = 0;
    try {
      if (!s.empty() && s[0] != '-') {
        uint64_t n = std::stoull(s, &used);
        if (used == s.size()) return n;
      }
    } catch (const std::exception&) {
    }
  }
  fail(key, "expected a non-negative integer, got " + v.dump());
}

std::vector<std::pair<std::string, std::string>> Params::string_map(const char* key) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!has(key)) return out;
  const auto& v = p_[key];
  if (!v.is_object()) fail(key, "expected a map of names to values, got " + v.dump());
  for (const auto& [k, val] : v.items()) {
    if (val.is_string()) {
      out.emplace_back(k, val.get<std::string>());
    } else if (val.is_number() || val.is_boolean()) {
      out.emplace_back(k, val.dump());
    } else {
      fail(key, "the value of '" + k + "' must be a string, got " + val.dump());
    }
  }
  return out;
}

LineSettings line_settings(const Params& p) {
  LineSettings s;
  s.json = p.boolean("json_output", false);
  s.buffered = p.boolean("buffered", false);
  s.extra_fields = p.string_map("extra_fields");
  return s;
}

std::string render_json(const LineSettings& s, const sdk::Alert& a) {
  if (s.extra_fields.empty()) return std::string(a.json());
  json j = json::parse(a.json(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::string(a.json());
  auto& fields = j["output_fields"];
  if (!fields.is_object()) fields = json::object();
  for (const auto& [k, v] : s.extra_fields) fields[k] = v;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void render_line(const LineSettings& s, const sdk::Alert& a, std::string* out) {
  if (s.json) {
    if (s.extra_fields.empty()) {
      out->assign(a.json());
    } else {
      *out = render_json(s, a);
    }
    return;
  }
  out->assign(a.text());
  for (const auto& [k, v] : s.extra_fields) {
    out->append(" ").append(k).append("=").append(v);
  }
}

}  // namespace saker::outputs
