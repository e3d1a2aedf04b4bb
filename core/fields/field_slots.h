// Resolved fields. Rule compilation (and plugins, through the host API) turn a field
// name plus its argument into a slot number once; evaluation then asks the event
// context for "slot N" and never touches a name again.
// Thread-safety: resolve() may be called from any thread (it locks); at() is lock-free
// and safe concurrently with resolve() because storage never moves: slots live in chunks
// allocated as the table grows (a rules file uses a few hundred slots; allocating all
// kCapacity up front cost 3.6 MB of resident memory).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "field_provider.h"

namespace saker::core {

struct FieldSlot {
  const FieldDef* def = nullptr;
  bool has_arg = false;
  uint32_t arg_index = 0;
  std::string arg;  // the argument text as written ("2", "key", "/path")
};

class FieldSlots {
 public:
  static constexpr uint32_t kCapacity = 1u << 16;
  static constexpr uint32_t kChunkBits = 9;  // 512 slots per chunk
  FieldSlots() = default;

  // The slot of (def, arg); the same pair always gives the same slot. `arg` is
  // nullptr when the field is used without an argument. Throws std::length_error
  // when the table is full and std::invalid_argument on an argument the field refuses.
  uint32_t resolve(const FieldDef* def, const char* arg);
  const FieldSlot& at(uint32_t i) const {
    return chunks_[i >> kChunkBits][i & ((1u << kChunkBits) - 1)];
  }
  uint32_t size() const { return count_.load(std::memory_order_acquire); }

 private:
  std::unique_ptr<FieldSlot[]> chunks_[kCapacity >> kChunkBits];
  std::atomic<uint32_t> count_{0};
  std::mutex mu_;
};

}  // namespace saker::core
