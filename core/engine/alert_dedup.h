// De-duplication of alerts (off by default): per rule and the values of chosen output
// fields, the first alert passes and starts a window; the same alert again within the
// window is suppressed and counted; the first one after the window passes and carries
// the count of what was suppressed (output field `dedup.suppressed`, also appended to
// the message). Windows run on event time, so a replay dedups as the live run did.
// Keys are bounded (max_keys): past it, expired windows are forgotten, and an alert
// that still finds no room passes (never suppressed without being tracked).
//
// Thread-safe (the source loops publish concurrently).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "alert.h"
#include "metrics.h"

namespace saker::core {

struct DedupSettings {
  bool enabled = false;
  uint64_t window_ns = 60ull * 1000000000ull;
  std::vector<std::string> key_fields;                          // for every rule
  std::map<std::string, std::vector<std::string>> rule_fields;  // per rule, replaces key_fields
  size_t max_keys = 100000;
};
// Reads the `dedup` config section (enabled, window_s, key_fields, rules: {rule: [fields]},
// max_keys). Throws std::invalid_argument naming the key.
DedupSettings dedup_settings_from_json(const nlohmann::json& section);

class AlertDedup {
 public:
  AlertDedup(DedupSettings s, Metrics& metrics);
  // False: suppress `a` (counted). True: deliver it (with dedup.suppressed when earlier
  // copies were suppressed).
  bool admit(AlertRecord* a);

 private:
  struct Window {
    uint64_t start = 0;
    uint64_t suppressed = 0;
    uint32_t metric = 0;
  };
  std::string key_of(const AlertRecord& a) const;
  void forget_expired(uint64_t now);

  DedupSettings s_;
  Metrics& metrics_;
  uint32_t m_total_;
  std::mutex mu_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace saker::core
