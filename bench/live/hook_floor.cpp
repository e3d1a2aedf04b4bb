// The hook floor (see hook_floor.h).
#include "hook_floor.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "hook_floor.skel.h"

namespace saker::bench {

HookFloor::HookFloor() : skel_(hook_floor__open_and_load()) {
  if (!skel_) throw std::runtime_error("cannot load the hook-floor program (root? BTF?)");
}

HookFloor::~HookFloor() {
  detach();
  hook_floor__destroy(skel_);
}

void HookFloor::attach() {
  if (link_) return;
  link_ = bpf_program__attach(skel_->progs.hook_floor_sys_exit);
  if (!link_) {
    throw std::runtime_error(std::string("cannot attach the hook-floor program: ") +
                             std::strerror(errno));
  }
}

void HookFloor::detach() {
  if (!link_) return;
  bpf_link__destroy(link_);
  link_ = nullptr;
}

}  // namespace saker::bench
