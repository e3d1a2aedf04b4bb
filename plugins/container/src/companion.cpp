// Companion libraries, loaded on demand (see companion.h).
#include "companion.h"

#include <dlfcn.h>

#include <filesystem>
#include <map>
#include <mutex>

namespace saker::container {

std::string companion_dir() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&companion_dir), &info) == 0 || !info.dli_fname) {
    return ".";
  }
  std::filesystem::path p(info.dli_fname);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

namespace {
// dlerror() usually names the file already.
std::string load_error(const std::string& path, const char* what) {
  std::string e = what ? what : "unknown error";
  return e.find(path) != std::string::npos ? e : path + ": " + e;
}
}  // namespace

CompanionSymbol load_companion(const std::string& dir, const char* file, const char* symbol) {
  static std::mutex mu;
  static std::map<std::string, CompanionSymbol> loaded;  // by path, never unloaded
  const std::string path = (dir.empty() ? companion_dir() : dir) + "/" + file;
  std::lock_guard lock(mu);
  if (auto it = loaded.find(path); it != loaded.end()) return it->second;
  CompanionSymbol r;
  if (void* h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    r.symbol = ::dlsym(h, symbol);
    if (!r.symbol) r.error = load_error(path, ::dlerror());
  } else {
    r.error = load_error(path, ::dlerror());
  }
  loaded.emplace(path, r);
  return r;
}

}  // namespace saker::container
