// Test/bench plugin: an output that counts alerts and discards them.
#include <saker/sdk/plugin.h>

namespace {

using namespace saker::sdk;

class NullChannel {
 public:
  void emit(const Alert&) { ++n_; }

 private:
  uint64_t n_ = 0;
};

class NullOutput {
 public:
  static constexpr const char* kName = "null_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription = "Discards alerts";
  static constexpr const char* kContact = "saker tests";
  explicit NullOutput(const InitContext&) {}
  std::unique_ptr<NullChannel> open_output(const std::string&) {
    return std::make_unique<NullChannel>();
  }
};

}  // namespace

SAKER_PLUGIN(NullOutput)
