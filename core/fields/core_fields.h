// The generic fields every event has whatever its source, owned by the core:
// evt.num, evt.time (and its formats), evt.rawtime*, evt.source, evt.hostname,
// evt.pluginname, evt.plugininfo. A plugin may declare a field of the same name for its
// own source; the registry then prefers the plugin's.
#pragma once

#include <map>
#include <string>

#include "field_provider.h"

namespace saker::core {

class CoreFields : public FieldProvider {
 public:
  explicit CoreFields(std::string hostname);
  // Tell which plugin produces `source` (for evt.pluginname / evt.plugininfo).
  void set_source_plugin(const std::string& source, const std::string& plugin_name,
                         const std::string& plugin_info);

  const std::string& provider_name() const override { return name_; }
  std::vector<FieldDef> field_defs() override;
  int32_t extract(const char* source, const saker_event* evt, saker_extract_request* reqs,
                  uint32_t num_reqs) noexcept override;

  // Time renderings shared with the alert formatter.
  static std::string time_hms(uint64_t ts_ns);          // 16:17:57.881785348 (local time)
  static std::string time_iso8601(uint64_t ts_ns);      // 2016-08-04T16:17:57.881785348Z
  static std::string time_iso8601_tz(uint64_t ts_ns);   // 2016-08-04T16:17:57.881785348+0000
  static std::string datetime(uint64_t ts_ns);          // 2016-08-04 16:17:57.881785348

 private:
  struct SourceInfo {
    std::string plugin, info;
  };
  std::string name_ = "core";
  std::string hostname_;
  std::map<std::string, SourceInfo, std::less<>> sources_;
};

}  // namespace saker::core
