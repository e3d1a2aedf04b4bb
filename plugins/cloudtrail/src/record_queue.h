// The bounded hand-over between a reader thread (S3, SQS) and the source thread: records
// with their time and a tag (the SQS message they came from). push() waits while the
// queue is full, so a reader never runs ahead of the engine by more than the bound;
// pop() waits at most a timeout. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace saker::cloudtrail {

struct QueuedRecord {
  std::string json;
  uint64_t ts = 0;
  uint64_t tag = 0;
};

class RecordQueue {
 public:
  RecordQueue(size_t max_records, size_t max_bytes)
      : max_records_(max_records), max_bytes_(max_bytes) {}

  // False when `stop` was set while waiting for room.
  bool push(QueuedRecord r, const std::atomic<bool>& stop) {
    std::unique_lock lock(mu_);
    while (!q_.empty() && (q_.size() >= max_records_ || bytes_ + r.json.size() > max_bytes_)) {
      if (stop) return false;
      room_.wait_for(lock, std::chrono::milliseconds(50));
    }
    bytes_ += r.json.size();
    q_.push_back(std::move(r));
    ready_.notify_one();
    return true;
  }

  // Up to `max` records, waiting up to `timeout` for the first.
  void pop(size_t max, std::chrono::milliseconds timeout, std::vector<QueuedRecord>* out) {
    std::unique_lock lock(mu_);
    if (q_.empty()) ready_.wait_for(lock, timeout, [&] { return !q_.empty() || closed_; });
    while (!q_.empty() && out->size() < max) {
      bytes_ -= q_.front().json.size();
      out->push_back(std::move(q_.front()));
      q_.pop_front();
    }
    room_.notify_all();
  }

  // The producer is done (or failed): pop() stops waiting.
  void close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    ready_.notify_all();
  }
  bool drained() {
    std::lock_guard lock(mu_);
    return closed_ && q_.empty();
  }
  size_t size() {
    std::lock_guard lock(mu_);
    return q_.size();
  }

 private:
  const size_t max_records_, max_bytes_;
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<QueuedRecord> q_;
  size_t bytes_ = 0;
  bool closed_ = false;
};

}  // namespace saker::cloudtrail
