// Test harness: replays a capture through the real core with libsyscall.so loaded and
// renders a list of fields for every event the rules would see, as the core's output
// formatter renders them ("<NA>" for no value).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace saker::syscall::testing {

struct Row {
  std::uint64_t num = 0, ts = 0, tid = 0;
  std::uint16_t type = 0;
  std::vector<std::string> values;  // one per requested field
};

std::string capture(const std::string& name);
// Replays `capture_path`; throws on load/compile errors. `extra_config` is appended to the
// plugin's init_config object (e.g. R"(,"fields":{"any_match_lists":true})").
std::vector<Row> replay(const std::string& capture_path, const std::vector<std::string>& fields,
                        const std::string& extra_config = "");

}  // namespace saker::syscall::testing
