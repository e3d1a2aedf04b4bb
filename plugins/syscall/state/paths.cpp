// Path joining and normalisation (see paths.h).
#include "paths.h"

#include <cstdint>
#include <cstring>


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

// Per byte of w: its high bit set where the byte equals c, possibly also in a byte above
// one that equals c (the borrow of the classic zero-byte test); never missing one.
constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
inline std::uint64_t bytes_equal(std::uint64_t w, std::uint8_t c) {
  const std::uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

// An absolute path with nothing to normalise (no "//", "/." or "/..", no trailing slash):
// most paths syscalls carry. Checked eight bytes at a time (a '/' followed by '/' or '.');
// the test can only err towards "not normal", whose slow path gives the same result for
// a normal path, so the answer is always right.
bool already_normal(std::string_view path) {
  if (path.size() < 2 || path[0] != '/' || path.back() == '/') return false;
  const char* p = path.data();
  const std::size_t n = path.size();
  std::size_t i = 0;
  // Word k covers bytes i..i+7 and the "next byte" word i+1..i+8: both inside the path.
  for (; i + 9 <= n; i += 8) {
    std::uint64_t here, next;
    std::memcpy(&here, p + i, 8);
    std::memcpy(&next, p + i + 1, 8);
    const std::uint64_t slash = bytes_equal(here, '/');
    if (slash == 0) continue;
    if (slash & (bytes_equal(next, '/') | bytes_equal(next, '.'))) return false;
  }
  for (; i + 1 < n; ++i) {
    if (p[i] == '/' && (p[i + 1] == '/' || p[i + 1] == '.')) return false;
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
