// The streaming CloudTrail document reader; see record_splitter.h. Two levels: a small
// state machine for the document around the records (object, member names, the Records
// array), and a structural scan (strings, escapes, nesting) that finds where each record
// ends without parsing it. Only a complete record goes through the full check.
#include "record_splitter.h"

#include <cstring>

#include "json_check.h"

namespace saker::cloudtrail {
namespace {

inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
constexpr size_t kMaxMemberName = 4096;
constexpr int kMaxResyncsInARow = 4;

// The index of the '{' of the first "}", ",", "{" sequence (whitespace allowed between)
// in buf[from, to), or npos.
size_t find_boundary(std::string_view buf, size_t from, size_t to) {
  for (size_t i = buf.find('}', from); i != std::string_view::npos && i < to;
       i = buf.find('}', i + 1)) {
    size_t j = i + 1;
    while (j < to && is_ws(buf[j])) ++j;
    if (j >= to || buf[j] != ',') continue;
    ++j;
    while (j < to && is_ws(buf[j])) ++j;
    if (j < to && buf[j] == '{') return j;
  }
  return std::string_view::npos;
}

}  // namespace

const char* problem_name(Problem p) {
  switch (p) {
    case Problem::kMalformedRecord:
      return "malformed record";
    case Problem::kOversizedRecord:
      return "oversized record";
    case Problem::kNotCloudTrail:
      return "not a CloudTrail log";
    case Problem::kTruncated:
      return "truncated input";
  }
  return "?";
}

RecordSplitter::RecordSplitter(SplitterLimits limits, RecordFn record, ProblemFn problem)
    : limits_(limits), on_record_(std::move(record)), on_problem_(std::move(problem)) {}

void RecordSplitter::feed(std::string_view bytes) {
  if (stopped_ || finished_) return;
  buf_.append(bytes);
  drain();
}

void RecordSplitter::finish() {
  if (finished_) return;
  finished_ = true;
  drain();
  // A record still open: check it as it is (this reports it), and read on from a
  // boundary inside it if there is one.
  while (!stopped_ && phase_ == Phase::kRecord && !skipping_) {
    const size_t before = rec_start_;
    end_record(buf_.size());
    if (phase_ == Phase::kRecord && rec_start_ > before) {
      drain();
      continue;
    }
    break;
  }
  if (!stopped_ && phase_ != Phase::kDocStart) {
    on_problem_(Problem::kTruncated, abs(buf_.size()), "the input ended inside a document");
  }
  buf_.clear();
  buf_.shrink_to_fit();
}

void RecordSplitter::stop(std::string_view what) {
  stopped_ = true;
  on_problem_(Problem::kNotCloudTrail, abs(pos_), what);
  buf_.clear();
  pos_ = 0;
}

void RecordSplitter::drain() {
  while (!stopped_) {
    if (phase_ == Phase::kRecord || phase_ == Phase::kSkipValue) {
      if (!scan_structure(phase_ == Phase::kRecord)) break;
    } else if (!step_document()) {
      break;
    }
  }
  compact_buffer();
}

void RecordSplitter::compact_buffer() {
  if (stopped_) return;
  const bool keep = phase_ == Phase::kRecord && !skipping_;
  const size_t from = keep ? rec_start_ : pos_;
  if (from == 0) return;
  buf_.erase(0, from);
  base_ += from;
  pos_ -= from;
  if (keep) rec_start_ = 0;
}

// One step of the document state machine; false when it needs more input.
bool RecordSplitter::step_document() {
  while (pos_ < buf_.size() && is_ws(buf_[pos_])) ++pos_;
  if (pos_ >= buf_.size()) return false;
  const char c = buf_[pos_];
  auto start_scan = [&](Phase next, bool keep) {
    rec_start_ = pos_;
    rec_bytes_ = 0;
    depth_ = 0;
    in_string_ = escape_ = false;
    skipping_ = !keep;
    phase_ = next;
  };
  auto end_document = [&] {
    if (!saw_records_) {
      stop("a JSON object without a Records array");
      return;
    }
    ++pos_;
    phase_ = Phase::kDocStart;
  };
  switch (phase_) {
    case Phase::kDocStart:
      if (c != '{') {
        stop("expected a JSON object ({\"Records\":[...]})");
        return false;
      }
      ++pos_;
      saw_records_ = false;
      phase_ = Phase::kMemberKey;
      return true;
    case Phase::kMemberKey: {
      if (c == '}') {
        end_document();
        return !stopped_;
      }
      if (c != '"') {
        stop("expected a member name");
        return false;
      }
      size_t i = pos_ + 1;
      while (i < buf_.size() && buf_[i] != '"') i += buf_[i] == '\\' ? 2 : 1;
      if (i >= buf_.size()) {
        if (buf_.size() - pos_ > kMaxMemberName) stop("a member name too long");
        return false;
      }
      records_key_ = std::string_view(buf_).substr(pos_ + 1, i - pos_ - 1) == "Records";
      pos_ = i + 1;
      phase_ = Phase::kColon;
      return true;
    }
    case Phase::kColon:
      if (c != ':') {
        stop("expected ':'");
        return false;
      }
      ++pos_;
      phase_ = Phase::kMemberValue;
      return true;
    case Phase::kMemberValue:
      if (records_key_) {
        if (c != '[') {
          stop("Records is not an array");
          return false;
        }
        ++pos_;
        saw_records_ = true;
        phase_ = Phase::kArray;
      } else {
        start_scan(Phase::kSkipValue, false);
      }
      return true;
    case Phase::kAfterMember:
      if (c == ',') {
        ++pos_;
        phase_ = Phase::kMemberKey;
      } else if (c == '}') {
        end_document();
      } else {
        stop("expected ',' or '}' after a member");
      }
      return !stopped_;
    case Phase::kArray:
      if (c == ',') {
        ++pos_;
      } else if (c == ']') {
        ++pos_;
        phase_ = Phase::kAfterMember;
      } else {
        start_scan(Phase::kRecord, true);
      }
      return true;
    default:
      return false;
  }
}

// Follows strings and nesting from pos_ until the current value ends; false when the
// input runs out first. A container ends with its closing bracket; a scalar at the
// ',' or closing bracket after it (left for the document state machine).
bool RecordSplitter::scan_structure(bool keep) {
  const char* d = buf_.data();
  const size_t n = buf_.size();
  size_t i = pos_;
  while (i < n) {
    if (in_string_) {
      if (escape_) {
        escape_ = false;
        ++i;
        continue;
      }
      // The end of the string, found with memchr: records are mostly string content.
      const char* q = static_cast<const char*>(memchr(d + i, '"', n - i));
      const size_t stop = q ? static_cast<size_t>(q - d) : n;
      const char* bs = static_cast<const char*>(memchr(d + i, '\\', stop - i));
      i = bs ? static_cast<size_t>(bs - d) : stop;
      if (i >= n) break;
      if (d[i] == '\\') {
        escape_ = true;
      } else {
        in_string_ = false;
      }
      ++i;
      continue;
    }
    const char c = d[i];
    bool ends = false;
    size_t end = i;
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (depth_ == 0) {
        ends = true;  // a scalar before the closing bracket of what holds it
        // In the Records array a '}' at this level closes nothing: it belongs to the bad
        // element, and is consumed with it (left alone, it would start the next one).
        if (c == '}' && phase_ == Phase::kRecord) end = i + 1;
      } else if (--depth_ == 0) {
        ends = true;
        end = i + 1;
      }
    } else if (c == ',' && depth_ == 0) {
      ends = true;
    }
    if (ends) {
      pos_ = end;
      if (phase_ == Phase::kRecord) {
        end_record(end);
      } else {
        skipping_ = false;
        phase_ = Phase::kAfterMember;
      }
      return true;
    }
    ++i;
  }
  rec_bytes_ += i - pos_;
  pos_ = i;
  if (keep && !skipping_ && pos_ - rec_start_ > limits_.max_record_bytes) {
    on_problem_(
        Problem::kOversizedRecord, abs(rec_start_),
        "a record over max_record_bytes (" + std::to_string(limits_.max_record_bytes) + ")");
    skipping_ = true;  // follow its structure without keeping it
  }
  return false;
}

