// The HTTP output's delivery: direct posts, spool, retry thread.
#include "http_delivery.h"

#include <chrono>

namespace saker::outputs::http {

HttpDelivery::HttpDelivery(HttpSettings settings, DeliveryHooks hooks)
    : s_(std::move(settings)),
      hooks_(std::move(hooks)),
      direct_(s_),
      retry_(s_),
      spool_(s_.spool_dir, s_.spool_max_bytes) {
  if (!spool_.empty()) {
    hooks_.log(false, std::to_string(spool_.records()) + " alert(s) spooled in " + s_.spool_dir +
                          " by an earlier run: delivering them first");
    outage_logged_ = true;
  }
  hooks_.spool_gauge(spool_.records(), spool_.bytes());
  thread_ = std::thread([this] { retry_loop(); });
}

HttpDelivery::~HttpDelivery() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (!spool_.empty()) {
      hooks_.log(true, std::to_string(spool_.records()) + " alert(s) stay spooled in " +
                           s_.spool_dir + "; they are delivered at the next start");
    }
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

uint64_t HttpDelivery::spooled() const {
  std::lock_guard lock(mu_);
  return spool_.records();
}

void HttpDelivery::spool_locked(const std::string& body) {
  if (!spool_.append(body)) {
    hooks_.count("num_spool_full", 1);
    throw std::runtime_error("the spool in " + s_.spool_dir + " is full (" +
                             std::to_string(s_.spool_max_bytes) +
                             " bytes, spool_max_bytes): alert not kept");
  }
  hooks_.count("num_spooled", 1);
  hooks_.spool_gauge(spool_.records(), spool_.bytes());
}

void HttpDelivery::send(const std::string& body) {
  {
    std::lock_guard lock(mu_);
    if (!spool_.empty()) {  // an outage is going on: keep the order
      spool_locked(body);
      return;
    }
  }
  // Nothing spooled: only this thread can add to the spool, so posting unlocked is safe.
  PostResult r = direct_.post(body);
  if (s_.echo && !r.body.empty()) hooks_.log(false, "response: " + r.body);
  if (r.kind == PostResult::kDelivered) {
    hooks_.count("num_delivered", 1);
    return;
  }
  if (r.kind == PostResult::kRejected) {
    hooks_.count("num_rejected", 1);
    throw std::runtime_error(s_.url + " rejected the alert: " + r.error);
  }
  std::lock_guard lock(mu_);
  if (!outage_logged_) {
    hooks_.log(true, s_.url + " unreachable (" + r.error + "): spooling alerts in " + s_.spool_dir +
                         " until it is back");
    outage_logged_ = true;
  }
  spool_locked(body);
  cv_.notify_all();
}

void HttpDelivery::retry_loop() {
  using Clock = std::chrono::steady_clock;
  auto backoff = std::chrono::milliseconds(s_.backoff_initial_ms);
  const auto max_backoff = std::chrono::milliseconds(s_.backoff_max_ms);
  auto next_try = Clock::now();
  uint64_t delivered_in_outage = 0;
  std::string body;
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (spool_.empty()) {
      cv_.wait(lock, [&] { return stopping_ || !spool_.empty(); });
      continue;
    }
    if (Clock::now() < next_try) {
      cv_.wait_until(lock, next_try, [&] { return stopping_; });
      continue;
    }
    try {
      spool_.front(&body);
    } catch (const std::exception& e) {  // a disk error: say so, try again later
      hooks_.log(true, e.what());
      next_try = Clock::now() + max_backoff;
      continue;
    }
    lock.unlock();
    PostResult r = retry_.post(body);
    lock.lock();
    if (r.kind == PostResult::kRetry) {
      hooks_.count("num_retries", 1);
      next_try = Clock::now() + backoff;
      backoff = std::min(backoff * 2, max_backoff);
      continue;
    }
    if (r.kind == PostResult::kRejected) {
      hooks_.count("num_rejected", 1);
      hooks_.log(true, s_.url + " rejected a spooled alert: " + r.error);
    } else {
      hooks_.count("num_delivered", 1);
      ++delivered_in_outage;
    }
    spool_.pop();
    hooks_.spool_gauge(spool_.records(), spool_.bytes());
    backoff = std::chrono::milliseconds(s_.backoff_initial_ms);
    next_try = Clock::now();
    if (spool_.empty()) {
      hooks_.log(false, s_.url + " is back: " + std::to_string(delivered_in_outage) +
                            " spooled alert(s) delivered in order");
      delivered_in_outage = 0;
      outage_logged_ = false;
    }
  }
}

}  // namespace saker::outputs::http
