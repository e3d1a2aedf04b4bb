// Loads the plugins named in the configuration: resolves library paths inside the
// plugins directory, shares one library between several instances, initialises each
// instance. A plugin that fails is refused with a message and counted; the others
// still load (saker stays up for the rest). Cold path; single-threaded.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugin_instance.h"

namespace saker::core {

struct PluginSpec {
  std::string name;          // instance name, unique
  std::string library_path;  // relative to the plugins directory, or absolute
  std::string init_config;   // JSON text ("" when none)
  std::string open_params;   // for sources/outputs
};

struct PluginFailure {
  std::string name;
  std::string message;
};

class PluginManager {
 public:
  PluginManager(std::filesystem::path plugins_dir, HostServices* services);

  // Load and initialise one plugin; throws PluginError.
  PluginInstance& load(const PluginSpec& spec);
  // Load every spec, collecting failures instead of throwing.
  void load_all(const std::vector<PluginSpec>& specs);

  const std::vector<std::unique_ptr<PluginInstance>>& instances() const { return instances_; }
  const std::vector<PluginFailure>& failures() const { return failures_; }
  PluginInstance* find(const std::string& name) const;
  const PluginSpec* spec(const std::string& name) const;
  const std::filesystem::path& plugins_dir() const { return plugins_dir_; }

 private:
  std::filesystem::path plugins_dir_;
  HostServices* services_;
  std::map<std::string, std::shared_ptr<PluginLibrary>> libraries_;  // by resolved path
  std::vector<std::unique_ptr<PluginInstance>> instances_;
  std::vector<PluginSpec> specs_;
  std::vector<PluginFailure> failures_;
};

}  // namespace saker::core
