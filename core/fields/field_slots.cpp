// Field slots: (field, argument) → stable small integer.
#include "field_slots.h"

#include <charconv>
#include <stdexcept>

namespace saker::core {

namespace {

void check_arg(const FieldDef* def, const char* arg, FieldSlot* s) {
  if (!arg) {
    if (def->arg_required()) {
      throw std::invalid_argument("field '" + def->name + "' requires an argument");
    }
    return;
  }
  if (!def->takes_index() && !def->takes_key()) {
    throw std::invalid_argument("field '" + def->name + "' does not take an argument");
  }
  s->has_arg = true;
  s->arg = arg;
  std::string_view a(arg);
  uint32_t idx = 0;
  auto [p, ec] = std::from_chars(a.data(), a.data() + a.size(), idx);
  bool numeric = ec == std::errc() && p == a.data() + a.size() && !a.empty();
  if (numeric) s->arg_index = idx;
  if (!numeric && !def->takes_key()) {
    throw std::invalid_argument("field '" + def->name + "' needs a numeric argument, got '" +
                                s->arg + "'");
  }
}

}  // namespace

uint32_t FieldSlots::resolve(const FieldDef* def, const char* arg) {
  std::lock_guard lock(mu_);
  uint32_t n = count_.load(std::memory_order_relaxed);
  for (uint32_t i = 0; i < n; ++i) {
    const FieldSlot& s = at(i);
    if (s.def == def && s.has_arg == (arg != nullptr) && (!arg || s.arg == arg)) return i;
  }
  if (n == kCapacity) throw std::length_error("too many distinct fields in use");
  FieldSlot s;
  s.def = def;
  check_arg(def, arg, &s);
  auto& chunk = chunks_[n >> kChunkBits];
  if (!chunk) chunk = std::make_unique<FieldSlot[]>(1u << kChunkBits);
  chunk[n & ((1u << kChunkBits) - 1)] = std::move(s);
  count_.store(n + 1, std::memory_order_release);
  return n;
}

}  // namespace saker::core
