// StringList: an immutable list of strings (a process's arguments or environment) decoded
// from the NUL-separated bytes of an event or a capture's process list, shared by every
// thread that has it: a clone copies a pointer, not the strings, and an event carrying the
// same bytes as the list already held (a fork's child event, an execve keeping its
// environment) keeps it without splitting again.
// Not thread-safe to share across threads that modify it (nobody does: it is immutable).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace saker::syscall {

class StringList {
 public:
  StringList() = default;
  // From strings; the bytes it compares against are the strings NUL-terminated.
  StringList(std::vector<std::string> items);  // NOLINT: implicit, as a vector was
  StringList(std::initializer_list<std::string> items)
      : StringList(std::vector<std::string>(items)) {}
  // Split as scap::split_nul_list does (one trailing NUL ends the list).
  static StringList from_nul_list(std::string_view bytes);

  // Whether this list was made from exactly `bytes` (then from_nul_list(bytes) would give
  // the same list).
  bool same_bytes(std::string_view bytes) const noexcept {
    return d_ ? std::string_view(d_->bytes) == bytes : bytes.empty();
  }

  const std::vector<std::string>& items() const noexcept { return d_ ? d_->items : empty_; }
  operator const std::vector<std::string>&() const noexcept { return items(); }  // NOLINT
  std::size_t size() const noexcept { return items().size(); }
  bool empty() const noexcept { return items().empty(); }
  const std::string& operator[](std::size_t i) const noexcept { return items()[i]; }
  auto begin() const noexcept { return items().begin(); }
  auto end() const noexcept { return items().end(); }
  friend bool operator==(const StringList& a, const StringList& b) {
    return a.d_ == b.d_ || a.items() == b.items();
  }
  friend bool operator==(const StringList& a, const std::vector<std::string>& b) {
    return a.items() == b;
  }
  // Whether two lists are one shared object (a test's check that nothing was copied).
  bool shares_with(const StringList& o) const noexcept { return d_ && d_ == o.d_; }

 private:
  struct Data {
    std::string bytes;
    std::vector<std::string> items;
  };
  std::shared_ptr<const Data> d_;
  static const std::vector<std::string> empty_;
};

}  // namespace saker::syscall
