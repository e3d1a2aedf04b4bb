// Replay of CloudTrail files; see file_stream.h.
#include "file_stream.h"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "event_time.h"

namespace saker::cloudtrail {
namespace fs = std::filesystem;

namespace {

bool is_log_name(const std::string& name) {
  return name.ends_with(".json") || name.ends_with(".json.gz");
}

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

std::vector<std::string> list_log_files(const std::string& path,
                                        const std::function<bool()>& stop) {
  auto interrupted = [&] {
    return sdk::PluginError("listing CloudTrail folder '" + path +
                            "' interrupted (stop requested)");
  };
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    throw sdk::PluginError("cannot open CloudTrail input '" + path + "': no such file or folder");
  }
  std::vector<std::string> out;
  if (fs::is_regular_file(st)) {
    out.push_back(path);
    return out;
  }
  if (!fs::is_directory(st)) {
    throw sdk::PluginError("cannot open CloudTrail input '" + path +
                           "': not a regular file or folder");
  }
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  for (size_t n = 0; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (n++ % 4096 == 0 && stop && stop()) throw interrupted();
    std::error_code fec;
    if (it->is_regular_file(fec) && is_log_name(it->path().filename().string()))
      out.push_back(it->path().string());
  }
  if (ec) throw sdk::PluginError("cannot read folder '" + path + "': " + ec.message());
  std::sort(out.begin(), out.end());
  if (out.empty()) {
    throw sdk::PluginError("CloudTrail folder '" + path + "' holds no .json or .json.gz file");
  }
  return out;
}

FileStream::FileStream(const std::string& path, const Config& cfg, Stats* stats,
                       const std::function<bool()>& stop)
    : cfg_(cfg),
      stats_(stats),
      files_(list_log_files(path, stop)),
      chunk_(cfg.read_chunk),
      checkpoint_(cfg.state_file, "file://" + path) {
  // Resuming: the files an earlier run finished are skipped (files are read in path order).
  if (!checkpoint_.done().empty()) {
    std::erase_if(files_, [&](const std::string& f) { return f <= checkpoint_.done(); });
  }
  for (const auto& f : files_) {
    std::error_code ec;
    const uint64_t size = fs::file_size(f, ec);
    sizes_.push_back(ec ? 0 : size);
    total_bytes_ += sizes_.back();
  }
}

FileStream::~FileStream() {
  account_evaluated();  // the core evaluated the last batch before closing the source
  if (file_) gzclose(file_);
}

void FileStream::account_evaluated() {
  if (!checkpoint_.enabled() || current_.empty()) return;
  uint64_t seq = current_.front().seq, n = 0;
  for (const auto& r : current_) {
    if (r.seq != seq) {
      checkpoint_.evaluated(seq, n);
      seq = r.seq, n = 0;
    }
    ++n;
  }
  checkpoint_.evaluated(seq, n);
  checkpoint_.save();
}

void FileStream::on_record(std::string_view compact) {
  if (skip_records_ > 0) {  // evaluated by an earlier run
    --skip_records_;
    return;
  }
  if (checkpoint_.enabled()) checkpoint_.record_read(seq_);
  auto ts = record_time(compact);
  if (!ts) stats_->add(Counter::kTimestampInvalid);
  ready_.push_back({std::string(compact), ts ? *ts : now_ns(), seq_});
}

void FileStream::on_problem(Problem p, uint64_t offset, std::string_view what) {
  stats_->add(problem_counter(p));
  if (problems_in_file_++ < cfg_.max_logged_problems) {
    stats_->host().log(sdk::LogLevel::kWarning, current_path_ + ": byte " + std::to_string(offset) +
                                                    ": " + problem_name(p) + ": " +
                                                    std::string(what));
  }
}

bool FileStream::open_next_file() {
  while (next_file_ < files_.size()) {
    current_path_ = files_[next_file_++];
    problems_in_file_ = 0;
    file_ = gzopen(current_path_.c_str(), "rb");
    if (!file_) {
      stats_->add(Counter::kFilesTruncated);
      stats_->host().log(sdk::LogLevel::kWarning, current_path_ + ": cannot open");
      done_bytes_ += sizes_[next_file_ - 1];
      continue;
    }
    gzbuffer(file_, static_cast<unsigned>(std::min<size_t>(cfg_.read_chunk, 1u << 20)));
    skip_records_ = current_path_ == checkpoint_.partial() ? checkpoint_.partial_records() : 0;
    if (checkpoint_.enabled()) seq_ = checkpoint_.begin(current_path_, skip_records_);
    splitter_ = std::make_unique<RecordSplitter>(
        cfg_.limits, [this](std::string_view r, uint64_t) { on_record(r); },
        [this](Problem p, uint64_t off, std::string_view what) { on_problem(p, off, what); });
    return true;
  }
  return false;
}

void FileStream::close_file() {
  splitter_->finish();
  if (problems_in_file_ > cfg_.max_logged_problems) {
    stats_->host().log(sdk::LogLevel::kWarning,
                       current_path_ + ": " +
                           std::to_string(problems_in_file_ - cfg_.max_logged_problems) +
                           " more problems (see the plugin's metrics)");
  }
  stats_->add(Counter::kFilesRead);
  if (checkpoint_.enabled()) checkpoint_.end(seq_);
  gzclose(file_);
  file_ = nullptr;
  splitter_.reset();
  done_bytes_ += sizes_[next_file_ - 1];
}

// Reads one chunk of the current file (opening the next one as needed); false once
// every file is done.
bool FileStream::read_more() {
  if (!file_ && !open_next_file()) return false;
  int n = gzread(file_, chunk_.data(), static_cast<unsigned>(chunk_.size()));
  if (n > 0) {
    splitter_->feed(std::string_view(chunk_.data(), static_cast<size_t>(n)));
    if (splitter_->stopped()) close_file();
    return true;
  }
  if (n < 0) {
    int code = 0;
    const char* msg = gzerror(file_, &code);
    stats_->host().log(sdk::LogLevel::kWarning,
                       current_path_ + ": read error: " + (msg ? msg : "unknown"));
    if (!splitter_->stopped()) stats_->add(Counter::kFilesTruncated);
  }
  close_file();
  return true;
}

sdk::BatchStatus FileStream::next_batch(sdk::EventWriter& out, uint32_t) {
  account_evaluated();  // the core evaluated the previous batch before asking again
  while (!eof_ && ready_.size() < cfg_.batch_size) eof_ = !read_more();
  current_.clear();
  while (!ready_.empty() && current_.size() < cfg_.batch_size) {
    current_.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
  for (const auto& r : current_) out.add_view(0, r.ts, r.json.data(), r.json.size());
  delivered_ += current_.size();
  stats_->add(Counter::kRecords, current_.size());
  return eof_ && ready_.empty() ? sdk::BatchStatus::kEof : sdk::BatchStatus::kOk;
}

bool FileStream::progress(uint32_t& permille, std::string& text) {
  uint64_t pos = done_bytes_;
  if (file_) pos += static_cast<uint64_t>(gzoffset(file_));
  permille = eof_ ? 1000
             : total_bytes_
                 ? static_cast<uint32_t>(std::min<uint64_t>(pos * 1000 / total_bytes_, 999))
                 : 0;
  text = std::to_string(delivered_) + " records, file " +
         std::to_string(std::min(next_file_, files_.size())) + "/" + std::to_string(files_.size());
  return true;
}

}  // namespace saker::cloudtrail
