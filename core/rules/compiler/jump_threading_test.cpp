// Jump threading of linked branch programs: which edges move, and that a program keeps its
// meaning. The property test through whole rules files is in runtime/rule_set_test.cpp.
#include <doctest/doctest.h>

#include <map>
#include <vector>

#include "evaluator.h"

using namespace saker::rules;

namespace {

// A branch program written out by hand: {shared id, false target, true target} per check,
// and terminals.
const Check kDummy;  // the checks are never evaluated here, only told apart from terminals

struct Code {
  BranchProgram bp;
  uint32_t check(uint32_t shared, uint32_t on_false, uint32_t on_true) {
    BranchInsn in;
    in.check = &kDummy;
    in.shared = shared;
    in.next[0] = on_false;
    in.next[1] = on_true;
    bp.code.push_back(in);
    return static_cast<uint32_t>(bp.code.size() - 1);
  }
  uint32_t match(uint32_t entry, uint32_t resume) {
    BranchInsn in;
    in.shared = entry;
    in.next[1] = resume;
    bp.code.push_back(in);
    return static_cast<uint32_t>(bp.code.size() - 1);
  }
  uint32_t end() {
    BranchInsn in;
    in.shared = BranchInsn::kEnd;
    bp.code.push_back(in);
    return static_cast<uint32_t>(bp.code.size() - 1);
  }
  // Run with the given results (shared id -> result; unshared checks by pc), all matches
  // collected as with rule_matching=all; counts the checks visited.
  std::vector<uint32_t> run(const std::map<uint32_t, bool>& shared,
                            const std::map<uint32_t, bool>& by_pc, int* visits) const {
    std::vector<uint32_t> matches;
    uint32_t pc = bp.start;
    *visits = 0;
    while (true) {
      const BranchInsn& in = bp.code[pc];
      if (in.check == nullptr) {
        if (in.shared == BranchInsn::kEnd) return matches;
        matches.push_back(in.shared);
        pc = in.next[1];
        continue;
      }
      ++*visits;
      const bool v = in.shared != 0 ? shared.at(in.shared) : by_pc.at(pc);
      pc = in.next[v ? 1 : 0];
    }
  }
};

}  // namespace

TEST_CASE("jump threading skips shared checks an earlier rule decided") {
  // Rule 0: s1 and s2.  Rule 1: s1 and x (unshared, pc 4).  Rule 2: not s2.
  Code c;
  c.check(1, 3, 1);  // 0: s1
  c.check(2, 3, 2);  // 1: s2
  c.match(0, 3);     // 2
  c.check(1, 6, 4);  // 3: s1 again
  c.check(0, 6, 5);  // 4: x
  c.match(1, 6);     // 5
  c.check(2, 7, 8);  // 6: s2 again (a match when false)
  c.match(2, 8);     // 7
  c.end();           // 8
  const Code before = c;
  thread_jumps(c.bp);

  // Rule 0 failing on s1 knows that rule 1 fails too, and cannot know s2.
  CHECK(c.bp.code[0].next[0] == 6);
  // Failing on s2 (s1 true): rule 1 resumes after its s1, and rule 2 matches at once.
  CHECK(c.bp.code[1].next[0] == 4);
  // A match of rule 0 (s1 and s2 true) resumes at rule 1's x.
  CHECK(c.bp.code[2].next[1] == 4);
  // Edges into x come with s2 true and with s2 false: after it, only s1 is known, so
  // rule 2 still checks s2; pc 3 is reached by no edge any more.
  CHECK(c.bp.code[4].next[0] == 6);
  CHECK(c.bp.code[4].next[1] == 5);
  CHECK(c.bp.code[5].next[1] == 6);
  for (const BranchInsn& in : c.bp.code) {
    if (in.check != nullptr || in.shared != BranchInsn::kEnd) CHECK(in.next[1] != 3);
    if (in.check != nullptr) CHECK(in.next[0] != 3);
  }

  // Same matches for every outcome, never more visits.
  int total_before = 0, total_after = 0;
  for (int bits = 0; bits < 8; ++bits) {
    const std::map<uint32_t, bool> shared{{1, (bits & 1) != 0}, {2, (bits & 2) != 0}};
    const std::map<uint32_t, bool> by_pc{{4, (bits & 4) != 0}};
    int vb = 0, va = 0;
    CHECK(before.run(shared, by_pc, &vb) == c.run(shared, by_pc, &va));
    CHECK(va <= vb);
    total_before += vb;
    total_after += va;
  }
  CHECK(total_after < total_before);
}

TEST_CASE("jump threading leaves a program with a backward jump as it is") {
  Code c;
  c.check(1, 2, 1);  // 0
  c.check(1, 0, 2);  // 1: back to 0
  c.end();           // 2
  const Code before = c;
  thread_jumps(c.bp);
  for (size_t i = 0; i < c.bp.code.size(); ++i) {
    CHECK(c.bp.code[i].next[0] == before.bp.code[i].next[0]);
    CHECK(c.bp.code[i].next[1] == before.bp.code[i].next[1]);
  }
}
