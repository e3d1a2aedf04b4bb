// Codes, texts and JSON rendering of load diagnostics; see diagnostics.h.
#include "diagnostics.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace saker::rules {
namespace {

using Json = nlohmann::ordered_json;

struct CodeText {
  LoadCode code;
  std::string_view name;
  std::string_view description;
};

constexpr std::array<CodeText, 22> kCodes = {{
    {LoadCode::kErrFileRead, "LOAD_ERR_FILE_READ", "File read error"},
    {LoadCode::kErrYamlParse, "LOAD_ERR_YAML_PARSE", "Malformed YAML"},
    {LoadCode::kErrYamlValidate, "LOAD_ERR_YAML_VALIDATE", "Invalid structure in rules content"},
    {LoadCode::kErrCompileCondition, "LOAD_ERR_COMPILE_CONDITION", "Invalid condition"},
    {LoadCode::kErrCompileOutput, "LOAD_ERR_COMPILE_OUTPUT", "Invalid output format"},
    {LoadCode::kErrValidate, "LOAD_ERR_VALIDATE", "Invalid rule, macro, list or exception"},
    {LoadCode::kErrExtension, "LOAD_ERR_EXTENSION", "Error in extension item"},
    {LoadCode::kUnknownSource, "LOAD_UNKNOWN_SOURCE", "Unknown event source"},
    {LoadCode::kUnsafeNaCheck, "LOAD_UNSAFE_NA_CHECK", "Unsafe <NA> comparison in condition"},
    {LoadCode::kNoEvttype, "LOAD_NO_EVTTYPE", "Condition has no event-type restriction"},
    {LoadCode::kUnknownFilter, "LOAD_UNKNOWN_FILTER",
     "Unknown field or event-type in condition or output"},
    {LoadCode::kUnusedMacro, "LOAD_UNUSED_MACRO", "Unused macro"},
    {LoadCode::kUnusedList, "LOAD_UNUSED_LIST", "Unused list"},
    {LoadCode::kUnknownItem, "LOAD_UNKNOWN_ITEM", "Unknown rules file item"},
    {LoadCode::kDeprecatedItem, "LOAD_DEPRECATED_ITEM", "Used deprecated item"},
    {LoadCode::kWarningExtension, "LOAD_WARNING_EXTENSION", "Warning in extension item"},
    {LoadCode::kAppendNoValues, "LOAD_APPEND_NO_VALUES", "Overriding/appending with no values"},
    {LoadCode::kExceptionNameNotUnique, "LOAD_EXCEPTION_NAME_NOT_UNIQUE",
     "Multiple exceptions defined with the same name"},
    {LoadCode::kInvalidMacroName, "LOAD_INVALID_MACRO_NAME", "Invalid macro name"},
    {LoadCode::kInvalidListName, "LOAD_INVALID_LIST_NAME", "Invalid list name"},
    {LoadCode::kCompileCondition, "LOAD_COMPILE_CONDITION", "Warning in rule condition"},
    {LoadCode::kUnknownKey, "LOAD_UNKNOWN_KEY", "Unknown key in item definition"},
}};

const CodeText& text_of(LoadCode code) { return kCodes[static_cast<size_t>(code)]; }

Json diagnostic_json(const Diagnostic& d) {
  Json locations = Json::array();
  for (const auto& loc : d.context.locations) {
    locations.push_back({{"item_type", loc.item_type},
                         {"item_name", loc.item_name},
                         {"position",
                          {{"name", loc.position.name},
                           {"line", loc.position.line},
                           {"column", loc.position.column},
                           {"offset", loc.position.offset}}}});
  }
  return {{"code", code_name(d.code)},
          {"codedesc", code_description(d.code)},
          {"message", d.message},
          {"context", {{"locations", locations}, {"snippet", d.snippet}}}};
}

// The content line holding `offset`, followed by a caret line pointing at it.
std::string snippet_at(std::string_view content, uint32_t offset) {
  if (offset > content.size()) return "";
  size_t begin = content.rfind('\n', offset == 0 ? 0 : offset - 1);
  begin = (begin == std::string_view::npos || offset == 0) ? 0 : begin + 1;
  if (offset > 0 && content[offset - 1] == '\n') begin = offset;
  size_t end = content.find('\n', offset);
  if (end == std::string_view::npos) end = content.size();
  std::string line(content.substr(begin, end - begin));
  return line + "\n" + std::string(offset - begin, ' ') + "^";
}

}  // namespace

bool is_error(LoadCode code) { return code <= LoadCode::kErrExtension; }
std::string_view code_name(LoadCode code) { return text_of(code).name; }
std::string_view code_description(LoadCode code) { return text_of(code).description; }

Context Context::child(std::string item_type, std::string item_name, Position pos) const {
  Context c = *this;
  c.locations.push_back({std::move(item_type), std::move(item_name), std::move(pos)});
  return c;
}

const Position* Context::innermost() const {
  return locations.empty() ? nullptr : &locations.back().position;
}

std::string Diagnostic::to_text() const {
  std::string out;
  if (const Position* p = context.innermost()) {
    out = p->name + ":" + std::to_string(p->line) + ":" + std::to_string(p->column) + ": ";
  }
  out += std::string(code_name(code)) + ": " + message;
  for (const auto& loc : context.locations) {
    if (!loc.item_name.empty()) out += " (in " + loc.item_type + " '" + loc.item_name + "')";
  }
  return out;
}

void LoadResult::add_error(Diagnostic d) {
  successful = false;
  errors.push_back(std::move(d));
}

void LoadResult::add_warning(LoadCode code, std::string message, Context context) {
  warnings.push_back({code, std::move(message), std::move(context), {}});
}

bool LoadResult::has_warning(LoadCode code) const {
  return std::any_of(warnings.begin(), warnings.end(),
                     [code](const Diagnostic& d) { return d.code == code; });
}

void LoadResult::fill_snippets(std::string_view content) {
  for (auto* list : {&errors, &warnings}) {
    for (auto& d : *list) {
      const Position* p = d.context.innermost();
      if (p && p->name == name && d.snippet.empty()) d.snippet = snippet_at(content, p->offset);
    }
  }
}

std::string LoadResult::to_json() const {
  Json errs = Json::array();
  Json warns = Json::array();
  for (const auto& d : errors) errs.push_back(diagnostic_json(d));
  for (const auto& d : warnings) warns.push_back(diagnostic_json(d));
  // saker does not run Falco's advisory JSON-schema validation (§1.11): report "none".
  Json j{{"name", name},           {"successful", successful},
         {"schema_valid", "none"}, {"schema_warnings", Json::array()},
         {"errors", errs},         {"warnings", warns}};
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);  // rules may hold any bytes
}

std::string LoadResult::to_text() const {
  std::string out = name + ": " + (successful ? "Ok" : "Invalid") + "\n";
  for (const auto& d : errors) out += "  ERROR " + d.to_text() + "\n";
  for (const auto& d : warnings) out += "  WARNING " + d.to_text() + "\n";
  return out;
}

std::string results_to_json(const std::vector<LoadResult>& results) {
  Json arr = Json::array();
  for (const auto& r : results) arr.push_back(Json::parse(r.to_json()));
  return Json{{"falco_load_results", arr}}.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace saker::rules
