// Path joining and normalisation (see paths.h).
#include "paths.h"

#include <vector>

namespace saker::syscall {

std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(pos, end - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = end + 1;
  }
  std::string out;
  for (auto p : parts) {
    out += '/';
    out += p;
  }
  return out.empty() ? "/" : out;
}

std::string resolve_path(std::string_view base, std::string_view path) {
  if (path.empty()) return "";
  if (path[0] == '/') return normalize_path(path);
  if (base.empty() || base[0] != '/') return std::string(path);  // nothing to anchor it to
  std::string joined(base);
  joined += '/';
  joined += path;
  return normalize_path(joined);
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

}  // namespace saker::syscall
