// libFuzzer target for the webhook's HTTP handling, without sockets: the bytes are one
// connection's input. The head scanner finds each request head (fed in two pieces, as
// the poller receives it), then the request handler serves it over a memory-backed
// ConnStream — httplib's request parsing, our pre-routing checks (token, path, method,
// types, framing), chunked and gzip/deflate bodies through the bounded receiver, the
// splitter and the queue — and pipelined requests after it, until the input ends.
// The first byte picks options (bearer token required or not).
// Build: cmake -DSAKER_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "event_queue.h"
#include "http/conn_stream.h"
#include "http/head_scanner.h"
#include "http/request_handler.h"
#include "stats.h"

using namespace saker;
using namespace saker::k8saudit;

namespace {

Config fuzz_config(bool token) {
  Config c;
  c.webhook.tls = false;
  if (token) c.webhook.bearer_token = "tok";
  c.webhook.queue_max_events = 256;
  c.webhook.queue_max_bytes = 1 << 20;
  c.webhook.http.max_body_bytes = 64 * 1024;
  c.webhook.http.max_decompressed_bytes = 256 * 1024;
  c.webhook.http.max_header_bytes = 8192;
  c.webhook.http.max_header_count = 32;
  c.limits.max_event_bytes = 16 * 1024;
  return c;
}

struct Harness {
  explicit Harness(bool token)
      : cfg(fuzz_config(token)),
        stats(sdk::Host()),
        queue(cfg.webhook.queue_max_events, cfg.webhook.queue_max_bytes),
        handler(cfg.webhook, cfg.limits, &queue, &stats) {}
  Config cfg;
  Stats stats;
  EventQueue queue;
  http::RequestHandler handler;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static Harness open(false), guarded(true);
  Harness& h = data[0] & 1 ? guarded : open;
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string output;
  http::ConnStream conn(http::make_memory_transport(input, &output), "127.0.0.1", 1, -1);
  for (int requests = 0; requests < 16; ++requests) {
    http::HeadScanner scan(h.cfg.webhook.http.max_header_bytes,
                           h.cfg.webhook.http.max_header_count);
    auto state = scan.feed(conn.unread());
    size_t step = 7;  // a small first piece, as the poller may receive it
    while (state == http::HeadScanner::State::kIncomplete) {
      short want = 0;
      if (conn.pull(step, &want) <= 0) break;
      step = 16 * 1024;
      state = scan.feed(conn.unread());
    }
    if (state != http::HeadScanner::State::kComplete) break;
    if (h.handler.serve(conn, scan.head_size(), false) != http::RequestHandler::Next::kKeep) break;
  }
  std::vector<QueuedEvent> drained;
  while (h.queue.pop_batch(&drained, 1024, std::chrono::milliseconds(0)) > 0) {
  }
  return 0;
}
