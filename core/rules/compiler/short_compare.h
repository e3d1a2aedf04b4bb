// The case-sensitive string primitives of the rule operators (=, startswith, endswith,
// contains), inlined for the short values rules compare (names, paths of a few dozen
// bytes): a call to libc's memcmp and its setup cost more than the compare itself, and
// memcmp was the largest libc item of a live profile (~7 % of saker's time). Longer ranges
// still go to memcmp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace saker::rules {

namespace detail {
inline uint64_t load64(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline uint32_t load32(const char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace detail

// a[0..n) == b[0..n)
inline bool bytes_equal(const char* a, const char* b, size_t n) noexcept {
  using detail::load32;
  using detail::load64;
  if (n >= 8) {
    if (n > 64) return std::memcmp(a, b, n) == 0;
    // Whole words, then the last word (overlapping the one before when n is not a multiple
    // of 8).
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (load64(a + i) != load64(b + i)) return false;
    }
    return load64(a + n - 8) == load64(b + n - 8);
  }
  if (n >= 4) return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
  if (n == 0) return true;
  // 1..3 bytes: positions 0, n/2 and n-1 cover them all.
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}

inline bool str_equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && bytes_equal(a.data(), b.data(), a.size());
}
inline bool str_starts_with(std::string_view s, std::string_view p) noexcept {
  return s.size() >= p.size() && bytes_equal(s.data(), p.data(), p.size());
}
inline bool str_ends_with(std::string_view s, std::string_view p) noexcept {
  return s.size() >= p.size() && bytes_equal(s.data() + s.size() - p.size(), p.data(), p.size());
}
// Does `s` contain `p`? A loop testing the needle's first and last bytes before comparing
// the rest: string_view::find calls memchr and then memcmp at each occurrence of the first
// byte ('/' in a path). Values over 256 bytes keep find.
inline bool str_contains(std::string_view s, std::string_view p) noexcept {
  const size_t m = p.size();
  if (m == 0) return true;
  if (m > s.size()) return false;
  if (s.size() > 256) return s.find(p) != std::string_view::npos;
  const char* h = s.data();
  const char first = p[0];
  const char last = p[m - 1];
  const size_t inner = m > 2 ? m - 2 : 0;  // the bytes between the first and the last
  for (size_t i = 0, end = s.size() - m; i <= end; ++i) {
    if (h[i] == first && h[i + m - 1] == last && bytes_equal(h + i + 1, p.data() + 1, inner)) {
      return true;
    }
  }
  return false;
}

}  // namespace saker::rules
