// Compiling and rendering output format strings.
#include "output_format.h"

#include <cctype>

#include "value_format.h"

namespace saker::core {

namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
}

// Parse "%name[arg]" starting after '%': returns the length consumed (0 if no field).
size_t scan_field(std::string_view s, std::string* name, std::string* arg, bool* has_arg) {
  size_t i = 0;
  while (i < s.size() && name_char(s[i])) ++i;
  while (i > 0 && s[i - 1] == '.') --i;  // "user=%user.name." ends the sentence
  if (i == 0) return 0;
  *name = std::string(s.substr(0, i));
  *has_arg = false;
  if (i < s.size() && s[i] == '[') {
    size_t close = s.find(']', i);
    if (close == std::string_view::npos) {
      throw FormatError("unterminated field argument in '%" + std::string(s) + "'");
    }
    *arg = std::string(s.substr(i + 1, close - i - 1));
    *has_arg = true;
    i = close + 1;
  }
  return i;
}

}  // namespace

OutputFormat OutputFormat::compile(std::string_view fmt, std::string_view source,
                                   const FieldRegistry& registry, FieldSlots& slots) {
  OutputFormat f;
  f.text_ = std::string(fmt);
  Segment cur;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      cur.literal.push_back(fmt[i]);
      continue;
    }
    std::string name, arg;
    bool has_arg = false;
    size_t n = scan_field(fmt.substr(i + 1), &name, &arg, &has_arg);
    if (n == 0) {
      cur.literal.push_back('%');
      continue;
    }
    const FieldDef* def = registry.find(source, name);
    if (!def) throw FormatError("unknown filter: " + name);
    try {
      cur.slot = slots.resolve(def, has_arg ? arg.c_str() : nullptr);
    } catch (const std::exception& e) {
      throw FormatError(e.what());
    }
    cur.name = has_arg ? name + "[" + arg + "]" : name;
    f.segments_.push_back(std::move(cur));
    cur = Segment{};
    i += n;
  }
  if (!cur.literal.empty()) f.segments_.push_back(std::move(cur));
  return f;
}

void OutputFormat::render(EventContext& ctx, std::string* message,
                          std::vector<RenderedField>* fields) const {
  for (const Segment& s : segments_) {
    message->append(s.literal);
    if (s.slot < 0) continue;
    const FieldValue& v = ctx.get(static_cast<uint32_t>(s.slot));
    const FieldDef& def = *ctx.slots().at(static_cast<uint32_t>(s.slot)).def;
    size_t before = message->size();
    render_text(def, v, message);
    if (!fields) continue;
    bool seen = false;
    for (const auto& f : *fields) seen = seen || f.name == s.name;
    if (!seen) fields->push_back({s.name, message->substr(before), render_json(def, v)});
  }
}

std::vector<std::string> OutputFormat::field_names() const {
  std::vector<std::string> out;
  for (const auto& s : segments_) {
    if (s.slot >= 0) out.push_back(s.name);
  }
  return out;
}

}  // namespace saker::core
