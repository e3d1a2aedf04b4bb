// The hook floor (hook_floor.bpf.c): an empty sys_exit program, attached and detached by the
// benchmark itself, so a workload can be timed with the bare cost of the hook.
#pragma once

struct hook_floor;
struct bpf_link;

namespace saker::bench {

class HookFloor {
 public:
  HookFloor();  // loads the program (root); throws std::runtime_error
  ~HookFloor();
  HookFloor(const HookFloor&) = delete;
  HookFloor& operator=(const HookFloor&) = delete;

  void attach();  // throws std::runtime_error
  void detach();

 private:
  hook_floor* skel_ = nullptr;
  bpf_link* link_ = nullptr;
};

}  // namespace saker::bench
