// Copies of the string values extracted for one event, rewound when the next event begins:
// a bump allocator over fixed blocks that are kept from event to event. A copy is one
// memcpy into the current block, and a view of it stays valid (and NUL-terminated) until
// rewind(). What EventContext stores a provider's strings in when the provider's own
// buffers do not outlive its extract call.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace saker::core {

class EventStrings {
 public:
  EventStrings() = default;
  EventStrings(const EventStrings&) = delete;
  EventStrings& operator=(const EventStrings&) = delete;

  // A NUL-terminated copy of p[0..n).
  std::string_view copy(const char* p, std::size_t n) {
    if (n >= room_) [[unlikely]]
      return copy_slow(p, n);
    char* d = cur_;
    if (n != 0) std::memcpy(d, p, n);  // an empty value may come with a null pointer
    d[n] = '\0';
    cur_ += n + 1;
    room_ -= n + 1;
    return {d, n};
  }
  // Every copy made since the last rewind becomes invalid; the memory is kept.
  void rewind() noexcept {
    block_ = 0;
    big_used_ = 0;
    if (blocks_.empty()) return;
    cur_ = blocks_[0].get();
    room_ = kBlock;
  }

  static constexpr std::size_t kBlock = 16 * 1024;

 private:
  std::string_view copy_slow(const char* p, std::size_t n);

  char* cur_ = nullptr;
  std::size_t room_ = 0;  // bytes left in the current block
  std::size_t block_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  // Values too long for a block (a long evt.buffer): strings reused from event to event.
  std::vector<std::string> big_;
  std::size_t big_used_ = 0;
};

}  // namespace saker::core
