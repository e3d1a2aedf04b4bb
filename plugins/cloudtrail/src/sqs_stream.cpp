// The SQS source; see sqs_stream.h.
#include "sqs_stream.h"

#include "aws/credentials.h"
#include "event_time.h"
#include "s3_stream.h"

namespace saker::cloudtrail {
namespace {

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

aws::HttpClient sqs_http(const Config& cfg, const S3Settings& s, const std::atomic<bool>* stop) {
  const std::string ep = !cfg.aws.sqs_endpoint.empty()
                             ? cfg.aws.sqs_endpoint
                             : "https://sqs." + s.region + ".amazonaws.com";
  aws::RetryPolicy p = s.retry;
  // A long poll must not look like a silent server.
  p.read_timeout_ms =
      std::max<int>(p.read_timeout_ms, static_cast<int>(cfg.sqs.wait_time_s) * 1000 + 5000);
  return aws::HttpClient(aws::Endpoint::parse(ep), s.region, "sqs", s.creds, p, stop);
}

bool sleep_unless(const std::atomic<bool>& stop, int ms) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return !stop;
}

}  // namespace

SqsStream::SqsStream(const std::string& queue, const Config& cfg, Stats* stats)
    : cfg_(cfg),
      stats_(stats),
      s3_(s3_settings(cfg), stats, &stop_),
      sqs_(sqs_http(cfg, s3_settings(cfg), &stop_), stats),
      queue_(cfg.queue_max_records, cfg.queue_max_records * 64 * 1024) {
  url_ = queue.rfind("http://", 0) == 0 || queue.rfind("https://", 0) == 0 ? queue
                                                                           : sqs_.queue_url(queue);
  receiver_ = std::thread([this] { receive_loop(); });
  housekeeper_ = std::thread([this] { housekeeping_loop(); });
}

SqsStream::~SqsStream() {
  // The last batch was evaluated before the core closes the source: delete what is done.
  account_evaluated();
  current_.clear();
  stop_ = true;
  queue_.close();
  if (receiver_.joinable()) receiver_.join();
  if (housekeeper_.joinable()) housekeeper_.join();
  // A final pass with stop cleared would retry; deletions of finished messages are tried
  // once more here, without waiting on backoff.
  std::vector<std::string> done;
  {
    std::lock_guard lock(mu_);
    for (const auto& [seq, m] : inflight_) {
      if (m.all_pushed && !m.failed && m.evaluated == m.pushed) done.push_back(m.receipt);
    }
  }
  for (const auto& r : done) {
    try {
      if (cfg_.sqs.delete_messages && sqs_.remove(url_, r)) stats_->add(Counter::kSqsDeleted);
    } catch (const std::exception&) {
    }
  }
}

void SqsStream::receive_loop() {
  int failures = 0;
  while (!stop_) {
    std::vector<SqsMessage> msgs;
    try {
      msgs = sqs_.receive(url_, cfg_.sqs.max_messages, cfg_.sqs.wait_time_s,
                          cfg_.sqs.visibility_timeout_s);
      failures = 0;
    } catch (const std::exception& e) {
      if (stop_) break;
      stats_->warn(std::string(e.what()) + "; receiving again later");
      sleep_unless(stop_, std::min(30000, 500 << std::min(++failures, 6)));
      continue;
    }
    for (auto& msg : msgs) {
      if (stop_) break;
      stats_->add(Counter::kSqsMessages);
      uint64_t seq;
      {
        std::lock_guard lock(mu_);
        seq = next_seq_++;
        InFlight& m = inflight_[seq];
        m.id = msg.id;
        m.receipt = msg.receipt_handle;
        m.visible_until =
            std::chrono::steady_clock::now() + std::chrono::seconds(cfg_.sqs.visibility_timeout_s);
      }
      auto refs = objects_in_message(msg.body);
      if (refs.empty()) {
        stats_->add(Counter::kSqsIgnored);
        stats_->warn("sqs message " + msg.id + " names no S3 object; deleted");
      }
      bool failed = false;
      for (const auto& ref : refs) {
        stats_->add(Counter::kObjectsListed);
        const bool ok = s3_.read(ref.bucket, ref.key, [&](std::string_view compact) {
          auto ts = record_time(compact);
          if (!ts) stats_->add(Counter::kTimestampInvalid);
          {
            std::lock_guard lock(mu_);
            inflight_[seq].pushed++;
          }
          queue_.push({std::string(compact), ts ? *ts : now_ns(), seq}, stop_);
        });
        failed = failed || !ok;
      }
      std::lock_guard lock(mu_);
      InFlight& m = inflight_[seq];
      m.all_pushed = !stop_;
      m.failed = failed;
      if (failed) {
        stats_->warn("sqs message " + msg.id +
                     ": an object could not be read; the message is left to reappear");
      }
    }
  }
}

