// Byte comparisons inlined for the short values rules compare (names, paths of a few dozen
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

}  // namespace saker::rules
