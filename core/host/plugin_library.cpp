// Loading and validating plugin libraries.
#include "plugin_library.h"

#include "elf_check.h"

namespace saker::core {

namespace fs = std::filesystem;

namespace {

bool valid_semver(const char* v) {
  unsigned a, b, c;
  char tail;
  return v && (sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail) == 3 ||
               sscanf(v, "%u.%u.%u%c", &a, &b, &c, &tail) == 4);
}

void check_descriptor(const saker_plugin_descriptor* d, const std::string& file) {
  if (!d) throw PluginError("plugin '" + file + "': the entry symbol returned no descriptor");
  // api_minor is within every descriptor ever published; check versions first so a
  // newer or foreign plugin gets the clearest message.
  if (d->size < offsetof(saker_plugin_descriptor, name)) {
    throw PluginError("plugin '" + file + "': descriptor too small (" + std::to_string(d->size) +
                      " bytes)");
  }
  std::string host_v = std::to_string(SAKER_PLUGIN_API_MAJOR) + "." +
                       std::to_string(SAKER_PLUGIN_API_MINOR);
  std::string plug_v = std::to_string(d->api_major) + "." + std::to_string(d->api_minor);
  if (d->api_major != SAKER_PLUGIN_API_MAJOR || d->api_minor > SAKER_PLUGIN_API_MINOR) {
    throw PluginError("plugin '" + file + "' requires plugin API " + plug_v +
                      ", incompatible with this saker's plugin API " + host_v +
                      " (same major and a host minor >= the plugin's are required)");
  }
  if (!abi_has(d, &saker_plugin_descriptor::last_error) || !d->init || !d->destroy ||
      !d->last_error || !d->name || !d->version) {
    throw PluginError("plugin '" + file +
                      "': descriptor lacks a required member (name, version, init, destroy, "
                      "last_error)");
  }
  if (!valid_semver(d->version)) {
    throw PluginError("plugin '" + file + "': version '" + d->version + "' is not x.y.z semver");
  }
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::load(const fs::path& path) {
  auto lib = std::make_shared<PluginLibrary>();
  lib->path_ = path;
  const std::string file = path.string();
  if (!fs::exists(path)) throw PluginError("plugin library '" + file + "' does not exist");
  if (auto why = check_shared_object(path)) {
    throw PluginError("plugin library '" + file + "' refused: " + *why);
  }
  try {
    lib->lib_.load(boost::dll::fs::path(file), boost::dll::load_mode::rtld_now |
                                                   boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw PluginError("cannot load plugin library '" + file + "': " + e.what());
  }
  if (!lib->lib_.has(SAKER_PLUGIN_ENTRY_SYMBOL)) {
    throw PluginError("plugin library '" + file + "' does not export the entry symbol '" +
                      SAKER_PLUGIN_ENTRY_SYMBOL + "'");
  }
  auto entry = lib->lib_.get<const saker_plugin_descriptor*()>(SAKER_PLUGIN_ENTRY_SYMBOL);
  lib->desc_ = entry();
  check_descriptor(lib->desc_, file);
  return lib;
}

const saker_source_api* PluginLibrary::source() const {
  return abi_has(desc_, &saker_plugin_descriptor::source) ? desc_->source : nullptr;
}
const saker_extract_api* PluginLibrary::extract() const {
  return abi_has(desc_, &saker_plugin_descriptor::extract) ? desc_->extract : nullptr;
}
const saker_parse_api* PluginLibrary::parse() const {
  return abi_has(desc_, &saker_plugin_descriptor::parse) ? desc_->parse : nullptr;
}
const saker_output_api* PluginLibrary::output() const {
  return abi_has(desc_, &saker_plugin_descriptor::output) ? desc_->output : nullptr;
}

std::string PluginLibrary::version_string() const {
  return std::to_string(desc_->api_major) + "." + std::to_string(desc_->api_minor);
}

fs::path resolve_library_path(const std::string& library_path, const fs::path& plugins_dir) {
  fs::path p(library_path);
  if (p.is_absolute()) return p;
  fs::path base = fs::weakly_canonical(plugins_dir);
  fs::path full = fs::weakly_canonical(base / p);
  auto rel = full.lexically_relative(base);
  if (rel.empty() || *rel.begin() == "..") {
    throw PluginError("plugin library path '" + library_path + "' escapes the plugins directory '" +
                      base.string() + "'");
  }
  return full;
}

}  // namespace saker::core
