// ByteCursor: a bounds-checked little-endian reader over a byte span, used to parse capture
// blocks. Every read that would go past the end throws CaptureError carrying the absolute
// stream offset of the read, so a truncated or corrupted capture is reported, never overrun.
// Internal to the capture reader.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "capture_types.h"
#include "event_header.h"

namespace saker::syscall::scap {

class ByteCursor {
 public:
  // `base` is the stream offset of bytes[0], used in error messages.
  ByteCursor(std::span<const std::uint8_t> bytes, std::uint64_t base, const char* what)
      : bytes_(bytes), base_(base), what_(what) {}

  std::size_t pos() const noexcept { return pos_; }
  std::size_t remaining() const noexcept { return bytes_.size() - pos_; }
  std::uint64_t offset() const noexcept { return base_ + pos_; }

  template <typename T>
  T get() {
    need(sizeof(T));
    T v = load_le<T>(bytes_.data() + pos_);
    pos_ += sizeof(T);
    return v;
  }
  std::uint8_t u8() { return get<std::uint8_t>(); }
  std::uint16_t u16() { return get<std::uint16_t>(); }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  std::int64_t i64() { return get<std::int64_t>(); }

  std::span<const std::uint8_t> bytes(std::size_t n) {
    need(n);
    auto s = bytes_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  // A u16-length-prefixed string (not NUL-terminated on disk; a trailing NUL is dropped).
  std::string str16() {
    const std::uint16_t n = u16();
    auto b = bytes(n);
    std::string s(reinterpret_cast<const char*>(b.data()), b.size());
    return s;
  }
  void skip(std::size_t n) { bytes(n); }

  [[noreturn]] void fail(const std::string& msg) const {
    throw CaptureError(std::string(what_) + ": " + msg, offset());
  }

 private:
  void need(std::size_t n) const {
    if (n > remaining()) {
      throw CaptureError(std::string(what_) + ": truncated, needs " + std::to_string(n) +
                             " more bytes, " + std::to_string(remaining()) + " left",
                         offset());
    }
  }

  std::span<const std::uint8_t> bytes_;
  std::uint64_t base_;
  const char* what_;
  std::size_t pos_ = 0;
};

}  // namespace saker::syscall::scap
