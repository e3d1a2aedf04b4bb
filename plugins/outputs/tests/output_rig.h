// A test rig for the output plugins: a real core Engine over the build's plugins
// directory, output plugins loaded and opened through it, and alerts published the
// way the rule engine publishes them.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "test_util.h"

namespace saker::test {

class OutputRig {
 public:
  explicit OutputRig(size_t queue_capacity = 100000) : engine_(make_engine({}, queue_capacity)) {}
  ~OutputRig() { engine_->outputs().stop(); }

  core::Engine& engine() { return *engine_; }
  // Load `lib` (e.g. "file_output") as instance `name` and open it with `params`.
  void open(const std::string& lib, const nlohmann::json& params, std::string name = "") {
    engine_->open_output(load(lib, name), params.dump());
  }
  core::PluginInstance& load(const std::string& lib, std::string name = "") {
    if (name.empty()) name = lib;
    if (auto* inst = engine_->plugins().find(name)) return *inst;
    return engine_->plugins().load({name, "lib" + lib + ".so", "", ""});
  }
  // Publish alert number `i` ("alert i") at `priority`.
  void publish(int i, core::Priority priority = core::Priority::kWarning) {
    core::AlertRecord a;
    a.time = 1700000000000000000ull + static_cast<uint64_t>(i);
    a.priority = priority;
    a.rule = "Test rule " + std::to_string(i % 3);
    a.source = "syscall";
    a.message = "alert " + std::to_string(i) + " user=root";
    a.tags = {"t2", "t1"};
    a.fields.push_back({"proc.name", "cat", nlohmann::json("cat")});
    a.fields.push_back({"seq", std::to_string(i), nlohmann::json(i)});
    engine_->publish(std::move(a));
  }
  void stop() { engine_->outputs().stop(); }
  uint64_t metric(const std::string& name) { return engine_->metrics().value_of(name); }

 private:
  std::unique_ptr<core::Engine> engine_;
};

// Poll `cond` every 10 ms until it holds or `timeout` passes; returns its last value.
inline bool wait_for(const std::function<bool()>& cond,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end) return cond();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace saker::test
