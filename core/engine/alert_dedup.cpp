// Alert de-duplication.
#include "alert_dedup.h"

#include <stdexcept>

namespace saker::core {

namespace {

std::vector<std::string> string_list(const nlohmann::json& v, const std::string& key) {
  if (!v.is_array()) throw std::invalid_argument(key + ": expected a list of field names");
  std::vector<std::string> out;
  for (const auto& f : v) {
    if (!f.is_string())
      throw std::invalid_argument(key + ": expected field names, got " + f.dump());
    out.push_back(f.get<std::string>());
  }
  return out;
}

uint64_t positive(const nlohmann::json& j, const char* key, uint64_t def) {
  if (!j.contains(key)) return def;
  const auto& v = j[key];
  if ((v.is_number_unsigned() || v.is_number_integer()) && v.get<int64_t>() > 0) {
    return v.get<uint64_t>();
  }
  if (v.is_string()) {
    try {
      size_t used = 0;
      const uint64_t n = std::stoull(v.get<std::string>(), &used);
      if (used == v.get<std::string>().size() && n > 0) return n;
    } catch (const std::exception&) {
    }
  }
  throw std::invalid_argument(std::string("dedup.") + key + ": expected a positive integer, got " +
                              v.dump());
}

}  // namespace

DedupSettings dedup_settings_from_json(const nlohmann::json& j) {
  DedupSettings s;
  if (!j.is_object()) return s;
  if (j.contains("enabled")) {
    const auto& e = j["enabled"];
    if (e.is_boolean()) {
      s.enabled = e.get<bool>();
    } else if (e.is_string() && (e == "true" || e == "false")) {
      s.enabled = e == "true";
    } else {
      throw std::invalid_argument("dedup.enabled: expected true or false, got " + e.dump());
    }
  }
  s.window_ns = positive(j, "window_s", 60) * 1000000000ull;
  s.max_keys = positive(j, "max_keys", s.max_keys);
  if (j.contains("key_fields")) s.key_fields = string_list(j["key_fields"], "dedup.key_fields");
  if (j.contains("rules")) {
    if (!j["rules"].is_object()) {
      throw std::invalid_argument("dedup.rules: expected a map of rule names to field lists");
    }
    for (const auto& [rule, fields] : j["rules"].items()) {
      s.rule_fields[rule] = string_list(fields, "dedup.rules." + rule);
    }
  }
  return s;
}

AlertDedup::AlertDedup(DedupSettings s, Metrics& metrics) : s_(std::move(s)), metrics_(metrics) {
  m_total_ = metrics_.add("alerts_dedup_suppressed", MetricKind::kCounter,
                          "Alerts suppressed as duplicates (dedup)");
}

std::string AlertDedup::key_of(const AlertRecord& a) const {
  auto it = s_.rule_fields.find(a.rule);
  const auto& fields = it != s_.rule_fields.end() ? it->second : s_.key_fields;
  std::string key = a.rule;
  for (const auto& name : fields) {
    key.push_back('\0');
    const RenderedField* found = nullptr;
    for (const auto& f : a.fields) {
      if (f.name == name) found = &f;
    }
    key += found ? found->text : "<NA>";
  }
  return key;
}

void AlertDedup::forget_expired(uint64_t now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start >= s_.window_ns && it->second.suppressed == 0) {
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

bool AlertDedup::admit(AlertRecord* a) {
  if (!s_.enabled) return true;
  const std::string key = key_of(*a);
  const uint64_t now = a->time;
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() >= s_.max_keys) forget_expired(now);
    if (windows_.size() >= s_.max_keys) return true;  // no room to track: deliver
    Window w;
    w.start = now;
    w.metric = metrics_.add("alerts_dedup_suppressed{rule_name=\"" + a->rule + "\"}",
                            MetricKind::kCounter, "Alerts suppressed as duplicates, per rule");
    windows_.emplace(key, w);
    return true;
  }
  Window& w = it->second;
  if (now >= w.start && now - w.start < s_.window_ns) {
    ++w.suppressed;
    metrics_.inc(m_total_);
    metrics_.inc(w.metric);
    return false;
  }
  if (w.suppressed > 0) {  // the window is over: this alert tells what was held back
    a->fields.push_back({"dedup.suppressed", std::to_string(w.suppressed), w.suppressed});
    a->message += " dedup.suppressed=" + std::to_string(w.suppressed);
  }
  w.start = now;
  w.suppressed = 0;
  return true;
}

}  // namespace saker::core
