// libFuzzer target for CaptureReader: parses the input as a capture (plain or gzip), walks
// every event and formats its parameters. Any crash, sanitizer report or exception other
// than CaptureError is a bug. Seed it with ../shared/testdata/scap/*.scap (see README.md).
#include <cstddef>
#include <cstdint>
#include <span>

#include "capture_reader.h"
#include "param_format.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace scap = saker::syscall::scap;
  try {
    auto r = scap::CaptureReader::from_bytes(std::span(data, size), {std::uint64_t{16} << 20});
    while (auto ev = r.next()) {
      volatile std::size_t n = scap::format_args(ev->view).size();
      (void)n;
    }
  } catch (const scap::CaptureError&) {
  }
  return 0;
}
