// The stdout output plugin: one line per alert on standard output, Falco's text line
// or its JSON object. Open params (JSON): {"json_output": false, "buffered": false,
// "extra_fields": {}} (plugins/outputs/README.md). Unbuffered (the default, like Falco's
// buffered_outputs: false) flushes every line so a pipe reader sees alerts at once.
#include <saker/sdk/plugin.h>

#include <cstdio>

#include "output_common.h"

namespace {

using namespace saker::sdk;
using saker::outputs::LineSettings;
using saker::outputs::Params;

class StdoutChannel {
 public:
  explicit StdoutChannel(const Params& p) : line_(saker::outputs::line_settings(p)) {}
  void emit(const Alert& a) {
    saker::outputs::render_line(line_, a, &scratch_);
    scratch_.push_back('\n');
    fwrite(scratch_.data(), 1, scratch_.size(), stdout);
    if (!line_.buffered) fflush(stdout);
  }
  void flush() { fflush(stdout); }

 private:
  LineSettings line_;
  std::string scratch_;
};

class StdoutOutput {
 public:
  static constexpr const char* kName = "stdout_output";
  static constexpr const char* kVersion = "0.2.0";
  static constexpr const char* kDescription = "Writes alerts to standard output (text or JSON)";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit StdoutOutput(const InitContext& ctx)
      : section_(ctx.instance_name.empty() ? kName : ctx.instance_name) {}

  std::unique_ptr<StdoutChannel> open_output(const std::string& params) {
    return std::make_unique<StdoutChannel>(Params(params, section_));
  }

 private:
  std::string section_;
};

}  // namespace

SAKER_PLUGIN(StdoutOutput)
