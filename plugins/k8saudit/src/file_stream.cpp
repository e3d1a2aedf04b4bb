// Replay of audit events from a file; see streams.h. zlib's gz* functions read gzip
// and plain files alike, so one code path serves .json, .jsonl and .gz.
#include <sys/stat.h>

#include <chrono>

#include "streams.h"

namespace saker::k8saudit {
namespace {
constexpr size_t kChunk = 256 * 1024;
}

FileStream::FileStream(const std::string& path, const Config& cfg, Stats* stats)
    : path_(path),
      limits_(cfg.limits),
      batch_size_(cfg.batch_size),
      stats_(stats),
      docs_(cfg.webhook.http.max_body_bytes, [this](std::string_view d) { on_document(d); }),
      chunk_(kChunk) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    throw sdk::PluginError("cannot open audit file '" + path + "': not a readable file");
  }
  file_size_ = static_cast<uint64_t>(st.st_size);
  file_ = gzopen(path.c_str(), "rb");
  if (!file_) throw sdk::PluginError("cannot open audit file '" + path + "'");
  gzbuffer(file_, kChunk);
}

FileStream::~FileStream() {
  if (file_) gzclose(file_);
}

void FileStream::on_document(std::string_view doc) {
  std::vector<std::string_view> events;
  ParseError err = split_document(doc, limits_, &events);
  if (err != ParseError::kNone) {
    stats_->add(err == ParseError::kEventTooLarge ? Counter::kFileOversized
                                                  : Counter::kFileMalformed);
    stats_->warn(path_ + ": skipped a document: " + parse_error_name(err));
    return;
  }
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  size_t out_of_range = 0;
  for (auto e : events) {
    bool oor = false;
    ready_.push_back({std::string(e), event_time(e, now, &oor)});
    out_of_range += oor;
  }
  if (out_of_range) stats_->add(Counter::kTimestampOutOfRange, out_of_range);
  stats_->add(Counter::kFileEvents, events.size());
}

// Reads one chunk into the document splitter; false at the end of the file.
bool FileStream::read_more() {
  int n = gzread(file_, chunk_.data(), static_cast<unsigned>(chunk_.size()));
  if (n > 0) {
    docs_.feed(std::string_view(chunk_.data(), static_cast<size_t>(n)));
    return true;
  }
  if (n < 0) {
    int code = 0;
    stats_->warn(path_ + ": read error: " + gzerror(file_, &code));
  }
  docs_.finish();  // an unfinished document is counted by next_batch
  return false;
}

sdk::BatchStatus FileStream::next_batch(sdk::EventWriter& out, uint32_t) {
  uint64_t bad_before = docs_.malformed() + docs_.oversized();
  while (!eof_ && ready_.size() < batch_size_) eof_ = !read_more();
  uint64_t bad = docs_.malformed() + docs_.oversized() - bad_before;
  if (bad) stats_->add(Counter::kFileMalformed, bad);
  current_.clear();
  while (!ready_.empty() && current_.size() < batch_size_) {
    current_.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
  for (const auto& e : current_) out.add_view(0, e.ts, e.json.data(), e.json.size());
  delivered_ += current_.size();
  stats_->flush_logs();
  return eof_ && ready_.empty() ? sdk::BatchStatus::kEof : sdk::BatchStatus::kOk;
}

bool FileStream::progress(uint32_t& permille, std::string& text) {
  uint64_t pos = file_ ? static_cast<uint64_t>(gzoffset(file_)) : file_size_;
  permille = eof_ ? 1000 : file_size_ ? static_cast<uint32_t>(pos * 1000 / file_size_) : 0;
  text = std::to_string(delivered_) + " events";
  return true;
}

}  // namespace saker::k8saudit
