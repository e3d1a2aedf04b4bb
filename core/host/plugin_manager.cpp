// Plugin loading from configuration.
#include "plugin_manager.h"

#include "log.h"

namespace saker::core {

PluginManager::PluginManager(std::filesystem::path plugins_dir, HostServices* services)
    : plugins_dir_(std::move(plugins_dir)), services_(services) {}

PluginInstance& PluginManager::load(const PluginSpec& spec) {
  if (spec.name.empty()) throw PluginError("a plugin entry has no name");
  if (find(spec.name)) throw PluginError("plugin name '" + spec.name + "' is used twice");
  if (spec.library_path.empty()) {
    throw PluginError("plugin '" + spec.name + "' has no library_path");
  }
  auto path = resolve_library_path(spec.library_path, plugins_dir_);
  auto& lib = libraries_[path.string()];
  if (!lib) lib = PluginLibrary::load(path);
  auto inst = std::make_unique<PluginInstance>(lib, spec.name, services_);
  inst->init(spec.init_config);
  log(LogLevel::kInfo, "plugins",
      "loaded plugin '" + spec.name + "' (" + lib->descriptor().name + " " +
          lib->descriptor().version + ", API " + lib->version_string() + ") from " + path.string());
  instances_.push_back(std::move(inst));
  specs_.push_back(spec);
  return *instances_.back();
}

void PluginManager::load_all(const std::vector<PluginSpec>& specs) {
  for (const auto& s : specs) {
    try {
      load(s);
    } catch (const std::exception& e) {
      log(LogLevel::kError, "plugins", e.what());
      failures_.push_back({s.name, e.what()});
    }
  }
}

PluginInstance* PluginManager::find(const std::string& name) const {
  for (const auto& i : instances_) {
    if (i->name() == name) return i.get();
  }
  return nullptr;
}

const PluginSpec* PluginManager::spec(const std::string& name) const {
  for (const auto& s : specs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace saker::core
