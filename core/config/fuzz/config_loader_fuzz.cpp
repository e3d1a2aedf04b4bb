// libFuzzer target of the configuration loader: any bytes as a saker.yaml (aliases,
// anchors, ${VAR} expansion, config_files entries, odd scalars), then a few `-o key=value`
// overrides taken from the input's last lines and typed lookups of the keys saker reads.
// A ConfigError is the expected outcome for bad input; anything else (a crash, a leak, a
// hang, another exception type) is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // "\n-o " separates the document from override lines: "key.path=value" each.
  std::vector<std::string> overrides;
  if (auto at = text.find("\n-o "); at != std::string::npos) {
    std::string rest = text.substr(at + 4);
    text.resize(at);
    std::size_t pos = 0;
    while (pos < rest.size() && overrides.size() < 8) {
      auto nl = rest.find('\n', pos);
      overrides.push_back(rest.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
      if (nl == std::string::npos) break;
      pos = nl + 1;
    }
  }
  try {
    auto cfg = saker::core::Config::from_string(text, "fuzz.yaml", overrides);
    (void)cfg.get<std::string>("engine.kind", std::string());
    (void)cfg.get<bool>("json_output", false);
    (void)cfg.get<int>("outputs_queue.capacity", 0);
    (void)cfg.get<std::vector<std::string>>("load_plugins", std::vector<std::string>{});
    (void)cfg.get<std::vector<std::string>>("rules_files", std::vector<std::string>{});
  } catch (const saker::core::ConfigError&) {
  }
  return 0;
}
