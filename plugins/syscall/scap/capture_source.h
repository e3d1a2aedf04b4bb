// ByteSource: where CaptureReader gets its (decompressed) bytes from, a chunk at a time, so a
// capture is never held whole in memory. Three kinds: a plain file (read(2) into the
// reader's buffer; the page cache, not this process, holds the file), bytes in memory (owned
// copy, for from_bytes), and streamed gzip inflation over another source (concatenated
// members are read one after the other; what follows the last member is ignored).
//
// A gzip stream that ends before its last member is complete is not an error: read()
// returns 0 and truncated() turns true, so the reader can hand out the events it already
// has. Corrupted compressed data and I/O errors throw CaptureError (offset: decompressed
// bytes produced so far).
// A file that is not a regular file (a pipe, a socket, a character device) is waited on
// with poll(2) in short slices: between slices, and when a signal interrupts the wait, the
// stop check (if any) is asked, and a stop throws CaptureInterrupted, so a pipe that stalls
// cannot hold the reader past a stop request.
// Ownership: a source owns what it wraps. Thread-safety: one thread per source.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace saker::syscall::scap {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `dst`; returns the count, 0 at the end of the stream.
  virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;
  // True when the stream ended early (a gzip member cut short).
  virtual bool truncated() const noexcept { return false; }
};

// Opens `path` for sequential reading. Throws CaptureError if it cannot be opened. `stop`
// (may be empty) is polled while waiting for the bytes of a pipe, socket or device.
std::unique_ptr<ByteSource> open_file_source(const std::string& path,
                                             std::function<bool()> stop = {});
// A copy of `bytes`.
std::unique_ptr<ByteSource> memory_source(std::span<const std::uint8_t> bytes);
// Inflates `in`, whose first bytes `prefix` (already read from it to detect the format)
// come first. Throws CaptureError once more than `limit` bytes have been produced.
std::unique_ptr<ByteSource> gzip_source(std::unique_ptr<ByteSource> in,
                                        std::span<const std::uint8_t> prefix,
                                        std::uint64_t limit);

}  // namespace saker::syscall::scap
