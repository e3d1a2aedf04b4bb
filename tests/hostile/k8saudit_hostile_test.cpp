// Hostile input against the k8saudit webhook, one case per finding of the hostile-input
// review: each asserts its bound (time, peak RSS of this process, which runs the server,
// from VmHWM after resetting it; status code; counter) and that valid requests sent
// around the hostile ones still produce their events. Plain HTTP on loopback with small
// bounds so that every case stays within seconds; the webhook runs without the core
// (a WebhookStream drained by hand), as in plugins/k8saudit/tests/hostile_test.cpp.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "k8s_test_util.h"
#include "streams.h"
#include "test_util.h"

using namespace saker;
using namespace saker::k8saudit;
using namespace saker::k8stest;
using Clock = std::chrono::steady_clock;

namespace {

const char* kJson = "application/json";
constexpr size_t kMiB = 1024 * 1024;

int64_t ms_since(Clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

// Peak RSS since the last reset_peak_rss(), in KiB (the server runs in this process).
void reset_peak_rss() { std::ofstream("/proc/self/clear_refs") << "5"; }
size_t peak_rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("VmHWM:", 0) == 0) return std::stoul(l.substr(6));
  }
  return 0;
}
size_t rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("VmRSS:", 0) == 0) return std::stoul(l.substr(6));
  }
  return 0;
}

struct Server {
  explicit Server(nlohmann::json extra = nlohmann::json::object()) : stats(sdk::Host()) {
    nlohmann::json cfg{{"listen", "127.0.0.1:0"},
                       {"scheme", "http"},
                       {"bearer_token", "tok"},
                       {"max_body_bytes", 1 << 20},
                       {"max_decompressed_bytes", 4 << 20},
                       {"max_event_bytes", 65536},
                       {"header_timeout_ms", 3000},
                       {"read_timeout_ms", 1000},
                       {"body_timeout_ms", 3000},
                       {"keep_alive_timeout_s", 2},
                       {"queue_max_events", 1000},
                       {"queue_max_bytes", 16 << 20},
                       {"threads", 2}};
    cfg.update(extra);
    stream = std::make_unique<WebhookStream>(parse_init_config(cfg.dump()), &stats);
  }
  size_t drain() {
    size_t n = 0;
    for (;;) {
      sdk::EventWriter w;
      stream->next_batch(w, 20);
      if (w.count() == 0) return n;
      n += w.count();
    }
  }
  uint64_t counter(Counter c, uint64_t expect) {
    auto deadline = Clock::now() + std::chrono::seconds(3);
    while (stats.get(c) < expect && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return stats.get(c);
  }
  // A valid request: status, and how long it took (ms).
  int post(const std::string& body, int64_t* took_ms = nullptr, const std::string& token = "tok",
           httplib::Headers extra = {}) {
    auto t0 = Clock::now();
    httplib::Client cli("127.0.0.1", stream->port());
    cli.set_read_timeout(20, 0);
    if (!token.empty()) extra.emplace("Authorization", "Bearer " + token);
    auto r = cli.Post("/k8s-audit", extra, body, kJson);
    if (took_ms) *took_ms = ms_since(t0);
    return r ? r->status : -1;
  }
  int port() const { return stream->port(); }
  Stats stats;
  std::unique_ptr<WebhookStream> stream;
};

int connect_to(int port) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    close(s);
    return -1;
  }
  return s;
}

// Sends until done, the peer closes/resets, or `limit` bytes; returns the bytes sent.
// `next` fills the next piece (false: nothing more).
template <class Next>
size_t send_until_refused(int s, size_t limit, Next next, int timeout_ms = 20000) {
  auto t0 = Clock::now();
  size_t sent = 0;
  std::string piece;
  while (sent < limit && ms_since(t0) < timeout_ms && next(&piece)) {
    size_t off = 0;
    while (off < piece.size()) {
      pollfd p{s, POLLOUT, 0};
      if (poll(&p, 1, 2000) <= 0 || (p.revents & (POLLERR | POLLHUP))) return sent;
      ssize_t n = send(s, piece.data() + off, piece.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n <= 0) return sent;
      off += static_cast<size_t>(n);
      sent += static_cast<size_t>(n);
    }
  }
  return sent;
}

