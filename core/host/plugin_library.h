// One loaded plugin shared library (Boost.DLL) and its validated descriptor. Several
// instances may share one library; it stays loaded while any of them lives.
#pragma once

#include <saker_plugin_api.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace saker::core {

// A plugin refused at load or init time; the message says why and names the plugin.
struct PluginError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class PluginLibrary {
 public:
  // Load `path`, find the entry symbol, validate the descriptor and its version.
  // Throws PluginError with a message naming the file (and both versions on mismatch).
  static std::shared_ptr<PluginLibrary> load(const std::filesystem::path& path);

  const saker_plugin_descriptor& descriptor() const { return *desc_; }
  const std::filesystem::path& path() const { return path_; }
  // Descriptor members that may lie beyond an older plugin's descriptor size.
  const saker_source_api* source() const;
  const saker_extract_api* extract() const;
  const saker_parse_api* parse() const;
  const saker_output_api* output() const;
  std::string version_string() const;

 private:
  boost::dll::shared_library lib_;
  const saker_plugin_descriptor* desc_ = nullptr;
  std::filesystem::path path_;
};

// True when `member` of `s` lies within the struct's declared size (older peers send
// shorter structs; the missing tail reads as absent).
template <class S, class M>
bool abi_has(const S* s, M S::*member) {
  const auto off = reinterpret_cast<size_t>(&(static_cast<S*>(nullptr)->*member));
  return s && off + sizeof(M) <= s->size;
}

// Resolve a library path from the config: relative paths are taken inside
// `plugins_dir` and may not escape it; absolute paths are used as given.
std::filesystem::path resolve_library_path(const std::string& library_path,
                                           const std::filesystem::path& plugins_dir);

}  // namespace saker::core
