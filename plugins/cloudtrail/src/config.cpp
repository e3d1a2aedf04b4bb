// init_config and open params; see config.h.
#include "config.h"

#include <saker/sdk/types.h>

#include <nlohmann/json.hpp>

namespace saker::cloudtrail {
namespace {

struct SizeKey {
  const char* name;
  size_t Config::*field;  // nullptr: in limits
  size_t SplitterLimits::*limit;
  size_t min, max;
};

constexpr SizeKey kKeys[] = {
    {"max_record_bytes", nullptr, &SplitterLimits::max_record_bytes, 1024, 1ull << 30},
    {"max_depth", nullptr, &SplitterLimits::max_depth, 2, 1000},
    {"batch_size", &Config::batch_size, nullptr, 1, 65536},
    {"read_chunk", &Config::read_chunk, nullptr, 4096, 64ull << 20},
    {"max_logged_problems", &Config::max_logged_problems, nullptr, 0, 1000000},
};

}  // namespace

const char* init_schema() {
  return R"j({"$schema":"http://json-schema.org/draft-06/schema#","type":"object",)j"
         R"j("additionalProperties":false,"properties":{)j"
         R"j("max_record_bytes":{"type":"integer","minimum":1024,"maximum":1073741824,)j"
         R"j("description":"Largest record kept; bigger ones are skipped and counted (default 16 MiB)"},)j"
         R"j("max_depth":{"type":"integer","minimum":2,"maximum":1000,)j"
         R"j("description":"Deepest JSON nesting accepted in a record (default 64)"},)j"
         R"j("batch_size":{"type":"integer","minimum":1,"maximum":65536,)j"
         R"j("description":"Records handed to the engine per batch (default 512)"},)j"
         R"j("read_chunk":{"type":"integer","minimum":4096,"maximum":67108864,)j"
         R"j("description":"Bytes read from a log file at a time (default 256 KiB)"},)j"
         R"j("max_logged_problems":{"type":"integer","minimum":0,"maximum":1000000,)j"
         R"j("description":"Problems logged one by one per input; the rest are summarised (default 10)"}}})j";
}

Config parse_init_config(const std::string& text) {
  Config c;
  if (text.empty()) return c;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !(j.is_object() || j.is_null())) {
    throw sdk::PluginError("init_config: not a JSON object");
  }
  if (j.is_null()) return c;
  for (const auto& [key, value] : j.items()) {
    const SizeKey* k = nullptr;
    for (const auto& cand : kKeys) {
      if (key == cand.name) k = &cand;
    }
    if (!k) throw sdk::PluginError("init_config: unknown key '" + key + "'");
    if (!value.is_number_unsigned()) {
      throw sdk::PluginError("init_config." + key + ": expected a non-negative integer");
    }
    const auto v = value.get<uint64_t>();
    if (v < k->min || v > k->max) {
      throw sdk::PluginError("init_config." + key + ": " + std::to_string(v) + " is outside [" +
                             std::to_string(k->min) + ", " + std::to_string(k->max) + "]");
    }
    if (k->field) {
      c.*(k->field) = static_cast<size_t>(v);
    } else {
      c.limits.*(k->limit) = static_cast<size_t>(v);
    }
  }
  return c;
}

OpenTarget parse_open_params(const std::string& params) {
  std::string p = params;
  // Configurations often quote the value as a JSON string.
  if (p.size() >= 2 && p.front() == '"' && p.back() == '"') p = p.substr(1, p.size() - 2);
  if (p.empty()) {
    throw sdk::PluginError(
        "open params: name a CloudTrail log file or folder (a path or file:///path)");
  }
  if (p.starts_with("s3://") || p.starts_with("sqs://")) {
    throw sdk::PluginError("open params '" + p +
                           "': S3 and SQS inputs are not implemented yet; use a local file or "
                           "folder");
  }
  if (p.starts_with("file://")) p = p.substr(7);
  return {OpenTarget::Kind::kPath, p};
}

}  // namespace saker::cloudtrail