void SqsStream::housekeeping_once() {
  std::vector<std::pair<uint64_t, std::string>> to_delete, to_extend;
  std::vector<uint64_t> to_drop;
  const auto now = std::chrono::steady_clock::now();
  const auto vis = std::chrono::seconds(cfg_.sqs.visibility_timeout_s);
  {
    std::lock_guard lock(mu_);
    for (auto& [seq, m] : inflight_) {
      if (m.all_pushed && m.failed) {
        to_drop.push_back(seq);
      } else if (m.all_pushed && m.evaluated == m.pushed) {
        to_delete.emplace_back(seq, m.receipt);
      } else if (m.visible_until - now < vis / 2) {
        to_extend.emplace_back(seq, m.receipt);
      }
    }
    for (auto seq : to_drop) inflight_.erase(seq);
  }
  for (const auto& [seq, receipt] : to_delete) {
    try {
      if (cfg_.sqs.delete_messages) {
        sqs_.remove(url_, receipt);
        stats_->add(Counter::kSqsDeleted);
      }
      std::lock_guard lock(mu_);
      inflight_.erase(seq);
    } catch (const std::exception& e) {
      stats_->warn(std::string(e.what()) + "; deleting again later");
    }
  }
  for (const auto& [seq, receipt] : to_extend) {
    try {
      sqs_.change_visibility(url_, receipt, cfg_.sqs.visibility_timeout_s);
      stats_->add(Counter::kSqsExtended);
      std::lock_guard lock(mu_);
      auto it = inflight_.find(seq);
      if (it != inflight_.end()) it->second.visible_until = std::chrono::steady_clock::now() + vis;
    } catch (const std::exception& e) {
      stats_->warn(std::string(e.what()) + " (visibility of a message being read)");
    }
  }
}

void SqsStream::housekeeping_loop() {
  while (sleep_unless(stop_, 100)) housekeeping_once();
}

void SqsStream::account_evaluated() {
  if (current_.empty()) return;
  std::lock_guard lock(mu_);
  for (const auto& r : current_) {
    auto it = inflight_.find(r.tag);
    if (it != inflight_.end()) it->second.evaluated++;
  }
}

sdk::BatchStatus SqsStream::next_batch(sdk::EventWriter& out, uint32_t timeout_ms) {
  // The core evaluated the previous batch before asking again.
  account_evaluated();
  stats_->flush_logs();
  current_.clear();
  queue_.pop(cfg_.batch_size, std::chrono::milliseconds(timeout_ms), &current_);
  for (const auto& r : current_) out.add_view(0, r.ts, r.json.data(), r.json.size());
  delivered_ += current_.size();
  stats_->add(Counter::kRecords, current_.size());
  return current_.empty() ? sdk::BatchStatus::kTimeout : sdk::BatchStatus::kOk;
}

bool SqsStream::progress(uint32_t& permille, std::string& text) {
  permille = 0;
  size_t inflight;
  {
    std::lock_guard lock(mu_);
    inflight = inflight_.size();
  }
  text = std::to_string(delivered_) + " records, " + std::to_string(inflight) +
         " messages in flight on " + url_;
  return true;
}

}  // namespace saker::cloudtrail
