// A real HTTP(S) alert receiver on loopback for the HTTP output's tests and benchmark
// (cpp-httplib): records every POSTed body in arrival order, checks each against the
// contract Falcosidekick enforces on its input, and can be taken down, brought back on
// the same port, made to hang, or made to reject.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace saker::test {

// Why Falcosidekick (handlers.go / types.go) would refuse `body` with HTTP 400, or ""
// when it accepts it. Also insists on Falco's exact key set.
inline std::string falcosidekick_refusal(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "not a JSON object";
  static const std::regex kPrio(
      "emergency|alert|critical|error|warning|notice|informational|info|debug", std::regex::icase);
  if (!j.contains("priority") || !j["priority"].is_string() ||
      !std::regex_match(j["priority"].get<std::string>(), kPrio)) {
    return "bad priority";
  }
  if (!j.contains("rule") || !j["rule"].is_string() || j["rule"].get<std::string>().empty()) {
    return "empty rule";
  }
  // Go's time.Time JSON: RFC 3339 with optional fraction (here: nanoseconds, UTC).
  static const std::regex kTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z)");
  if (!j.contains("time") || !j["time"].is_string() ||
      !std::regex_match(j["time"].get<std::string>(), kTime)) {
    return "time is not RFC 3339 with nanoseconds";
  }
  if (!j.contains("output_fields") || !j["output_fields"].is_object() ||
      j["output_fields"].empty()) {
    return "empty output_fields";
  }
  for (const char* k : {"output", "source", "hostname"}) {
    if (!j.contains(k) || !j[k].is_string()) return std::string("missing ") + k;
  }
  if (!j.contains("tags") || !j["tags"].is_array()) return "missing tags";
  for (const auto& [k, v] : j.items()) {
    static const std::vector<std::string> kKeys = {
        "hostname", "output", "output_fields", "priority", "rule", "source", "tags", "time"};
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) return "unexpected key " + k;
  }
  return "";
}

struct ReceivedPost {
  std::string body;
  httplib::Headers headers;
};

class HttpReceiver {
 public:
  // TLS when cert/key are given; client certificates required when client_ca is given.
  HttpReceiver(std::string cert = "", std::string key = "", std::string client_ca = "")
      : cert_(std::move(cert)), key_(std::move(key)), client_ca_(std::move(client_ca)) {
    start();
  }
  // Benchmarks: only count the posts (no checks, nothing kept) so the receiver is cheap.
  void count_only() {
    std::lock_guard lock(mu_);
    count_only_ = true;
  }
  ~HttpReceiver() {
    release_hang();
    stop();
  }
  int port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return std::string(cert_.empty() ? "http" : "https") + "://127.0.0.1:" + std::to_string(port_) +
           path;
  }

  // Take the server down (connections refused), and bring it back on the same port.
  void stop() {
    if (!server_) return;
    server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }
  void start() {
    if (cert_.empty()) {
      server_ = std::make_unique<httplib::Server>();
    } else {
      server_ = std::make_unique<httplib::SSLServer>(
          cert_.c_str(), key_.c_str(), client_ca_.empty() ? nullptr : client_ca_.c_str());
    }
    server_->set_keep_alive_max_count(1000000);
    server_->Post(
        "/", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    if (port_ == 0) {
      port_ = server_->bind_to_any_port("127.0.0.1");
    } else if (!server_->bind_to_port("127.0.0.1", port_)) {
      throw std::runtime_error("cannot bind port " + std::to_string(port_) + " again");
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // Hold every request until release_hang() (a hung endpoint).
  void hang() {
    std::lock_guard lock(mu_);
    hanging_ = true;
  }
  void release_hang() {
    {
      std::lock_guard lock(mu_);
      hanging_ = false;
    }
    cv_.notify_all();
  }
  // Answer 400 to bodies containing `needle` (Falcosidekick's answer to a bad body).
  void reject_containing(std::string needle) {
    std::lock_guard lock(mu_);
    reject_ = std::move(needle);
  }

  std::vector<ReceivedPost> posts() const {
    std::lock_guard lock(mu_);
    return posts_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return count_only_ ? counted_ : posts_.size();
  }
  // Bodies Falcosidekick would have refused, with the reason.
  std::vector<std::string> refusals() const {
    std::lock_guard lock(mu_);
    return refusals_;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(20), [&] { return !hanging_; });
    if (count_only_) {
      ++counted_;
      res.status = 200;
      return;
    }
    if (!reject_.empty() && req.body.find(reject_) != std::string::npos) {
      res.status = 400;
      res.set_content("Please send a valid request body", "text/plain");
      return;
    }
    std::string why = falcosidekick_refusal(req.body);
    if (!why.empty()) refusals_.push_back(why + ": " + req.body);
    posts_.push_back({req.body, req.headers});
    res.status = 200;
  }

  std::string cert_, key_, client_ca_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool hanging_ = false;
  bool count_only_ = false;
  size_t counted_ = 0;
  std::string reject_;
  std::vector<ReceivedPost> posts_;
  std::vector<std::string> refusals_;
};

}  // namespace saker::test
