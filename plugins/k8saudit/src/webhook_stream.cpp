// The live webhook stream; see streams.h.
#include <chrono>

#include "streams.h"

namespace saker::k8saudit {

WebhookStream::WebhookStream(const Config& cfg, Stats* stats)
    : batch_size_(cfg.batch_size),
      stats_(stats),
      queue_(cfg.webhook.queue_max_events, cfg.webhook.queue_max_bytes),
      server_(cfg.webhook, cfg.limits, &queue_, stats) {
  server_.start();
  stats_->host().log(sdk::LogLevel::kInfo, std::string("k8s audit webhook listening on ") +
                                               (cfg.webhook.tls ? "https://" : "http://") +
                                               cfg.webhook.host + ":" +
                                               std::to_string(server_.port()) + cfg.webhook.path);
}

WebhookStream::~WebhookStream() {
  queue_.close();
  server_.stop();
}

sdk::BatchStatus WebhookStream::next_batch(sdk::EventWriter& out, uint32_t timeout_ms) {
  queue_.pop_batch(&current_, batch_size_, std::chrono::milliseconds(timeout_ms));
  for (const auto& e : current_) out.add_view(0, e.ts, e.json.data(), e.json.size());
  delivered_ += current_.size();
  stats_->set_queue_gauges(queue_.size(), queue_.bytes());
  stats_->flush_logs();
  return current_.empty() ? sdk::BatchStatus::kTimeout : sdk::BatchStatus::kOk;
}

bool WebhookStream::progress(uint32_t& permille, std::string& text) {
  permille = 0;
  text = std::to_string(delivered_) + " events";
  return true;
}

}  // namespace saker::k8saudit
