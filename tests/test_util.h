// Shared helpers for the cross-component tests: an Engine over the build's plugins
// directory, a sink that raises one alert per event with a given output format, and
// temporary files.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine.h"

namespace saker::test {

std::unique_ptr<core::Engine> make_engine(core::AlertFormatSettings fmt = {}, size_t queue_capacity = 100000);

// Raises an alert named "test" for every event of a source that has a format.
class FormatSink : public core::EventSink {
 public:
  FormatSink(core::Engine& engine) : engine_(engine) {}
  void add(const std::string& source, const std::string& format);
  void on_event(core::EventContext& ctx) noexcept override;
  std::atomic<uint64_t> events{0};

 private:
  core::Engine& engine_;
  std::map<std::string, core::OutputFormat> formats_;
};

// A fresh temporary directory, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::vector<std::string> read_lines(const std::filesystem::path& p);

}  // namespace saker::test
