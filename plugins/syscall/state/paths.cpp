// Path joining and normalisation (see paths.h).
#include "paths.h"


namespace saker::syscall {

namespace {

// Appends the components of `path` to `out` (an absolute path without trailing slash, or
// empty for "/"), applying "." and "..".
void append_components(std::string_view path, std::string& out) {
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view part = path.substr(pos, end - pos);
    if (part == "..") {
      const std::size_t slash = out.rfind('/');
      out.resize(slash == std::string::npos ? 0 : slash);
    } else if (!part.empty() && part != ".") {
      out += '/';
      out += part;
    }
    pos = end + 1;
  }
}

// An absolute path with nothing to normalise (no "//", "/." or "/..", no trailing slash):
// most paths syscalls carry. Checked in one pass so they are copied as they are.
bool already_normal(std::string_view path) {
  if (path.size() < 2 || path[0] != '/' || path.back() == '/') return false;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (path[i] == '/' && (path[i + 1] == '/' || path[i + 1] == '.')) return false;
  }
  return true;
}

}  // namespace

void resolve_path_into(std::string_view base, std::string_view path, std::string& out) {
  out.clear();
  if (path.empty()) return;
  if (already_normal(path)) {
    out.assign(path);
    return;
  }
  if (path[0] != '/') {
    if (base.empty() || base[0] != '/') {  // nothing to anchor it to
      out.assign(path);
      return;
    }
    append_components(base, out);
  }
  append_components(path, out);
  if (out.empty()) out = "/";
}

std::string normalize_path(std::string_view path) {
  std::string out;
  append_components(path, out);
  if (out.empty()) out = "/";
  return out;
}

std::string resolve_path(std::string_view base, std::string_view path) {
  std::string out;
  resolve_path_into(base, path, out);
  return out;
}

std::string_view path_dirname(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {};
  return slash == 0 ? path.substr(0, 1) : path.substr(0, slash);
}

std::string_view path_basename(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view raw_after_path(std::span<const std::uint8_t> bytes) {
  std::string_view param(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const auto nul = param.find('\0');
  if (nul == std::string_view::npos) return {};
  param.remove_prefix(nul + 1);
  return param.substr(0, param.find('\0'));
}

}  // namespace saker::syscall
