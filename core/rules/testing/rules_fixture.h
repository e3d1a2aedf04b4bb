// Test fixture for the compiler and the rule engine: a field registry holding the core's
// fields and a TableProvider with the upstream fields plus `t.*` test fields of every
// type (all for the "syscall" source, whose event types are syscall_event_names()), a
// RuleSet/RuleEngine collecting alerts, and helpers to evaluate a condition on an event.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "rules/compiler/compiler.h"
#include "rules/compiler/evaluator.h"
#include "rules/runtime/rule_engine.h"
#include "rules/syntax/parser.h"
#include "core_fields.h"
#include "table_provider.h"

namespace saker::rules::testing {

inline std::vector<TableField> fixture_fields() {
  std::vector<TableField> f = upstream_fields();
  const std::vector<std::string> s = {"syscall"};
  f.push_back({"t.str", SAKER_FIELD_STRING, 0, s});
  f.push_back({"t.str2", SAKER_FIELD_STRING, 0, s});
  f.push_back({"t.num", SAKER_FIELD_U64, 0, s});
  f.push_back({"t.num2", SAKER_FIELD_U64, 0, s});
  f.push_back({"t.snum", SAKER_FIELD_S64, 0, s});
  f.push_back({"t.bool", SAKER_FIELD_BOOL, 0, s});
  f.push_back({"t.ip", SAKER_FIELD_IPADDR, 0, s});
  f.push_back({"t.net", SAKER_FIELD_IPNET, 0, s});
  f.push_back({"t.buf", SAKER_FIELD_BYTES, 0, s});
  f.push_back({"t.list", SAKER_FIELD_STRING, SAKER_FIELD_IS_LIST, s});
  f.push_back({"t.list2", SAKER_FIELD_STRING, SAKER_FIELD_IS_LIST, s});
  f.push_back({"t.nlist", SAKER_FIELD_U64, SAKER_FIELD_IS_LIST, s});
  f.push_back({"t.kv", SAKER_FIELD_STRING, SAKER_FIELD_ARG_KEY, s});
  f.push_back({"t.idx", SAKER_FIELD_STRING, SAKER_FIELD_ARG_INDEX, s});
  f.push_back({"t.req", SAKER_FIELD_STRING, SAKER_FIELD_ARG_KEY | SAKER_FIELD_ARG_REQUIRED, s});
  return f;
}

class Fixture {
 public:
  Fixture()
      : core_("test-host"), provider_("test", fixture_fields()), names_(syscall_event_names()) {
    registry_.add_provider(&core_);
    registry_.add_provider(&provider_);
  }

  RuleEngineHost host() {
    RuleEngineHost h;
    h.registry = &registry_;
    h.slots = &slots_;
    h.metrics = &metrics_;
    h.publish = [this](core::AlertRecord a) { alerts.push_back(std::move(a)); };
    h.event_types = [this](const std::string& src) {
      return src == "syscall" ? names_ : std::vector<std::string>{};
    };
    h.is_known_source = [](const std::string& src) {
      return src == "syscall" || src == "k8s_audit" || src == "aws_cloudtrail";
    };
    return h;
  }

  uint16_t code(const std::string& evt_type) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == evt_type) return static_cast<uint16_t>(i);
    }
    return 0xffff;
  }

  EventBuilder builder() { return EventBuilder(provider_); }
  // An event of type `evt_type` ("open", ...), stable in memory until the fixture dies.
  const saker_event* event(EventBuilder& b, const std::string& evt_type = "open") {
    events_.push_back(std::make_unique<SyntheticEvent>(b.build(code(evt_type))));
    bind(*events_.back());
    return &events_.back()->event;
  }

  // Compile `cond` for the syscall source (throws CompileError / ParseError).
  CompiledExpr compile(const std::string& cond, std::vector<std::string>* warnings = nullptr) {
    ExprPtr ast = Parser(cond).parse_condition();
    ConditionCompiler cc(registry_, slots_, "syscall", &names_);
    CompiledExpr e = cc.compile(*ast);
    if (warnings) *warnings = cc.warnings();
    return e;
  }

  bool eval(const std::string& cond, const saker_event* ev) {
    CompiledExpr e = compile(cond);
    core::EventContext ctx(slots_, "syscall");
    ctx.begin(ev);
    EvalScratch scratch;
    scratch.reserve_for(e);
    return evaluate(e, ctx, scratch);
  }

  // The same through the rule engine's path: the program specialised for the event's type
  // code, linked twice into a branch program (as a bucket of two rules); throws
  // std::logic_error when the second copy disagrees with the first (rule_matching: all).
  bool eval_linked(const std::string& cond, const saker_event* ev) {
    CompiledExpr e = compile(cond);
    Program p = specialize(e, ev->type);
    BranchProgram bp = link({{&p, e.checks.data()}, {&p, e.checks.data()}});
    core::EventContext ctx(slots_, "syscall");
    ctx.begin(ev);
    EvalScratch scratch;
    scratch.reserve_for(e);
    uint32_t pc = run_branch(bp, bp.start, ctx, scratch);
    const bool matched = bp.code[pc].shared == 0;
    if (matched) pc = run_branch(bp, bp.code[pc].next[1], ctx, scratch);
    const uint32_t want = matched ? 1 : BranchInsn::kEnd;
    if (bp.code[pc].check != nullptr || bp.code[pc].shared != want) {
      throw std::logic_error("linked copies disagree on " + cond);
    }
    return matched;
  }

  core::FieldRegistry& registry() { return registry_; }
  core::FieldSlots& slots() { return slots_; }
  core::Metrics& metrics() { return metrics_; }
  const std::vector<std::string>& names() const { return names_; }
  std::vector<core::AlertRecord> alerts;

 private:
  core::CoreFields core_;
  TableProvider provider_;
  std::vector<std::string> names_;
  core::FieldRegistry registry_;
  core::FieldSlots slots_;
  core::Metrics metrics_;
  std::vector<std::unique_ptr<SyntheticEvent>> events_;
};

}  // namespace saker::rules::testing
