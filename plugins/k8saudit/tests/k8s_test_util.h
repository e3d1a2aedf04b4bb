// Helpers for the k8saudit tests: the Panther test events, self-signed certificates
// (openssl CLI), a sink that renders a field format for every event through the real
// core, an engine runner thread, free loopback ports and raw HTTP exchanges.
#pragma once

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine.h"
#include "output_format.h"

namespace saker::k8stest {

std::string panther_path();
std::vector<std::string> panther_lines();

struct TlsFiles {
  std::string cert, key;  // self-signed: the certificate is also its own CA
};
TlsFiles make_cert(const std::filesystem::path& dir, const std::string& name);

// Renders `format` for every event of source k8s_audit; thread-safe to read.
class CollectSink : public core::EventSink {
 public:
  CollectSink(core::Engine& e, const std::string& format);
  void on_event(core::EventContext& ctx) noexcept override;
  std::vector<std::string> lines() const;
  size_t count() const;
  // Wait until `n` events arrived (false on timeout).
  bool wait_for(size_t n, int timeout_ms) const;

 private:
  core::OutputFormat fmt_;
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// Runs engine.run({"k8s_audit"}) on a thread until stop() / destruction.
class Runner {
 public:
  explicit Runner(core::Engine& e);
  ~Runner() { stop(); }
  void stop();

 private:
  std::atomic<bool> stop_{false};
  std::thread t_;
};

// A loopback port free at the time of the call.
int free_port();
// Sends `request` to 127.0.0.1:port over plain TCP, then reads what the server sends
// until it closes or `wait_ms` pass. *answered_ms: when the server first answered
// (bytes or close) after the request was sent; -1 if it never did.
std::string raw_exchange(int port, const std::string& request, int wait_ms,
                         int* answered_ms = nullptr);
// The batch `lines[from, to)` wrapped as an EventList document.
std::string event_list(const std::vector<std::string>& lines, size_t from, size_t to);

// Replays a file through a fresh engine; the rendered lines and the file metrics.
std::vector<std::string> replay_file(const std::string& params, const std::string& format,
                                     uint64_t* file_events = nullptr,
                                     uint64_t* file_malformed = nullptr);

// The fields the comparison tests render (most of what the upstream rules read).
extern const char* kCompareFormat;

}  // namespace saker::k8stest
