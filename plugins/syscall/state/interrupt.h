// A stop check for long loading work on the current thread: seeding the state from a
// capture's lists or from a /proc scan, the scan itself, preloading a capture. Whoever
// starts such work (the plugin's open, with the host's stop_requested) installs the check
// for its thread with an InterruptScope; the loops poll interrupt_requested() every
// kInterruptEvery items and stop early, leaving partial tables that the caller discards.
// A thread-local rather than a parameter: the live engine runs the scan and the seeding
// from its constructor, and the check reaches them without changing its interface.
#pragma once

#include <cstddef>
#include <functional>

namespace saker::syscall {

inline constexpr std::size_t kInterruptEvery = 4096;

class InterruptScope {
 public:
  explicit InterruptScope(std::function<bool()> check);
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;

 private:
  std::function<bool()> prev_;
};

// True when the current thread's check (if any) says to stop. Not free (a call through a
// std::function): poll it every kInterruptEvery items, or per item of slow work.
bool interrupt_requested();

}  // namespace saker::syscall
