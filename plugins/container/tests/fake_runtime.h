// A fake container runtime serving the Docker-compatible API on a unix socket, for tests:
// healthy (answers inspect/list/image requests from its tables and streams events), hanging
// (accepts connections and never answers) or refusing (the socket file exists but nobody
// listens). Requests are counted. Runs its own threads; stops in its destructor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace saker::container::testing {

class FakeRuntime {
 public:
  enum class Mode { kHealthy, kHang, kRefuse };
  FakeRuntime(std::string socket_path, Mode mode);
  ~FakeRuntime();

  void add_container(const std::string& id, const std::string& inspect_json);
  void add_image(const std::string& id, const std::string& json);
  // Sends one line on every open /events stream.
  void push_event(const std::string& line);
  uint64_t requests() const { return requests_.load(); }
  uint64_t event_streams() const { return streams_.load(); }
  const std::string& path() const { return path_; }

 private:
  void accept_loop();
  void serve(int fd);
  std::string answer(const std::string& target, int* status);

  std::string path_;
  Mode mode_;
  int listen_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> requests_{0}, streams_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::string> containers_, images_;
  std::vector<std::string> events_;
  std::thread acceptor_;
  std::vector<std::thread> conns_;
};

}  // namespace saker::container::testing
