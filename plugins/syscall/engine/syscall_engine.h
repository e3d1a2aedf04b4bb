// SyscallEngine: what the syscall plugin's source hands the host, whichever engine produces
// the events (ReplayEngine: a .scap capture; LiveEngine: the eBPF driver). One engine per
// opened stream; called from the source's loop thread only.
#pragma once

#include <saker/sdk/types.h>

#include <cstdint>
#include <string>

namespace saker::syscall {

class SyscallEngine {
 public:
  virtual ~SyscallEngine() = default;
  virtual sdk::BatchStatus next_batch(sdk::EventWriter& out, std::uint32_t timeout_ms) = 0;
  virtual bool progress(std::uint32_t& permille, std::string& text) = 0;
};

}  // namespace saker::syscall
