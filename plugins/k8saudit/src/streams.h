// The two kinds of k8s_audit event streams a source open() returns: a webhook server
// (live) and a replay file (JSON lines, arrays or EventList documents; plain or gzip).
// Both hand out zero-copy views of events they own until the next next_batch, as the
// C ABI allows. A stream is used by one source thread at a time; the webhook's HTTP
// threads only touch its EventQueue and Stats.
#pragma once

#include <saker/sdk/types.h>
#include <zlib.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "event_queue.h"
#include "stats.h"
#include "webhook_server.h"

namespace saker::k8saudit {

class AuditStream {
 public:
  virtual ~AuditStream() = default;
  virtual sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) = 0;
  virtual bool progress(uint32_t& permille, std::string& text) = 0;
};

// Listens from construction to destruction.
class WebhookStream : public AuditStream {
 public:
  WebhookStream(const Config& cfg, Stats* stats);
  ~WebhookStream() override;
  sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) override;
  bool progress(uint32_t& permille, std::string& text) override;
  int port() const { return server_.port(); }
  const EventQueue& queue() const { return queue_; }

 private:
  size_t batch_size_;
  Stats* stats_;
  EventQueue queue_;
  WebhookServer server_;
  std::vector<QueuedEvent> current_;
  uint64_t delivered_ = 0;
};

class FileStream : public AuditStream {
 public:
  FileStream(const std::string& path, const Config& cfg, Stats* stats);
  ~FileStream() override;
  sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) override;
  bool progress(uint32_t& permille, std::string& text) override;

 private:
  bool read_more();
  void on_document(std::string_view doc);

  std::string path_;
  ParseLimits limits_;
  size_t batch_size_;
  Stats* stats_;
  gzFile file_ = nullptr;
  uint64_t file_size_ = 0;
  bool eof_ = false;
  DocumentStream docs_;
  std::deque<QueuedEvent> ready_;
  std::vector<QueuedEvent> current_;
  std::vector<char> chunk_;
  uint64_t delivered_ = 0;
};

}  // namespace saker::k8saudit
