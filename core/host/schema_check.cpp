// Validation of init_config against a plugin's JSON schema (see schema_check.h).
#include "schema_check.h"

namespace saker::core {
namespace {

using nlohmann::json;

bool has_type(const json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  if (t == "integer") {
    return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
  }
  if (t == "number") return v.is_number();
  return true;  // unknown type name: not ours to refuse
}

std::string describe(const json& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::optional<std::string> check_type(const json& schema, const json& v, const std::string& path) {
  if (!schema.contains("type")) return std::nullopt;
  const json& t = schema["type"];
  std::string names;
  if (t.is_string()) {
    if (has_type(v, t.get<std::string>())) return std::nullopt;
    names = t.get<std::string>();
  } else if (t.is_array()) {
    for (const auto& n : t) {
      if (n.is_string() && has_type(v, n.get<std::string>())) return std::nullopt;
      names += (names.empty() ? "" : " or ") + (n.is_string() ? n.get<std::string>() : n.dump());
    }
  } else {
    return std::nullopt;
  }
  return path + ": expected " + names + ", got " + describe(v);
}

std::optional<std::string> check_number(const json& schema, const json& v, const std::string& path) {
  if (!v.is_number()) return std::nullopt;
  const double x = v.get<double>();
  auto bound = [&](const char* key) -> std::optional<double> {
    if (schema.contains(key) && schema[key].is_number()) return schema[key].get<double>();
    return std::nullopt;
  };
  if (auto m = bound("minimum"); m && x < *m) {
    return path + ": must be >= " + schema["minimum"].dump() + ", got " + describe(v);
  }
  if (auto m = bound("maximum"); m && x > *m) {
    return path + ": must be <= " + schema["maximum"].dump() + ", got " + describe(v);
  }
  if (auto m = bound("exclusiveMinimum"); m && x <= *m) {
    return path + ": must be > " + schema["exclusiveMinimum"].dump() + ", got " + describe(v);
  }
  if (auto m = bound("exclusiveMaximum"); m && x >= *m) {
    return path + ": must be < " + schema["exclusiveMaximum"].dump() + ", got " + describe(v);
  }
  return std::nullopt;
}

std::optional<std::string> check_sizes(const json& schema, const json& v, const std::string& path) {
  auto limit = [&](const char* key) -> std::optional<std::size_t> {
    if (schema.contains(key) && schema[key].is_number_unsigned()) return schema[key].get<std::size_t>();
    return std::nullopt;
  };
  if (v.is_string()) {
    const auto n = v.get_ref<const std::string&>().size();
    if (auto m = limit("minLength"); m && n < *m) return path + ": shorter than " + std::to_string(*m);
    if (auto m = limit("maxLength"); m && n > *m) return path + ": longer than " + std::to_string(*m);
  }
  if (v.is_array()) {
    if (auto m = limit("minItems"); m && v.size() < *m) {
      return path + ": fewer than " + std::to_string(*m) + " items";
    }
    if (auto m = limit("maxItems"); m && v.size() > *m) {
      return path + ": more than " + std::to_string(*m) + " items";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_object(const json& schema, const json& v, const std::string& path) {
  if (!v.is_object()) return std::nullopt;
  const json* props = schema.contains("properties") && schema["properties"].is_object()
                          ? &schema["properties"] : nullptr;
  if (schema.contains("required") && schema["required"].is_array()) {
    for (const auto& r : schema["required"]) {
      if (r.is_string() && !v.contains(r.get<std::string>())) {
        return path + ": missing required key '" + r.get<std::string>() + "'";
      }
    }
  }
  for (const auto& [key, value] : v.items()) {
    const std::string sub = path + "." + key;
    if (props && props->contains(key)) {
      if (auto e = schema_violation((*props)[key], value, sub)) return e;
      continue;
    }
    if (!schema.contains("additionalProperties")) continue;
    const json& extra = schema["additionalProperties"];
    if (extra.is_boolean() && !extra.get<bool>()) {
      std::string known;
      if (props) {
        for (const auto& [k, _] : props->items()) known += (known.empty() ? "" : ", ") + k;
      }
      return sub + ": unknown key" + (known.empty() ? "" : " (known: " + known + ")");
    }
    if (extra.is_object()) {
      if (auto e = schema_violation(extra, value, sub)) return e;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> schema_violation(const json& schema, const json& value,
                                            const std::string& path) {
  if (!schema.is_object()) return std::nullopt;
  if (auto e = check_type(schema, value, path)) return e;
  if (schema.contains("enum") && schema["enum"].is_array()) {
    bool found = false;
    for (const auto& e : schema["enum"]) found = found || e == value;
    if (!found) return path + ": must be one of " + schema["enum"].dump() + ", got " + describe(value);
  }
  if (schema.contains("const") && schema["const"] != value) {
    return path + ": must be " + schema["const"].dump() + ", got " + describe(value);
  }
  if (auto e = check_number(schema, value, path)) return e;
  if (auto e = check_sizes(schema, value, path)) return e;
  if (auto e = check_object(schema, value, path)) return e;
  if (value.is_array() && schema.contains("items") && schema["items"].is_object()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (auto e = schema_violation(schema["items"], value[i], path + "[" + std::to_string(i) + "]")) {
        return e;
      }
    }
  }
  return std::nullopt;
}

}  // namespace saker::core