// The record in buf_[rec_start_, end) is complete (or the input ended at `end`).
void RecordSplitter::end_record(size_t end) {
  const uint64_t index = elements_++;
  phase_ = Phase::kArray;
  pos_ = end;
  if (skipping_) {  // already reported as oversized
    skipping_ = false;
    return;
  }
  std::string_view text(buf_.data() + rec_start_, end - rec_start_);
  while (!text.empty() && is_ws(text.back())) text.remove_suffix(1);
  if (text.size() > limits_.max_record_bytes) {
    on_problem_(
        Problem::kOversizedRecord, abs(rec_start_),
        "a record over max_record_bytes (" + std::to_string(limits_.max_record_bytes) + ")");
    return;
  }
  CheckResult res = compact_json(text, limits_.max_depth, &compact_);
  if (res.ok && !compact_.empty() && compact_[0] == '{') {
    resyncs_in_a_row_ = 0;
    ++records_;
    on_record_(compact_, index);
    return;
  }
  if (res.ok) {
    on_problem_(Problem::kMalformedRecord, abs(rec_start_), "a record that is not a JSON object");
    return;
  }
  on_problem_(Problem::kMalformedRecord, abs(rec_start_ + res.error_offset),
              std::string("record ") + std::to_string(index) + ": " + res.error);
  // The error may have thrown the structural scan off (an unclosed string): read on
  // from the first record boundary after it, inside what was taken for this record.
  // Each resync scans again what follows the boundary; a bounded number of them in a row
  // keeps the work linear in the input whatever it holds.
  if (resyncs_in_a_row_ >= kMaxResyncsInARow) {
    resyncs_in_a_row_ = 0;
    return;
  }
  const size_t from = rec_start_ + res.error_offset;
  const size_t next = find_boundary(buf_, from, end);
  if (next != std::string_view::npos) {
    ++resyncs_in_a_row_;
    rec_start_ = next;
    pos_ = next;
    depth_ = 0;
    in_string_ = escape_ = false;
    phase_ = Phase::kRecord;
  }
}

}  // namespace saker::cloudtrail
