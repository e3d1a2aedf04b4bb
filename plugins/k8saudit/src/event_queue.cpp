// The bounded event queue; see event_queue.h.
#include "event_queue.h"

namespace saker::k8saudit {

bool EventQueue::push_all(std::vector<QueuedEvent>&& events) {
  size_t add = 0;
  for (const auto& e : events) add += cost(e);
  {
    std::lock_guard lock(mu_);
    if (closed_ || q_.size() + events.size() > max_events_ || bytes_ + add > max_bytes_) {
      return false;
    }
    for (auto& e : events) q_.push_back(std::move(e));
    bytes_ += add;
    high_water_ = std::max(high_water_, q_.size());
  }
  cv_.notify_one();
  return true;
}

size_t EventQueue::pop_batch(std::vector<QueuedEvent>* out, size_t max,
                             std::chrono::milliseconds timeout) {
  out->clear();
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, timeout, [&] { return !q_.empty() || closed_; })) return 0;
  while (!q_.empty() && out->size() < max) {
    bytes_ -= cost(q_.front());
    out->push_back(std::move(q_.front()));
    q_.pop_front();
  }
  return out->size();
}

void EventQueue::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

size_t EventQueue::size() const {
  std::lock_guard lock(mu_);
  return q_.size();
}

size_t EventQueue::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

size_t EventQueue::high_water_events() const {
  std::lock_guard lock(mu_);
  return high_water_;
}

}  // namespace saker::k8saudit
