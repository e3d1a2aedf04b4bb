// Condition compilation: operands (fields with arguments, transformers) and the
// compile-time warnings on constants; see compiler.h.
#include <cctype>

#include "compiler.h"
#include "transformers.h"

namespace saker::rules {
namespace {

std::string strip_spaces(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (!std::isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

bool field_name_syntax(const std::string& s) {
  // [a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+
  size_t i = 0, segments = 0;
  while (i < s.size()) {
    if (!std::isalpha(static_cast<unsigned char>(s[i]))) return false;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    ++segments;
    if (i == s.size()) break;
    if (s[i] != '.') return false;
    ++i;
    if (i == s.size()) return false;
  }
  return segments >= 2;
}

// A regex that is a plain string with at most ^, $ or .* .+ .? at its ends.
bool simple_regex(std::string v) {
  if (!v.empty() && v.front() == '^') v.erase(0, 1);
  if (!v.empty() && v.back() == '$') v.pop_back();
  for (const char* w : {".*", ".+", ".?"}) {
    if (v.rfind(w, 0) == 0) v.erase(0, 2);
    if (v.size() >= 2 && v.compare(v.size() - 2, 2, w) == 0) v.resize(v.size() - 2);
  }
  return v.find_first_of("\\^$.|?*+()[]{}") == std::string::npos;
}

constexpr const char* kTransformerNames[] = {"val", "tolower", "toupper", "b64",   "basename",
                                             "len", "join",    "concat",  "getopt"};

}  // namespace

Operand ConditionCompiler::compile_operand(const Expr& e) {
  if (e.kind() == ExprKind::kField) return compile_field(static_cast<const FieldExpr&>(e));
  if (e.kind() == ExprKind::kFieldTransformer) {
    return compile_transformer(static_cast<const FieldTransformerExpr&>(e));
  }
  throw CompileError("expected a field or a field transformer, got " + as_string(e));
}

Operand ConditionCompiler::compile_field(const FieldExpr& f) {
  const core::FieldDef* def = registry_.find(source_, f.name);
  if (def == nullptr && !f.arg) {
    // libsinsp's dotted argument form: evt.arg.name = evt.arg with the key "name".
    const size_t dot = f.name.rfind('.');
    const core::FieldDef* base =
        dot == std::string::npos ? nullptr : registry_.find(source_, f.name.substr(0, dot));
    if (base != nullptr && base->takes_key()) {
      FieldExpr keyed(f.pos(), base->name, f.name.substr(dot + 1));
      Operand o = compile_field(keyed);
      o.text = f.name;
      return o;
    }
  }
  if (def == nullptr) throw CompileError("filter_check called with nonexistent field " + f.name);
  const std::string full = f.arg ? f.name + "[" + *f.arg + "]" : f.name;
  if (f.arg && !def->takes_index() && !def->takes_key()) {
    throw CompileError("filter '" + full + "': " + f.name +
                       " does not allow nor require an argument but one is provided: " + *f.arg);
  }
  if (!f.arg && def->arg_required()) {
    throw CompileError("filter '" + full + "': " + f.name +
                       " requires an argument but none provided");
  }
  Operand o;
  try {
    o.slot = slots_.resolve(def, f.arg ? f.arg->c_str() : nullptr);
  } catch (const std::exception& ex) {
    throw CompileError("filter '" + full + "': " + ex.what());
  }
  o.field_type = o.type = def->type;
  o.field_is_list = o.is_list = def->is_list();
  o.text = full;
  return o;
}

Operand ConditionCompiler::compile_transformer(const FieldTransformerExpr& t) {
  if (t.name == "val")
    throw CompileError("filter error: 'val' is only allowed on the right-hand side");
  auto kind = parse_transformer(t.name);
  if (!kind) throw CompileError("filter error: transformer '" + t.name + "' is not supported");
  if (t.arg) throw CompileError("transformer '" + t.name + "' does not support field arguments");
  if (t.args.size() != 1) {
    throw CompileError("transformer '" + t.name + "' expects exactly one argument");
  }
  Operand o = compile_operand(*t.args[0]);
  saker_field_type type;
  bool list;
  std::string err = transformer_result(*kind, o.type, o.is_list, &type, &list);
  if (!err.empty()) throw CompileError(err + " applied on field '" + o.text + "'");
  if (o.transformers.empty()) o.scratch = out_.scratch_needed;
  o.transformers.push_back(*kind);
  ++out_.scratch_needed;
  o.type = type;
  o.is_list = list;
  o.text = t.name + "(" + o.text + ")";
  return o;
}

void ConditionCompiler::warn_constant(const Check& c, const std::string& value) {
  if (c.op == Op::kRegex && simple_regex(value)) {
    warnings_.push_back("regex check with '" + value +
                        "' may be optimized with simpler operators such as '=', 'contains', "
                        "'startswith', 'endswith'");
  }
  const std::string v = strip_spaces(value);
  const std::string name = v.substr(0, v.find('['));
  if (field_name_syntax(name) && registry_.find(source_, name) != nullptr) {
    warnings_.push_back("'" + value + "' may be a valid field misused as a const string value");
    return;
  }
  size_t paren = v.find('(');
  if (paren == std::string::npos || v.back() != ')') return;
  const std::string fn = v.substr(0, paren);
  for (const char* t : kTransformerNames) {
    if (fn == t) {
      warnings_.push_back("'" + value +
                          "' may be a valid field transformer misused as a const string value");
      return;
    }
  }
}

}  // namespace saker::rules
