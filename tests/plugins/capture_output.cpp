// Test plugin: an output that appends every alert to a file, one JSON object per line
// (open params = the file path). Tests read the file back to see what was delivered.
// With open params "slow:<ms>:<path>" it sleeps before each write (backpressure tests).
#include <saker/sdk/plugin.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

namespace {

using namespace saker::sdk;

class CaptureChannel {
 public:
  CaptureChannel(const std::string& path, int delay_ms) : out_(path, std::ios::app), delay_(delay_ms) {
    if (!out_) throw PluginError("cannot open " + path);
  }
  void emit(const Alert& a) {
    if (delay_) std::this_thread::sleep_for(std::chrono::milliseconds(delay_));
    nlohmann::json j;
    j["rule"] = a.rule();
    j["message"] = a.message();
    j["text"] = a.text();
    j["json"] = a.json();
    j["priority"] = a.priority();
    nlohmann::json fields = nlohmann::json::object();
    for (size_t i = 0; i < a.num_fields(); ++i) fields[std::string(a.field_name(i))] = a.field_value(i);
    j["fields"] = fields;
    out_ << j.dump() << "\n";
  }
  void flush() { out_.flush(); }

 private:
  std::ofstream out_;
  int delay_;
};

class CaptureOutput {
 public:
  static constexpr const char* kName = "capture_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Writes alerts to a file, for tests";
  static constexpr const char* kContact = "saker tests";
  explicit CaptureOutput(const InitContext&) {}
  std::unique_ptr<CaptureChannel> open_output(const std::string& params) {
    if (params.rfind("slow:", 0) == 0) {
      size_t c = params.find(':', 5);
      return std::make_unique<CaptureChannel>(params.substr(c + 1), std::stoi(params.substr(5, c - 5)));
    }
    return std::make_unique<CaptureChannel>(params, 0);
  }
};

}  // namespace

SAKER_PLUGIN(CaptureOutput)
