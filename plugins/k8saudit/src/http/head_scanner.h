// Finds where an HTTP/1.1 request head (request line, header lines, empty line) ends
// in the bytes received so far, and enforces the head's size and line-count bounds
// while it arrives: the webhook reads heads itself, off the worker threads, so that a
// client sending its head slowly (slowloris) or never costs a buffer, not a worker.
// Incremental: feed() resumes where the previous call stopped, so a head received one
// byte at a time is scanned in linear time. Lines end with LF (CRLF expected); the head
// ends at the first empty line after the request line.
#pragma once

#include <cstddef>
#include <string_view>

namespace saker::k8saudit::http {

class HeadScanner {
 public:
  enum class State { kIncomplete, kComplete, kTooLarge, kTooManyLines };
  HeadScanner(size_t max_bytes, size_t max_header_lines)
      : max_bytes_(max_bytes), max_lines_(max_header_lines) {}

  // `buf` starts at the head's first byte and only grows between calls.
  State feed(std::string_view buf);
  // kComplete: the head's length, empty line included.
  size_t head_size() const { return end_; }
  void reset() { pos_ = lines_ = end_ = 0; }

 private:
  size_t max_bytes_, max_lines_;
  size_t pos_ = 0;    // start of the line not yet complete
  size_t lines_ = 0;  // complete lines so far, request line included
  size_t end_ = 0;
};

}  // namespace saker::k8saudit::http
