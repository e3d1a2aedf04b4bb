// libcurl over unix sockets (see unix_http.h): the companion library libcontainer_http.so
// (with http_companion.cpp), the only code that includes libcurl.
#include "unix_http.h"

#include <curl/curl.h>

#include <mutex>

namespace saker::container {
namespace {

struct Sink {
  std::string* body;
  size_t max;
  bool overflow = false;
};

size_t write_body(char* p, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  const size_t len = size * n;
  if (s->body->size() + len > s->max) {
    s->overflow = true;
    return 0;  // aborts the transfer
  }
  s->body->append(p, len);
  return len;
}

struct LineSink {
  std::string pending;
  const std::function<void(std::string_view)>* on_line;
};

size_t write_lines(char* p, size_t size, size_t n, void* user) {
  auto* s = static_cast<LineSink*>(user);
  const size_t len = size * n;
  s->pending.append(p, len);
  size_t start = 0, nl;
  while ((nl = s->pending.find('\n', start)) != std::string::npos) {
    if (nl > start) (*s->on_line)(std::string_view(s->pending).substr(start, nl - start));
    start = nl + 1;
  }
  s->pending.erase(0, start);
  if (s->pending.size() > (1u << 20)) s->pending.clear();  // a runaway line: drop it
  return len;
}

int stop_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(user)->load() ? 1 : 0;
}

void common(CURL* c, const std::string& socket_path, const std::string& path, uint32_t connect_ms) {
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path.c_str());
  const std::string url = "http://localhost" + path;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_ms));
}

// curl_global_init, once per process (thread-safe).
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

class CurlHttp final : public UnixHttp {
 public:
  CurlHttp() {
    init_curl_once();
    curl_ = curl_easy_init();
  }
  ~CurlHttp() override { curl_easy_cleanup(curl_); }
  HttpResult get(const std::string& socket_path, const std::string& path, uint32_t connect_ms,
                 uint32_t total_ms, const std::atomic<bool>* cancel, size_t max_body) override;
  HttpResult stream_lines(const std::string& socket_path, const std::string& path,
                          uint32_t connect_ms, const std::atomic<bool>& stop,
                          const std::function<void(std::string_view)>& on_line) override;

 private:
  // The handle set up for a request to `path` over `socket_path`; null (the error in `r`)
  // when curl could not make one.
  CURL* start(const std::string& socket_path, const std::string& path, uint32_t connect_ms,
              HttpResult& r) {
    if (!curl_) {
      r.error = "curl_easy_init failed";
      return nullptr;
    }
    common(curl_, socket_path, path, connect_ms);
    return curl_;
  }
  CURL* curl_;
};

}  // namespace

HttpResult CurlHttp::get(const std::string& socket_path, const std::string& path,
                         uint32_t connect_ms, uint32_t total_ms, const std::atomic<bool>* cancel,
                         size_t max_body) {
  HttpResult r;
  CURL* c = start(socket_path, path, connect_ms, r);
  if (!c) return r;
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(total_ms));
  Sink sink{&r.body, max_body};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &write_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  if (cancel) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &stop_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(cancel));
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    r.error = sink.overflow ? "answer larger than " + std::to_string(max_body) + " bytes"
                            : curl_easy_strerror(rc);
    return r;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  r.ok = true;
  return r;
}

HttpResult CurlHttp::stream_lines(const std::string& socket_path, const std::string& path,
                                  uint32_t connect_ms, const std::atomic<bool>& stop,
                                  const std::function<void(std::string_view)>& on_line) {
  HttpResult r;
  CURL* c = start(socket_path, path, connect_ms, r);
  if (!c) return r;
  LineSink sink{{}, &on_line};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &write_lines);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &stop_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(&stop));
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (rc != CURLE_OK && !stop.load()) {
    r.error = curl_easy_strerror(rc);
    return r;
  }
  r.ok = true;
  return r;
}

std::unique_ptr<UnixHttp> make_unix_http() { return std::make_unique<CurlHttp>(); }

}  // namespace saker::container
