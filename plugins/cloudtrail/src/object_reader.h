// One log object (an S3 object or a file) as its bytes arrive: gzip is recognised from
// the first two bytes and inflated incrementally with zlib, and the JSON goes through a
// RecordSplitter. The inflater keeps its state between feeds, so a download cut in the
// middle resumes with an HTTP Range request from consumed() without reading anything
// twice. Not thread-safe: one reader per object.
#pragma once

#include <zlib.h>

#include <memory>
#include <string>

#include "record_splitter.h"

namespace saker::cloudtrail {

class ObjectReader {
 public:
  ObjectReader(SplitterLimits limits, RecordSplitter::RecordFn record,
               RecordSplitter::ProblemFn problem);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  // Bytes of the object as stored; false when the gzip data is corrupt (reported).
  bool feed(const char* data, size_t len);
  // The end of the object: a gzip stream that did not end is reported as truncated.
  void finish();
  uint64_t consumed() const { return consumed_; }
  const RecordSplitter& splitter() const { return splitter_; }

 private:
  bool inflate_some(const char* data, size_t len);

  RecordSplitter splitter_;
  RecordSplitter::ProblemFn problem_;
  uint64_t consumed_ = 0;
  enum class Kind { kUnknown, kPlain, kGzip } kind_ = Kind::kUnknown;
  std::string head_;  // the first byte, until the second tells gzip from plain
  z_stream zs_{};
  bool z_init_ = false, z_end_ = false, failed_ = false;
  std::string out_;
};

}  // namespace saker::cloudtrail
