// Explain mode; see explain.h.
#include "explain.h"

#include "value_format.h"

namespace saker::rules {
namespace {

void add_field(const Operand& o, core::EventContext& ctx, EvalScratch& scratch, ExplainNode& n) {
  const core::FieldSlot& slot = ctx.slots().at(o.slot);
  std::string raw;
  core::render_text(*slot.def, ctx.get(o.slot), &raw);
  std::string name = slot.def->name + (slot.has_arg ? "[" + slot.arg + "]" : "");
  n.fields.emplace_back(name, raw);
  if (!o.transformers.empty()) {
    const core::FieldValue& v = operand_value(o, ctx, scratch);
    core::FieldDef shown = *slot.def;
    shown.type = o.type;
    shown.render = nullptr;
    shown.flags = o.is_list ? SAKER_FIELD_IS_LIST : 0;
    std::string t;
    core::render_text(shown, v, &t);
    n.fields.emplace_back(o.text, t);
  }
}

ExplainNode explain_node(const CompiledExpr& e, uint32_t i, core::EventContext& ctx,
                         EvalScratch& scratch) {
  const Node& node = e.nodes[i];
  ExplainNode out;
  out.text = node.ast ? as_string(*node.ast) : "?";
  constexpr const char* kKinds[] = {"and", "or", "not", "check", "const"};
  out.kind = kKinds[static_cast<int>(node.kind)];
  if (node.kind == Node::Kind::kCheck) {
    const Check& c = e.checks[node.check];
    out.value = evaluate_check(c, ctx, scratch);
    if (c.by_event_type) {
      out.fields.emplace_back("evt.type (code)", std::to_string(ctx.event()->type));
    } else {
      add_field(c.left, ctx, scratch, out);
    }
    if (c.rhs_is_field) add_field(c.right, ctx, scratch, out);
    return out;
  }
  for (uint32_t k : node.children) out.children.push_back(explain_node(e, k, ctx, scratch));
  if (node.kind == Node::Kind::kNot) {
    out.value = !out.children[0].value;
    out.children[0].decisive = true;
    return out;
  }
  // and: the first false child decides; or: the first true one. Later ones are skipped.
  const bool stop_on = node.kind == Node::Kind::kOr;
  out.value = !stop_on;
  bool stopped = false;
  for (auto& child : out.children) {
    if (stopped) {
      child.evaluated = false;
      continue;
    }
    if (child.value == stop_on) {
      child.decisive = true;
      out.value = stop_on;
      stopped = true;
    }
  }
  if (!stopped) {
    for (auto& child : out.children) child.decisive = true;
  }
  return out;
}

void mark_unevaluated(ExplainNode& n) {
  for (auto& c : n.children) {
    if (!n.evaluated) c.evaluated = false;
    mark_unevaluated(c);
  }
}

void text_of(const ExplainNode& n, int depth, std::string* out) {
  out->append(static_cast<size_t>(depth) * 2, ' ');
  out->append(n.value ? "[true ] " : "[false] ");
  if (!n.evaluated) out->append("(skipped) ");
  out->append(n.children.empty() ? n.text : n.kind);
  if (!n.fields.empty()) {
    out->append("   (");
    for (size_t i = 0; i < n.fields.size(); ++i) {
      if (i) out->append(", ");
      out->append(n.fields[i].first + "=" + n.fields[i].second);
    }
    out->append(")");
  }
  out->append("\n");
  for (const auto& c : n.children) text_of(c, depth + 1, out);
}

}  // namespace

ExplainNode explain(const CompiledExpr& e, core::EventContext& ctx) {
  EvalScratch scratch;
  scratch.reserve_for(e);
  ExplainNode n = explain_node(e, e.root, ctx, scratch);
  n.decisive = true;
  mark_unevaluated(n);
  return n;
}

std::string explain_text(const ExplainNode& n) {
  std::string out;
  text_of(n, 0, &out);
  return out;
}

nlohmann::json explain_json(const ExplainNode& n) {
  nlohmann::json j;
  j["kind"] = n.kind;
  j["expr"] = n.text;
  j["value"] = n.value;
  j["evaluated"] = n.evaluated;
  j["decisive"] = n.decisive;
  if (!n.fields.empty()) {
    nlohmann::json f = nlohmann::json::object();
    for (const auto& [k, v] : n.fields) f[k] = v;
    j["fields"] = f;
  }
  if (!n.children.empty()) {
    j["children"] = nlohmann::json::array();
    for (const auto& c : n.children) j["children"].push_back(explain_json(c));
  }
  return j;
}

}  // namespace saker::rules
