// Streaming reader of CloudTrail log documents: `{"Records":[{...},{...}]}` (several
// documents may follow each other). Bytes are fed in chunks of any size; each record is
// handed out, checked and compacted (json_check.h), as soon as its closing brace
// arrives, so memory stays bounded by one record (max_record_bytes) plus one chunk,
// whatever the size of the document.
//
// Bad input costs as little as possible and is always reported:
//  - a record that is not well-formed JSON, or not an object, is counted and skipped;
//    when it broke the structure (say an unclosed string swallowed the records after
//    it), reading resumes at the first record boundary ("}", ",", "{") after the
//    error, so the records that follow are still read;
//  - a record over max_record_bytes is skipped while its structure is followed, so
//    the next record is found without keeping the big one;
//  - a document that is not an object with a Records array stops the input (the rest
//    is not CloudTrail); input that ends inside a record or document is reported.
// Not thread-safe: one reader per splitter.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace saker::cloudtrail {

enum class Problem {
  kMalformedRecord,  // not JSON, or not an object
  kOversizedRecord,  // over max_record_bytes
  kNotCloudTrail,    // the document is not {"Records":[...]}
  kTruncated,        // the input ended inside a record or a document
};
const char* problem_name(Problem p);

struct SplitterLimits {
  size_t max_record_bytes = 16 * 1024 * 1024;
  size_t max_depth = 64;
};

class RecordSplitter {
 public:
  // `record`: the compact JSON of one record, and its index in the input (0-based,
  // counting every element of the Records arrays, bad ones too). `problem`: what went
  // wrong, the byte offset in the input where it was seen, and a short explanation.
  using RecordFn = std::function<void(std::string_view compact, uint64_t index)>;
  using ProblemFn = std::function<void(Problem, uint64_t offset, std::string_view what)>;

  RecordSplitter(SplitterLimits limits, RecordFn record, ProblemFn problem);

  void feed(std::string_view bytes);
  // The end of the input: reports a record or document left open.
  void finish();

  uint64_t records() const { return records_; }
  uint64_t elements() const { return elements_; }
  // True once the input was found not to be CloudTrail (the rest is ignored).
  bool stopped() const { return stopped_; }

 private:
  enum class Phase {
    kDocStart,
    kMemberKey,
    kColon,
    kMemberValue,
    kSkipValue,
    kAfterMember,
    kArray,
    kRecord,
  };

  void drain();
  bool step_document();
  bool scan_structure(bool keep);
  void end_record(size_t end);
  void stop(std::string_view what);
  void compact_buffer();
  uint64_t abs(size_t i) const { return base_ + i; }

  SplitterLimits limits_;
  RecordFn on_record_;
  ProblemFn on_problem_;

  std::string buf_;
  size_t pos_ = 0;     // next byte to look at in buf_
  uint64_t base_ = 0;  // input offset of buf_[0]
  Phase phase_ = Phase::kDocStart;
  bool saw_records_ = false;  // the current document had a Records array
  bool records_key_ = false;  // the member being read is "Records"

  // Structural scan of a record or a skipped value.
  size_t rec_start_ = 0;    // in buf_ (when kept)
  uint64_t rec_bytes_ = 0;  // bytes scanned in the current value (statistics)
  int depth_ = 0;
  bool in_string_ = false;
  bool escape_ = false;
  bool skipping_ = false;     // an oversized record: bytes not kept
  int resyncs_in_a_row_ = 0;  // failed records read on from a boundary inside them

  std::string compact_;  // reused output of the checker
  uint64_t records_ = 0, elements_ = 0;
  bool stopped_ = false;
  bool finished_ = false;
};

}  // namespace saker::cloudtrail