// What the server answered (its first bytes), waiting up to `wait_ms`.
std::string read_reply(int s, int wait_ms) {
  std::string out;
  auto t0 = Clock::now();
  while (ms_since(t0) < wait_ms) {
    pollfd p{s, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = recv(s, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos) break;
  }
  return out;
}

int status_of(const std::string& reply) {
  if (reply.rfind("HTTP/1.1 ", 0) != 0 || reply.size() < 12) return -1;
  return std::stoi(reply.substr(9, 3));
}

std::string head(const std::string& extra_headers) {
  return "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Authorization: Bearer tok\r\n" +
         extra_headers + "\r\n";
}

// `n` bytes of zeros as a gzip stream (what a 1 GiB bomb looks like: ~1 MiB).
std::string gzip_zeros(size_t n) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string in(kMiB, '\0'), out;
  std::vector<unsigned char> buf(256 * 1024);
  for (size_t done = 0; done < n; done += in.size()) {
    z.next_in = reinterpret_cast<Bytef*>(in.data());
    z.avail_in = static_cast<uInt>(std::min(in.size(), n - done));
    int flush = done + in.size() >= n ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

std::string gzip(const std::string& s) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, s.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = static_cast<uInt>(s.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

TEST_CASE("slowloris: 4 clients sending a header byte every 2 s block no good request") {
  Server s;
  std::atomic<bool> done{false};
  std::atomic<int> cut{0};
  std::vector<std::thread> slow;
  for (int i = 0; i < 4; ++i) {
    slow.emplace_back([&] {
      int fd = connect_to(s.port());
      std::string h = "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nX-Slow: ";
      for (size_t k = 0; !done && k < h.size(); ++k) {
        if (send(fd, &h[k], 1, MSG_NOSIGNAL) != 1) break;
        for (int w = 0; w < 20 && !done; ++w)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (status_of(read_reply(fd, 100)) == 408 || send(fd, "x", 1, MSG_NOSIGNAL) != 1) ++cut;
      close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto src = panther_lines();
  for (int i = 0; i < 5; ++i) {  // while they trickle: every good request is served at once
    int64_t took = 0;
    CHECK(s.post(event_list(src, i * 10, i * 10 + 10), &took) == 200);
    CHECK(took < 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  // The header deadline (3 s here) cuts them off, trickling or not.
  CHECK(s.counter(Counter::kHeaderTimeout, 4) == 4);
  done = true;
  for (auto& t : slow) t.join();
  CHECK(s.drain() == 50);
}

TEST_CASE("idle connections: 40 hold no worker; beyond max_idle_connections the oldest go") {
  Server s({{"max_idle_connections", 30}, {"max_connections", 40}});
  std::vector<int> idle;
  for (int i = 0; i < 45; ++i) idle.push_back(connect_to(s.port()));
  CHECK(s.counter(Counter::kConnEvicted, 15) == 15);  // 45 idle for 30 places
  int64_t took = 0;
  CHECK(s.post(panther_lines()[0], &took) == 200);  // one more: evicts one, is served
  CHECK(took < 1000);
  CHECK(s.counter(Counter::kConnEvicted, 16) == 16);
  // The evicted ones were closed by the server: the first 16 see end of stream.
  int closed = 0;
  for (size_t i = 0; i < 16; ++i) {
    pollfd p{idle[i], POLLIN, 0};
    char c;
    if (poll(&p, 1, 1000) == 1 && recv(idle[i], &c, 1, 0) <= 0) ++closed;
  }
  CHECK(closed == 16);
  for (int fd : idle) close(fd);
  CHECK(s.drain() == 1);
}

TEST_CASE("40 idle connections do not delay a good request (default limits)") {
  Server s(nlohmann::json{{"threads", 2}});
  std::vector<int> idle;
  for (int i = 0; i < 40; ++i) idle.push_back(connect_to(s.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int64_t took = 0;
  CHECK(s.post(panther_lines()[1], &took) == 200);
  CHECK(took < 1000);
  CHECK(s.stats.get(Counter::kConnEvicted) == 0);
  for (int fd : idle) close(fd);
  CHECK(s.drain() == 1);
}

TEST_CASE("stop returns at once with slow clients in the head, in the body and idle") {
  auto s = std::make_unique<Server>(nlohmann::json{
      {"header_timeout_ms", 60000}, {"body_timeout_ms", 60000}, {"read_timeout_ms", 60000}});
  int in_head = connect_to(s->port());
  send(in_head, "POST /k8s-audit HTTP/1.1\r\nHost: x\r\n", 35, MSG_NOSIGNAL);
  int in_body = connect_to(s->port());
  std::string h = head("Content-Length: 1000\r\n") + "{\"kind\":";
  send(in_body, h.data(), h.size(), MSG_NOSIGNAL);
  int idle = connect_to(s->port());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = Clock::now();
  s.reset();  // what SIGTERM does: the engine closes the source
  CHECK(ms_since(t0) < 1000);
  for (int fd : {in_head, in_body, idle}) close(fd);
}

#ifdef SAKER_BINARY
TEST_CASE("saker stops on SIGTERM at once with slow webhook clients connected") {
  test::TempDir dir;
  int port = free_port();
  std::string cfg = (dir.path() / "saker.yaml").string();
  {
    std::ofstream out(cfg);
    out << "plugins:\n  - name: k8saudit\n    library_path: " << K8SAUDIT_LIBRARY
        << "\n    init_config: {listen: \"127.0.0.1:" << port
        << "\", scheme: http, header_timeout_ms: 60000, body_timeout_ms: 60000,"
           " read_timeout_ms: 60000}\n    open_params: \"\"\n"
           "load_plugins: [k8saudit]\nstdout_output:\n  enabled: false\n";
  }
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, 1);
    dup2(devnull, 2);
    execl(SAKER_BINARY, SAKER_BINARY, "-c", cfg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int probe = -1;
  for (int i = 0; i < 200 && probe < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    probe = connect_to(port);
  }
  REQUIRE(probe >= 0);
  close(probe);
  {
    httplib::Client cli("127.0.0.1", port);
    auto r = cli.Post("/k8s-audit", panther_lines()[0], kJson);
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  int in_head = connect_to(port);
  send(in_head, "POST /k8s-audit HTTP/1.1\r\nHost: x\r\n", 35, MSG_NOSIGNAL);
  int in_body = connect_to(port);
  std::string h = head("Content-Length: 1000\r\n") + "{\"kind\":";
  send(in_body, h.data(), h.size(), MSG_NOSIGNAL);
  std::vector<int> idle;
  for (int i = 0; i < 10; ++i) idle.push_back(connect_to(port));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto t0 = Clock::now();
  kill(pid, SIGTERM);
  int status = 0;
  pid_t done = 0;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 && ms_since(t0) < 5000) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  int64_t took = ms_since(t0);
  if (done == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  MESSAGE("saker exited ", took, " ms after SIGTERM");
  CHECK(done == pid);
  CHECK(took < 2000);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  for (int fd : idle) close(fd);
  close(in_head);
  close(in_body);
}
#endif

TEST_CASE("gzip bomb: 1 MiB inflating to 1 GiB is refused early with 413, memory bounded") {
  Server s;
  std::string bomb = gzip_zeros(1024 * kMiB);
  MESSAGE("bomb: ", bomb.size(), " bytes of gzip for 1 GiB");
  std::string good = event_list(panther_lines(), 0, 20);
  CHECK(s.post(good) == 200);
  reset_peak_rss();
  size_t base = rss_kib();
  auto t0 = Clock::now();
  int code = s.post(bomb, nullptr, "tok", {{"Content-Encoding", "gzip"}});
  int64_t took = ms_since(t0);
  size_t peak = peak_rss_kib();
  MESSAGE("gzip bomb: ", code, " in ", took, " ms, peak RSS +", (peak - base) / 1024, " MiB");
  CHECK(code == 413);
  CHECK(took < 3000);
  CHECK(peak < base + 48 * 1024);  // the bomb itself (1 MiB) + client and server buffers
  CHECK(s.counter(Counter::kInflateRefused, 1) == 1);
  // A compressed body with a plausible ratio is accepted.
  CHECK(s.post(gzip(good), nullptr, "tok", {{"Content-Encoding", "gzip"}}) == 200);
  CHECK(s.drain() == 40);
}

TEST_CASE("a compressed body over max_decompressed_bytes is refused while inflating") {
  Server s;  // max_body_bytes 1 MiB, max_decompressed_bytes 4 MiB
  auto src = panther_lines();
  std::string big = "[";
  for (size_t i = 0; big.size() < 6 * kMiB; ++i) big += (i ? "," : "") + src[i % src.size()];
  big += "]";
  std::string z = gzip(big);
  MESSAGE("6 MiB of events: ", z.size() / 1024, " KiB of gzip");
  REQUIRE(z.size() < kMiB);  // within max_body_bytes as sent, and a plausible ratio
  reset_peak_rss();
  size_t base = rss_kib();
  CHECK(s.post(z, nullptr, "tok", {{"Content-Encoding", "gzip"}}) == 413);
  CHECK(peak_rss_kib() < base + 32 * 1024);
  CHECK(s.counter(Counter::kInflateRefused, 1) == 1);
  CHECK(s.post(src[10]) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("authentication comes before any body is read or inflated") {
  Server s;
  std::string bomb = gzip_zeros(256 * kMiB);
  int fd = connect_to(s.port());
  std::string h =
      "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Encoding: gzip\r\nContent-Length: " +
      std::to_string(bomb.size()) + "\r\n\r\n";
  send(fd, h.data(), h.size(), MSG_NOSIGNAL);
  reset_peak_rss();
  size_t base = rss_kib();
  auto t0 = Clock::now();
  std::string reply = read_reply(fd, 3000);
  CHECK(status_of(reply) == 401);
  CHECK(ms_since(t0) < 1000);
  // The answer came before a byte of the body was sent. What the client sends now is
  // discarded unread (bounded in time and bytes) so that it can read the 401.
  send_until_refused(fd, bomb.size(), [&, off = size_t(0)](std::string* p) mutable {
    if (off >= bomb.size()) return false;
    *p = bomb.substr(off, 65536);
    off += p->size();
    return true;
  });
  CHECK(peak_rss_kib() < base + 16 * 1024);
  close(fd);
  CHECK(s.stats.get(Counter::kInflateRefused) == 0);
  CHECK(s.counter(Counter::kUnauthorized, 1) == 1);
  CHECK(s.post(panther_lines()[2]) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("body limits hold for Content-Length, chunked and no length") {
  Server s;  // max_body_bytes 1 MiB
  auto flood = [&](const std::string& h, bool chunked) {
    int fd = connect_to(s.port());
    send(fd, h.data(), h.size(), MSG_NOSIGNAL);
    reset_peak_rss();
    size_t base = rss_kib();
    auto t0 = Clock::now();
    std::string block(65536, ' ');
    size_t sent = send_until_refused(fd, 200 * kMiB, [&](std::string* p) {
      if (chunked) {
        char len[16];
        snprintf(len, sizeof(len), "%zx\r\n", block.size());
        *p = len + block + "\r\n";
      } else {
        *p = block;
      }
      return true;
    });
    int code = status_of(read_reply(fd, 2000));
    MESSAGE("sent ", sent / 1024, " KiB before the refusal (", code, ") in ", ms_since(t0),
            " ms, peak RSS +", (peak_rss_kib() - base) / 1024, " MiB");
    CHECK(sent < 8 * kMiB);  // 1 MiB + framing + socket buffers, not 200 MiB
    CHECK(peak_rss_kib() < base + 32 * 1024);
    close(fd);
    return code;
  };
  CHECK(flood(head("Transfer-Encoding: chunked\r\n"), true) == 413);
  CHECK(flood(head("Connection: close\r\n"), false) == 413);
  CHECK(flood(head("Content-Length: 209715200\r\n"), false) == 413);
  CHECK(s.counter(Counter::kBodyTooLarge, 3) == 3);
  // Chunked bodies within the bound are fine.
  int fd = connect_to(s.port());
  std::string body = panther_lines()[3];
  char len[16];
  snprintf(len, sizeof(len), "%zx\r\n", body.size());
  std::string req = head("Transfer-Encoding: chunked\r\n") + len + body + "\r\n0\r\n\r\n";
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  CHECK(status_of(read_reply(fd, 3000)) == 200);
  close(fd);
  CHECK(s.post(panther_lines()[4]) == 200);
  CHECK(s.drain() == 2);
}

TEST_CASE("header floods: 10M header lines and one huge line get 431, memory bounded") {
  Server s;
  for (bool many : {true, false}) {
    int fd = connect_to(s.port());
    std::string start = "POST /k8s-audit HTTP/1.1\r\nHost: x\r\n";
    send(fd, start.data(), start.size(), MSG_NOSIGNAL);
    reset_peak_rss();
    size_t base = rss_kib();
    std::string lines;
    for (int i = 0; i < 4096; ++i) lines += many ? "X-A: b\r\n" : "aaaaaaaa";
    size_t sent = send_until_refused(fd, 10000000 * 8, [&](std::string* p) {
      *p = lines;
      return true;
    });
    int code = status_of(read_reply(fd, 2000));
    MESSAGE(std::string(many ? "header lines: " : "one long line: "), sent / 1024,
            " KiB sent, status ", code);
    CHECK(code == 431);
    CHECK(sent < 8 * kMiB);
    CHECK(peak_rss_kib() < base + 16 * 1024);
    close(fd);
  }
  CHECK(s.counter(Counter::kHeaderTooLarge, 2) == 2);
  CHECK(s.post(panther_lines()[5]) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("an EventList that can never fit the queue gets 413, a full queue 503") {
  Server s(nlohmann::json{{"queue_max_events", 100}});
  auto src = panther_lines();
  CHECK(s.post(event_list(src, 0, 101)) == 413);  // never fits: do not retry
  CHECK(s.counter(Counter::kNeverFits, 1) == 1);
  CHECK(s.post(event_list(src, 0, 60)) == 200);
  CHECK(s.post(event_list(src, 0, 60)) == 503);  // fits once drained: retry later
  CHECK(s.drain() == 60);
  CHECK(s.post(event_list(src, 0, 60)) == 200);
  CHECK(s.drain() == 60);
}

TEST_CASE("12 MiB of {} items are refused without amplifying in memory") {
  Server s({{"max_body_bytes", 16 << 20},
            {"max_decompressed_bytes", 16 << 20},
            {"queue_max_bytes", 64 << 20},
            {"queue_max_events", 65536}});
  std::string body = "{\"kind\":\"EventList\",\"items\":[";
  while (body.size() < 12 * kMiB) body += "{},";
  body += "{}]}";
  reset_peak_rss();
  size_t base = rss_kib();
  auto t0 = Clock::now();
  CHECK(s.post(body) == 413);
  MESSAGE("12 MiB of {}: ", ms_since(t0), " ms, peak RSS +", (peak_rss_kib() - base) / 1024,
          " MiB");
  CHECK(peak_rss_kib() < base + 80 * 1024);  // client copy + body + one copy, not 20x
  CHECK(s.post(panther_lines()[6]) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("a burst of 200 clients: none reset (listen backlog)") {
  Server s({{"queue_max_events", 1000}, {"threads", 4}});
  std::string ev = panther_lines()[7];
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> clients;
  std::atomic<bool> go{false};
  for (int i = 0; i < 200; ++i) {
    clients.emplace_back([&] {
      while (!go) std::this_thread::yield();
      (s.post(ev) == 200 ? ok : failed)++;
    });
  }
  go = true;
  for (auto& t : clients) t.join();
  CHECK(failed == 0);
  CHECK(ok == 200);
  CHECK(s.drain() == 200);
}

TEST_CASE("escaped or duplicate items keys are split as a JSON parser reads them") {
  Server s;
  auto src = panther_lines();
  std::string dup = "{\"kind\":\"EventList\",\"items\":[" + src[0] + "],\"items\":[" + src[1] +
                    "," + src[2] + "]}";
  std::string esc = "{\"kind\":\"EventList\",\"it\\u0065ms\":[" + src[3] + "," + src[4] + "]}";
  CHECK(s.post(dup) == 200);
  CHECK(s.post(esc) == 200);
  std::vector<std::string> ids;
  for (;;) {
    sdk::EventWriter w;
    s.stream->next_batch(w, 50);
    if (w.count() == 0) break;
    const saker_event* const* evs = w.finish();
    for (size_t i = 0; i < w.count(); ++i) {
      auto j = nlohmann::json::parse(
          std::string_view(reinterpret_cast<const char*>(evs[i]->data), evs[i]->data_len));
      ids.push_back(j.value("auditID", ""));
    }
  }
  std::vector<std::string> expect;
  for (int i : {1, 2, 3, 4}) expect.push_back(nlohmann::json::parse(src[i]).value("auditID", ""));
  CHECK(ids == expect);
}

TEST_CASE("a year-9999 timestamp never wraps into a wrong event time") {
  Server s;
  auto j = nlohmann::json::parse(panther_lines()[8]);
  j["stageTimestamp"] = "9999-12-31T23:59:59.999999Z";
  j["requestReceivedTimestamp"] = "9999-12-31T23:59:59Z";
  uint64_t before = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                              std::chrono::system_clock::now().time_since_epoch())
                                              .count());
  CHECK(s.post(j.dump()) == 200);
  sdk::EventWriter w;
  s.stream->next_batch(w, 1000);
  REQUIRE(w.count() == 1);
  uint64_t ts = w.finish()[0]->ts;
  CHECK(ts >= before);  // the receive time
  CHECK(ts < before + 60ull * 1000000000ull);
  CHECK(s.counter(Counter::kTimestampOutOfRange, 1) == 1);
}

TEST_CASE("ambiguous framing is refused before the body: TE+CL, other encodings") {
  Server s;
  auto one = [&](const std::string& headers) {
    int fd = connect_to(s.port());
    std::string req = head(headers) + "{}";
    send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    int code = status_of(read_reply(fd, 2000));
    close(fd);
    return code;
  };
  CHECK(one("Transfer-Encoding: chunked\r\nContent-Length: 2\r\n") == 400);
  CHECK(one("Transfer-Encoding: gzip, chunked\r\n") == 501);
  CHECK(one("Content-Length: 2\r\nContent-Length: 3\r\n") == 400);
  CHECK(one("Content-Length: -1\r\n") == 400);
  CHECK(one("Content-Encoding: br\r\nContent-Length: 2\r\n") == 415);
  CHECK(s.post(panther_lines()[9]) == 200);
  CHECK(s.drain() == 1);
}

TEST_CASE("init_config: bad values are refused with the key named, never an abort") {
  auto error_of = [](const std::string& cfg) -> std::string {
    try {
      parse_init_config(cfg);
    } catch (const sdk::PluginError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of(R"({"threads": -1})").find("'threads'") != std::string::npos);
  CHECK(error_of(R"({"threads": 100000})").find("between 1 and 256") != std::string::npos);
  CHECK(error_of(R"({"read_timeout_ms": -5})").find("'read_timeout_ms'") != std::string::npos);
  CHECK(error_of(R"({"threads": "4"})").find("must be an integer") != std::string::npos);
  CHECK(error_of(R"({"threads": 2.5})").find("'threads'") != std::string::npos);
  CHECK(error_of(R"({"max_body_bytes": 18446744073709551615})").find("'max_body_bytes'") !=
        std::string::npos);
  CHECK(error_of(R"({"thread": 4})").find("unknown key 'thread'") != std::string::npos);
  CHECK(error_of(R"({"useAsync": "yes"})").find("'useAsync'") != std::string::npos);
  CHECK(error_of(R"({"maxEventSize": 1000, "max_event_bytes": 1000})").find("same setting") !=
        std::string::npos);
  CHECK(error_of(R"([1])").find("not a JSON object") != std::string::npos);
  // Falco's keys, with Falco's meaning.
  Config c = parse_init_config(
      R"({"sslCertificate":"/etc/falco/falco.pem","maxEventSize":1000,
          "webhookMaxBatchSize":2000,"useAsync":true})");
  CHECK(c.webhook.ssl_certificate == "/etc/falco/falco.pem");
  CHECK(c.webhook.ssl_key == "/etc/falco/falco.pem");
  CHECK(c.limits.max_event_bytes == 1000);
  CHECK(c.webhook.http.max_body_bytes == 2000);
  // Through the core: the load fails with the message, the process goes on.
  auto e = test::make_engine();
  std::string msg;
  try {
    e->plugins().load({"k8s", "libk8saudit.so", R"({"threads": -1})", ""});
  } catch (const std::exception& ex) {
    msg = ex.what();
  }
  CHECK(msg.find("threads") != std::string::npos);
}

TEST_CASE("Falco's keys work end to end: sslCertificate (one PEM), maxEventSize, batch size") {
  test::TempDir dir;
  TlsFiles tls = make_cert(dir.path(), "server");
  std::string pem = (dir.path() / "falco.pem").string();
  {
    std::ofstream out(pem);
    out << std::ifstream(tls.cert).rdbuf() << std::ifstream(tls.key).rdbuf();
  }
  Stats stats{sdk::Host()};
  nlohmann::json cfg{{"listen", "127.0.0.1:0"},
                     {"sslCertificate", pem},
                     {"maxEventSize", 4096},
                     {"webhookMaxBatchSize", 65536},
                     {"useAsync", false}};
  WebhookStream w(parse_init_config(cfg.dump()), &stats);
  httplib::SSLClient cli("127.0.0.1", w.port());
  cli.enable_server_certificate_verification(false);
  auto r = cli.Post("/k8s-audit", panther_lines()[0], kJson);
  REQUIRE(r);
  CHECK(r->status == 200);
  std::string big = R"({"verb":")" + std::string(5000, 'x') + R"("})";
  CHECK(cli.Post("/k8s-audit", big, kJson)->status == 413);  // maxEventSize
  CHECK(cli.Post("/k8s-audit", std::string(70000, ' '), kJson)->status == 413);
}
