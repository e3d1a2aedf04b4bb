// The S3 source; see s3_stream.h.
#include "s3_stream.h"

#include <chrono>

#include "aws/credentials.h"
#include "event_time.h"

namespace saker::cloudtrail {
namespace {
uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}
}  // namespace

S3Settings s3_settings(const Config& cfg) {
  S3Settings s;
  aws::Resolved r = aws::resolve(cfg.aws.profile, cfg.aws.region);
  s.region = r.region;
  s.creds = r.creds;
  s.endpoint = cfg.aws.s3_endpoint;
  s.retry.max_attempts = static_cast<int>(cfg.aws.max_attempts);
  s.retry.base_delay_ms = static_cast<int>(cfg.aws.retry_base_ms);
  s.retry.max_delay_ms = static_cast<int>(cfg.aws.retry_max_ms);
  s.retry.connect_timeout_ms = static_cast<int>(cfg.aws.connect_timeout_ms);
  s.retry.read_timeout_ms = static_cast<int>(cfg.aws.read_timeout_ms);
  s.limits = cfg.limits;
  s.page_size = cfg.s3.page_size;
  if (s.creds.empty()) {
    throw sdk::PluginError(
        "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile in "
        "~/.aws/credentials (AWS_PROFILE / init_config aws.profile)");
  }
  return s;
}

S3Stream::S3Stream(const std::string& bucket, const std::string& prefix, const Config& cfg,
                   Stats* stats)
    : bucket_(bucket),
      prefix_(prefix),
      cfg_(cfg),
      stats_(stats),
      s3_(s3_settings(cfg), stats, &stop_),
      queue_(cfg.queue_max_records, cfg.queue_max_records * 64 * 1024),
      checkpoint_(cfg.state_file, "s3://" + bucket + "/" + prefix) {
  reader_ = std::thread([this] { run(); });
}

S3Stream::~S3Stream() {
  account_evaluated();  // the core evaluated the last batch before closing the source
  stop_ = true;
  queue_.close();
  if (reader_.joinable()) reader_.join();
}

void S3Stream::account_evaluated() {
  if (!checkpoint_.enabled() || current_.empty()) return;
  uint64_t seq = current_.front().tag, n = 0;
  for (const auto& r : current_) {
    if (r.tag != seq) {
      checkpoint_.evaluated(seq, n);
      seq = r.tag, n = 0;
    }
    ++n;
  }
  checkpoint_.evaluated(seq, n);
  checkpoint_.save();
}

void S3Stream::run() {
  // Resuming: listing starts after the last object an earlier run finished.
  std::string last_key = checkpoint_.done();
  try {
    for (;;) {
      std::vector<S3Object> objects;
      try {
        objects = s3_.list(bucket_, prefix_, last_key);
      } catch (const std::exception& e) {
        if (!cfg_.s3.follow) throw;
        stats_->warn(std::string(e.what()) + "; listing again later");
      }
      listed_ += objects.size();
      for (const auto& o : objects) {
        if (stop_) break;
        uint64_t skip = o.key == checkpoint_.partial() ? checkpoint_.partial_records() : 0;
        const uint64_t seq = checkpoint_.enabled() ? checkpoint_.begin(o.key, skip) : 0;
        s3_.read(bucket_, o.key, [&](std::string_view compact) {
          if (skip > 0) {  // evaluated by an earlier run
            --skip;
            return;
          }
          if (seq) checkpoint_.record_read(seq);
          auto ts = record_time(compact);
          if (!ts) stats_->add(Counter::kTimestampInvalid);
          queue_.push({std::string(compact), ts ? *ts : now_ns(), seq}, stop_);
        });
        if (seq && !stop_) checkpoint_.end(seq);
        ++read_;
        last_key = o.key;
      }
      if (!cfg_.s3.follow || stop_) break;
      const auto until =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg_.s3.poll_interval_ms);
      while (!stop_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (stop_) break;
    }
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  queue_.close();
}

sdk::BatchStatus S3Stream::next_batch(sdk::EventWriter& out, uint32_t timeout_ms) {
  account_evaluated();  // the core evaluated the previous batch before asking again
  stats_->flush_logs();
  current_.clear();
  queue_.pop(cfg_.batch_size, std::chrono::milliseconds(timeout_ms), &current_);
  for (const auto& r : current_) out.add_view(0, r.ts, r.json.data(), r.json.size());
  delivered_ += current_.size();
  stats_->add(Counter::kRecords, current_.size());
  if (current_.empty() && queue_.drained()) {
    if (!error_.empty()) throw sdk::PluginError(error_);
    return sdk::BatchStatus::kEof;
  }
  return current_.empty() ? sdk::BatchStatus::kTimeout : sdk::BatchStatus::kOk;
}

bool S3Stream::progress(uint32_t& permille, std::string& text) {
  const uint64_t listed = listed_, read = read_;
  permille = cfg_.s3.follow || listed == 0 ? 0 : static_cast<uint32_t>(read * 1000 / listed);
  text = std::to_string(delivered_) + " records, " + std::to_string(read) + "/" +
         std::to_string(listed) + " objects of s3://" + bucket_ + "/" + prefix_;
  return true;
}

}  // namespace saker::cloudtrail
