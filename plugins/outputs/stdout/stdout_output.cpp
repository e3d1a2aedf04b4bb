// The stdout output plugin: one line per alert on standard output, Falco's text line
// or its JSON object. Open params (JSON): {"json_output": false, "buffered": false}.
// Unbuffered (the default, like Falco's buffered_outputs: false) flushes every line so
// a pipe reader sees alerts at once.
#include <saker/sdk/plugin.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace {

using namespace saker::sdk;

class StdoutChannel {
 public:
  StdoutChannel(bool json, bool buffered) : json_(json), buffered_(buffered) {}
  void emit(const Alert& a) {
    std::string_view line = json_ ? a.json() : a.text();
    fwrite(line.data(), 1, line.size(), stdout);
    fputc('\n', stdout);
    if (!buffered_) fflush(stdout);
  }
  void flush() { fflush(stdout); }

 private:
  bool json_;
  bool buffered_;
};

class StdoutOutput {
 public:
  static constexpr const char* kName = "stdout_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Writes alerts to standard output (text or JSON)";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit StdoutOutput(const InitContext&) {}

  std::unique_ptr<StdoutChannel> open_output(const std::string& params) {
    nlohmann::json p = params.empty() ? nlohmann::json::object() : nlohmann::json::parse(params);
    if (!p.is_object()) throw PluginError("open params must be a JSON object");
    return std::make_unique<StdoutChannel>(p.value("json_output", false),
                                           p.value("buffered", false));
  }
};

}  // namespace

SAKER_PLUGIN(StdoutOutput)
