// Byte sources for CaptureReader: plain files, memory, streamed gzip (see capture_source.h).
#include "capture_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "capture_types.h"

namespace saker::syscall::scap {
namespace {

constexpr int kPollSliceMs = 100;  // a stop is seen within this long while a pipe stalls

class FileSource final : public ByteSource {
 public:
  FileSource(const std::string& path, std::function<bool()> stop)
      : path_(path), stop_(std::move(stop)) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) {
      throw CaptureError("cannot open capture file '" + path + "': " + std::strerror(errno), 0);
    }
    struct stat st {};
    regular_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    if (regular_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    while (true) {
      if (!regular_) wait_readable();
      const ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) {
        offset_ += static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
      }
      if (errno == EINTR) {
        check_stop();
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) continue;  // waited on by poll
      throw CaptureError("error reading capture file '" + path_ + "': " + std::strerror(errno),
                         offset_);
    }
  }

 private:
  void check_stop() const {
    if (stop_ && stop_()) {
      throw CaptureInterrupted("interrupted (stop requested) while waiting for capture data from '" +
                                   path_ + "'",
                               offset_);
    }
  }
  // Until the fd is readable (or at its end, or in error: read tells), polling the stop
  // check between slices and after signals.
  void wait_readable() const {
    for (;;) {
      struct pollfd p {fd_, POLLIN, 0};
      const int rc = ::poll(&p, 1, stop_ ? kPollSliceMs : -1);
      if (rc > 0) return;
      if (rc < 0 && errno != EINTR) return;  // read reports the error
      check_stop();
    }
  }

  std::string path_;
  std::function<bool()> stop_;
  bool regular_ = false;
  int fd_ = -1;
  std::uint64_t offset_ = 0;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::span<const std::uint8_t> b) : bytes_(b.begin(), b.end()) {}
  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    if (k) std::memcpy(dst, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> in, std::span<const std::uint8_t> prefix,
             std::uint64_t limit)
      : in_(std::move(in)), inbuf_(kInChunk), limit_(limit) {
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) throw CaptureError("zlib initialisation failed", 0);
    std::memcpy(inbuf_.data(), prefix.data(), prefix.size());
    zs_.next_in = inbuf_.data();
    zs_.avail_in = static_cast<uInt>(prefix.size());
  }
  ~GzipSource() override { inflateEnd(&zs_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    if (done_) return 0;
    zs_.next_out = dst;
    zs_.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 30));
    const uInt asked = zs_.avail_out;
    while (zs_.avail_out > 0 && !done_) {
      if (zs_.avail_in == 0) refill();
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        next_member();
      } else if (rc == Z_BUF_ERROR || (rc == Z_OK && zs_.avail_in == 0)) {
        if (zs_.avail_in == 0 && in_eof_) {
          // No more input in the middle of a member: stop after what was produced.
          if (rc == Z_BUF_ERROR) truncated_ = done_ = true;
        }
      } else if (rc != Z_OK) {
        throw CaptureError("corrupted gzip stream", produced_ + (asked - zs_.avail_out));
      }
    }
    const std::size_t got = asked - zs_.avail_out;
    produced_ += got;
    if (produced_ > limit_) {
      throw CaptureError("decompressed capture exceeds the configured limit", produced_);
    }
    return got;
  }
  bool truncated() const noexcept override { return truncated_; }

 private:
  static constexpr std::size_t kInChunk = 1 << 16;

  void refill() {
    if (in_eof_) return;
    const std::size_t got = in_->read(inbuf_.data(), inbuf_.size());
    if (got == 0) in_eof_ = true;
    zs_.next_in = inbuf_.data();
    zs_.avail_in = static_cast<uInt>(got);
  }
  // At the end of a member: another one follows if the next bytes are a gzip magic.
  void next_member() {
    if (zs_.avail_in < 2 && !in_eof_) {
      std::uint8_t keep = zs_.avail_in ? *zs_.next_in : 0;
      const bool had = zs_.avail_in == 1;
      std::size_t got = in_->read(inbuf_.data() + had, inbuf_.size() - had);
      if (got == 0) in_eof_ = true;
      if (had) inbuf_[0] = keep;
      zs_.next_in = inbuf_.data();
      zs_.avail_in = static_cast<uInt>(got + had);
    }
    if (zs_.avail_in >= 2 && zs_.next_in[0] == 0x1f && zs_.next_in[1] == 0x8b) {
      inflateReset(&zs_);
    } else {
      done_ = true;
    }
  }

  std::unique_ptr<ByteSource> in_;
  std::vector<std::uint8_t> inbuf_;
  z_stream zs_{};
  std::uint64_t limit_;
  std::uint64_t produced_ = 0;
  bool in_eof_ = false, done_ = false, truncated_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> open_file_source(const std::string& path,
                                             std::function<bool()> stop) {
  return std::make_unique<FileSource>(path, std::move(stop));
}

std::unique_ptr<ByteSource> memory_source(std::span<const std::uint8_t> bytes) {
  return std::make_unique<MemorySource>(bytes);
}

std::unique_ptr<ByteSource> gzip_source(std::unique_ptr<ByteSource> in,
                                        std::span<const std::uint8_t> prefix,
                                        std::uint64_t limit) {
  return std::make_unique<GzipSource>(std::move(in), prefix, limit);
}

}  // namespace saker::syscall::scap
