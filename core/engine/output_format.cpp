// Compiling and rendering output format strings.
#include "output_format.h"

#include <algorithm>
#include <cctype>

#include "value_format.h"

namespace saker::core {

namespace {

bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_';
}

// Falco's token rule: the longest prefix of the name characters after '%' that is a field
// of the source ("%proc.namex" = proc.name + "x", "%evt.time.iso8601" one field), then an
// optional "[arg]" right after it. Returns the length consumed.
size_t scan_field(std::string_view s, std::string_view source, const FieldRegistry& registry,
                  const FieldDef** def, std::string* arg, bool* has_arg, bool* dotted) {
  size_t n = 0;
  while (n < s.size() && name_char(s[n])) ++n;
  for (size_t i = n; i > 0; --i) {
    *def = registry.find(source, s.substr(0, i));
    if (*def == nullptr) continue;
    *has_arg = false;
    *dotted = false;
    if (i + 1 < s.size() && s[i] == '.' && (*def)->takes_key()) {
      // libsinsp's dotted argument form: %evt.arg.flags = evt.arg with key "flags"
      *arg = std::string(s.substr(i + 1, n - i - 1));
      while (!arg->empty() && arg->back() == '.') arg->pop_back();
      if (!arg->empty()) {
        *has_arg = *dotted = true;
        return i + 1 + arg->size();
      }
    }
    if (i < s.size() && s[i] == '[') {
      size_t close = s.find(']', i);
      if (close == std::string_view::npos) {
        throw FormatError("unknown filter: expected a ']' token in '%" + std::string(s) + "'");
      }
      *arg = std::string(s.substr(i + 1, close - i - 1));
      *has_arg = true;
      return close + 1;
    }
    return i;
  }
  throw FormatError("unknown filter: filter_check called with nonexistent field " +
                    std::string(s.substr(0, n ? n : std::min<size_t>(s.size(), 16))));
}

}  // namespace

OutputFormat OutputFormat::compile(std::string_view fmt, std::string_view source,
                                   const FieldRegistry& registry, FieldSlots& slots) {
  OutputFormat f;
  f.text_ = std::string(fmt);
  if (!fmt.empty() && fmt[0] == '*') fmt.remove_prefix(1);  // Falco's "render <NA>" marker
  if (fmt.empty()) throw FormatError("empty formatting token");
  Segment cur;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      cur.literal.push_back(fmt[i]);
      continue;
    }
    if (i + 1 == fmt.size()) {
      throw FormatError("invalid formatting syntax: formatting cannot end with a %");
    }
    size_t j = i + 1;
    while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) {
      cur.width = cur.width * 10 + static_cast<uint32_t>(fmt[j++] - '0');
    }
    const FieldDef* def = nullptr;
    std::string arg;
    bool has_arg = false, dotted = false;
    size_t n = scan_field(fmt.substr(j), source, registry, &def, &arg, &has_arg, &dotted);
    try {
      cur.slot = slots.resolve(def, has_arg ? arg.c_str() : nullptr);
    } catch (const std::exception& e) {
      throw FormatError(std::string("unknown filter: ") + e.what());
    }
    cur.name = dotted ? def->name + "." + arg : has_arg ? def->name + "[" + arg + "]" : def->name;
    f.segments_.push_back(std::move(cur));
    cur = Segment{};
    i = j + n - 1;
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
    if (s.width > 0) message->resize(before + s.width, ' ');
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
