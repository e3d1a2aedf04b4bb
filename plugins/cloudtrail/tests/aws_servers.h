// Test helpers for the S3 and SQS tests: the npm servers (s3rver, fauxqs) started as
// child processes on 127.0.0.1 and stopped (their whole process group) at destruction,
// a fault-injecting TCP proxy in front of a server, and a child process runner for the
// saker binary.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace saker::cttest {

int free_port();
bool wait_port(int port, int timeout_ms);

// A child process in its own process group; stopped with SIGTERM (then SIGKILL) at
// destruction unless it already ended.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log_file,
        const std::vector<std::string>& env = {});
  ~Child();
  pid_t pid() const { return pid_; }
  void kill_now(int sig);    // signal the whole group
  int wait(int timeout_ms);  // exit code, or -1 on timeout
  bool running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
};

// node_modules of the npm cache set up by npm_setup.sh (CT_NPM_DIR at build time).
std::string npm_modules();

class S3rver {
 public:
  S3rver(const std::string& data_dir, const std::vector<std::string>& buckets);
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  std::unique_ptr<Child> child_;
};

class Fauxqs {
 public:
  explicit Fauxqs(const std::string& log_file);
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  std::unique_ptr<Child> child_;
};

// A proxy on 127.0.0.1 in front of `upstream_port`, one request per connection (the
// plugin's client closes each connection). Rules pick requests by a substring of their
// head (request line and headers, e.g. "GET /logs?" or "AmazonSQS.DeleteMessage") and
// apply a fault to the first `times` of them.
class FaultProxy {
 public:
  enum class Fault { k500, k503, kSilence, kTruncate };
  explicit FaultProxy(int upstream_port);
  ~FaultProxy();
  int port() const { return port_; }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void add(const std::string& request_line_part, Fault f, int times);
  int injected() const { return injected_; }
  int requests() const { return requests_; }

 private:
  void serve(int fd);
  struct Rule {
    std::string part;
    Fault fault;
    int left;
  };
  int upstream_, port_ = 0, listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> injected_{0}, requests_{0};
  std::mutex mu_;
  std::vector<Rule> rules_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// The test credentials s3rver knows, in the environment (the plugin reads them there).
void use_s3rver_keys();
// Puts `body` at bucket/key through the plugin's own signed client.
void s3_put(const std::string& endpoint, const std::string& bucket, const std::string& key,
            const std::string& body);
// An SQS client for tests (no plugin counters).
std::string sqs_create_queue(const std::string& endpoint, const std::string& name,
                             uint32_t visibility_s);
void sqs_send(const std::string& endpoint, const std::string& url, const std::string& body);
std::pair<uint64_t, uint64_t> sqs_depth(const std::string& endpoint, const std::string& url);
// An S3 event notification for one object.
std::string s3_notification(const std::string& bucket, const std::string& key);

}  // namespace saker::cttest
