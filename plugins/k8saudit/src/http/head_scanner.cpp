// Request head scanning; see head_scanner.h.
#include "head_scanner.h"

namespace saker::k8saudit::http {

HeadScanner::State HeadScanner::feed(std::string_view buf) {
  for (;;) {
    size_t nl = buf.find('\n', pos_);
    if (nl == std::string_view::npos) {
      return buf.size() > max_bytes_ ? State::kTooLarge : State::kIncomplete;
    }
    size_t len = nl - pos_;  // without the LF
    bool empty = len == 0 || (len == 1 && buf[pos_] == '\r');
    pos_ = nl + 1;
    if (pos_ > max_bytes_) return State::kTooLarge;
    if (empty && lines_ > 0) {
      end_ = pos_;
      return State::kComplete;
    }
    if (++lines_ > max_lines_ + 1) return State::kTooManyLines;
  }
}

}  // namespace saker::k8saudit::http
