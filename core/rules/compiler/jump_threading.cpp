// Jump threading of a linked branch program (see thread_jumps in evaluator.h).
#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "evaluator.h"

namespace saker::rules {

namespace {

// What is known on entry to an instruction: shared-check results, sorted by id.
using Facts = std::vector<std::pair<uint32_t, bool>>;

const bool* known(const Facts& f, uint32_t id) {
  auto it = std::lower_bound(f.begin(), f.end(), std::make_pair(id, false));
  return it != f.end() && it->first == id ? &it->second : nullptr;
}

Facts with(const Facts& f, uint32_t id, bool value) {
  Facts out = f;
  auto it = std::lower_bound(out.begin(), out.end(), std::make_pair(id, false));
  if (it != out.end() && it->first == id) {
    it->second = value;
  } else {
    out.insert(it, {id, value});
  }
  return out;
}

// Keep in `into` only what `other` knows too, with the same value.
void intersect(Facts& into, const Facts& other) {
  std::erase_if(into, [&](const std::pair<uint32_t, bool>& e) {
    const bool* v = known(other, e.first);
    return v == nullptr || *v != e.second;
  });
}

}  // namespace

void thread_jumps(BranchProgram& bp) {
  std::vector<BranchInsn>& code = bp.code;
  for (uint32_t pc = 0; pc < code.size(); ++pc) {  // the walk below needs forward jumps only
    const BranchInsn& i = code[pc];
    const bool is_match = i.check == nullptr && i.shared != BranchInsn::kEnd;
    if ((i.check != nullptr && (i.next[0] <= pc || i.next[1] <= pc)) ||
        (is_match && i.next[1] <= pc)) {
      return;
    }
  }
  std::vector<std::optional<Facts>> in(code.size());  // nullopt: no edge reaches it (yet)
  in[bp.start] = Facts{};
  // Every jump goes forward (link() emits the targets first): by the time an instruction is
  // visited, every edge into it is final and its facts are those common to all of them.
  auto follow = [&](uint32_t& target, const Facts& f) {
    while (code[target].check != nullptr && code[target].shared != 0) {
      const bool* v = known(f, code[target].shared);
      if (v == nullptr) break;
      target = code[target].next[*v ? 1 : 0];
    }
    if (!in[target]) {
      in[target] = f;
    } else {
      intersect(*in[target], f);
    }
  };
  for (uint32_t pc = 0; pc < code.size(); ++pc) {
    if (!in[pc]) continue;  // unreachable (every edge into it was threaded past it)
    BranchInsn& insn = code[pc];
    const Facts facts = std::move(*in[pc]);
    in[pc].reset();
    if (insn.check != nullptr) {
      for (uint32_t edge = 0; edge < 2; ++edge) {
        follow(insn.next[edge], insn.shared != 0 ? with(facts, insn.shared, edge == 1) : facts);
      }
    } else if (insn.shared != BranchInsn::kEnd) {
      follow(insn.next[1], facts);  // a match: rule_matching=all resumes there
    }
  }
}

}  // namespace saker::rules
