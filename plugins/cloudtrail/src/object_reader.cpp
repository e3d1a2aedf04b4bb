// Incremental object decoding; see object_reader.h.
#include "object_reader.h"

namespace saker::cloudtrail {
namespace {
constexpr size_t kOutChunk = 256 * 1024;
}

ObjectReader::ObjectReader(SplitterLimits limits, RecordSplitter::RecordFn record,
                           RecordSplitter::ProblemFn problem)
    : splitter_(limits, std::move(record), problem), problem_(std::move(problem)) {}

ObjectReader::~ObjectReader() {
  if (z_init_) inflateEnd(&zs_);
}

bool ObjectReader::feed(const char* data, size_t len) {
  if (failed_) return false;
  consumed_ += len;
  if (kind_ == Kind::kUnknown) {
    head_.append(data, len);
    if (head_.size() < 2) return true;
    const bool gz = static_cast<unsigned char>(head_[0]) == 0x1f &&
                    static_cast<unsigned char>(head_[1]) == 0x8b;
    kind_ = gz ? Kind::kGzip : Kind::kPlain;
    std::string first;
    first.swap(head_);
    if (gz) {
      if (inflateInit2(&zs_, 16 + MAX_WBITS) != Z_OK) {
        failed_ = true;
        return false;
      }
      z_init_ = true;
      return inflate_some(first.data(), first.size());
    }
    splitter_.feed(first);
    return true;
  }
  if (kind_ == Kind::kPlain) {
    splitter_.feed(std::string_view(data, len));
    return true;
  }
  return inflate_some(data, len);
}

bool ObjectReader::inflate_some(const char* data, size_t len) {
  zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  zs_.avail_in = static_cast<uInt>(len);
  out_.resize(kOutChunk);
  while (zs_.avail_in > 0) {
    if (z_end_) {
      // Concatenated gzip members (allowed by the format): start the next one.
      if (inflateReset(&zs_) != Z_OK) break;
      z_end_ = false;
    }
    zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
    zs_.avail_out = static_cast<uInt>(out_.size());
    const int rc = inflate(&zs_, Z_NO_FLUSH);
    const size_t produced = out_.size() - zs_.avail_out;
    if (produced) splitter_.feed(std::string_view(out_.data(), produced));
    if (rc == Z_STREAM_END) {
      z_end_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      failed_ = true;
      problem_(Problem::kTruncated, consumed_,
               std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "inflate error"));
      return false;
    } else if (rc == Z_BUF_ERROR && zs_.avail_out != 0) {
      break;  // needs more input
    }
  }
  return true;
}

void ObjectReader::finish() {
  if (kind_ == Kind::kUnknown && !head_.empty()) splitter_.feed(head_);
  if (kind_ == Kind::kGzip && !z_end_ && !failed_) {
    problem_(Problem::kTruncated, consumed_, "the gzip stream ended early");
  }
  splitter_.finish();
}

}  // namespace saker::cloudtrail
