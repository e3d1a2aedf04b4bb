// EventStrings' slow path: the next block, or a value longer than a block.
#include "event_strings.h"

namespace saker::core {

std::string_view EventStrings::copy_slow(const char* p, std::size_t n) {
  if (n + 1 > kBlock) {
    if (big_used_ == big_.size()) big_.emplace_back();
    std::string& s = big_[big_used_++];
    s.assign(p, n);  // c_str() keeps it NUL-terminated
    return {s.data(), n};
  }
  // The current block is full (or there is none yet): move to the next, making it if new.
  if (!blocks_.empty() && cur_ != nullptr) ++block_;
  if (block_ == blocks_.size()) blocks_.push_back(std::make_unique<char[]>(kBlock));
  cur_ = blocks_[block_].get();
  room_ = kBlock;
  return copy(p, n);
}

}  // namespace saker::core
