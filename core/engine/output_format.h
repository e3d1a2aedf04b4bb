// Output format strings ("File opened by %proc.name (fd=%fd.name[0])"): compiled once
// against the field registry into literal and field segments, rendered per alert.
// Thread-safety: a compiled OutputFormat is immutable; render() uses the caller's
// EventContext.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "event_context.h"
#include "field_registry.h"

namespace saker::core {

struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One field of a rendered output: its name as written, text and JSON values.
struct RenderedField {
  std::string name;
  std::string text;
  nlohmann::json json;
};

class OutputFormat {
 public:
  // Falco's token syntax: "%[width]field[arg]", the longest name prefix that is a field of
  // `source`, a leading '*' ignored, no escape for a literal '%'. Throws FormatError
  // ("unknown filter: ...", "formatting cannot end with a %") on an invalid format.
  static OutputFormat compile(std::string_view fmt, std::string_view source,
                              const FieldRegistry& registry, FieldSlots& slots);

  // Render the message; append each distinct field (first appearance order) to fields.
  void render(EventContext& ctx, std::string* message, std::vector<RenderedField>* fields) const;
  const std::string& source_text() const { return text_; }
  std::vector<std::string> field_names() const;

 private:
  struct Segment {
    std::string literal;  // text before the field (or the whole tail)
    int64_t slot = -1;    // -1: no field
    uint32_t width = 0;   // %20proc.name: pad or truncate the value to 20 characters
    std::string name;     // field as written, e.g. "proc.aname[2]"
  };
  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace saker::core
