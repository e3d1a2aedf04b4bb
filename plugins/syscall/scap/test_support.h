// Helpers shared by the capture tests: paths of the upstream test captures and a loop that
// reads a whole capture.
#pragma once

#include <functional>
#include <string>

#include "capture_reader.h"

namespace saker::syscall::scap::testing {

inline std::string capture_path(const std::string& name) {
  return std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
}

// Reads every event of `r`, calling `fn` for each; returns the number of events.
inline std::size_t for_each_event(CaptureReader& r,
                                  const std::function<void(const CapturedEvent&)>& fn = {}) {
  std::size_t n = 0;
  while (auto ev = r.next()) {
    if (fn) fn(*ev);
    ++n;
  }
  return n;
}

}  // namespace saker::syscall::scap::testing
