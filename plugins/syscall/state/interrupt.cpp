// The current thread's stop check (see interrupt.h).
#include "interrupt.h"

#include <utility>

namespace saker::syscall {
namespace {
thread_local std::function<bool()> t_check;
}  // namespace

InterruptScope::InterruptScope(std::function<bool()> check) : prev_(std::move(t_check)) {
  t_check = std::move(check);
}

InterruptScope::~InterruptScope() { t_check = std::move(prev_); }

bool interrupt_requested() { return t_check && t_check(); }

}  // namespace saker::syscall
