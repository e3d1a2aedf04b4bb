// String sets and the pmatch path trie; see matchers.h.
#include "matchers.h"

#include <fnmatch.h>

#include <map>

#include "short_compare.h"

namespace saker::rules {

void StringSet::build(std::span<const std::string> values) {
  values_.assign(values.begin(), values.end());
  lengths_ = 0;
  for (const auto& v : values_) lengths_ |= length_bit(v.size());
  hashed_.clear();
  if (values_.size() > kLinearMax) hashed_.insert(values_.begin(), values_.end());
}

bool StringSet::contains(std::string_view v) const noexcept {
  if ((lengths_ & length_bit(v.size())) == 0) return false;
  if (values_.size() > kLinearMax) return hashed_.find(v) != hashed_.end();
  for (const auto& s : values_) {
    if (str_equal(s, v)) return true;
  }
  return false;
}

struct PathTrie::Node {
  bool terminal = false;
  std::map<std::string, std::unique_ptr<Node>, std::less<>> exact;
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> globs;
};

PathTrie::PathTrie() : root_(std::make_unique<Node>()) {}
PathTrie::~PathTrie() = default;

namespace {

// The next non-empty '/'-separated component of `s` (consumed from `s`).
std::string_view next_component(std::string_view& s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  size_t end = s.find('/');
  if (end == std::string_view::npos) end = s.size();
  std::string_view c = s.substr(0, end);
  s.remove_prefix(end);
  return c;
}

bool has_glob(std::string_view c) { return c.find_first_of("*?[") != std::string_view::npos; }

}  // namespace

void PathTrie::add(std::string_view pattern) {
  Node* n = root_.get();
  for (std::string_view c = next_component(pattern); !c.empty(); c = next_component(pattern)) {
    if (has_glob(c)) {
      Node* child = nullptr;
      for (auto& [p, node] : n->globs) child = p == c ? node.get() : child;
      if (!child)
        child = n->globs.emplace_back(std::string(c), std::make_unique<Node>()).second.get();
      n = child;
      continue;
    }
    auto it = n->exact.find(c);
    if (it == n->exact.end()) it = n->exact.emplace(std::string(c), std::make_unique<Node>()).first;
    n = it->second.get();
  }
  n->terminal = true;
}

bool PathTrie::match_from(const Node& n, std::string_view rest) const noexcept {
  if (n.terminal) return true;
  std::string_view c = next_component(rest);
  if (c.empty()) return false;
  auto it = n.exact.find(c);
  if (it != n.exact.end() && match_from(*it->second, rest)) return true;
  if (n.globs.empty()) return false;
  char buf[256];
  if (c.size() >= sizeof(buf)) return false;  // no component of a real path is this long
  c.copy(buf, c.size());
  buf[c.size()] = '\0';
  for (const auto& [pattern, child] : n.globs) {
    if (fnmatch(pattern.c_str(), buf, 0) == 0 && match_from(*child, rest)) return true;
  }
  return false;
}

bool PathTrie::matches(std::string_view path) const noexcept { return match_from(*root_, path); }

}  // namespace saker::rules
