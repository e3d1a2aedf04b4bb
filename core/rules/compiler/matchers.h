// The pre-built matchers of compiled checks: a string set for `in`/`intersects` (linear
// for short lists, hashed beyond), and a path trie for `pmatch` whose components may be
// globs (RULE-LANGUAGE.md §2.4). Built once at compile time, then read-only: safe to
// share between source threads; lookups never allocate.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace saker::rules {

class StringSet {
 public:
  void build(std::span<const std::string> values);
  bool contains(std::string_view v) const noexcept;
  size_t size() const { return values_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  static constexpr size_t kLinearMax = 8;
  static uint64_t length_bit(size_t n) { return uint64_t{1} << (n < 63 ? n : 63); }
  uint64_t lengths_ = 0;  // length_bit() of every value: most misses end on one test
  std::vector<std::string> values_;
  std::unordered_set<std::string, Hash, std::equal_to<>> hashed_;
};

// pmatch: does `path` start with one of the patterns, component by component?
// "/var/run" matches "/var/run" and "/var/run/docker" but neither "/var/runx" nor "/var";
// empty components are ignored; a pattern component may be a glob ("/opt/*/bin").
class PathTrie {
 public:
  PathTrie();
  ~PathTrie();
  void add(std::string_view pattern);
  bool matches(std::string_view path) const noexcept;

 private:
  struct Node;
  bool match_from(const Node& n, std::string_view rest) const noexcept;
  std::unique_ptr<Node> root_;
};

}  // namespace saker::rules
