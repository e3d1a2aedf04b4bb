// What every output plugin shares: reading its open params (the JSON the core built
// from the output's config section, e.g. `file_output: {...}`) with errors that name
// the key, and rendering an alert as one line — Falco's text line or JSON object, with
// the output's own extra fields.
#pragma once

#include <saker/sdk/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace saker::outputs {

// The open params of one output; `section` is the config key it came from
// ("file_output"), used in every error message.
class Params {
 public:
  Params(const std::string& text, std::string section);
  const std::string& section() const { return section_; }
  bool has(const char* key) const { return p_.contains(key) && !p_[key].is_null(); }
  std::string str(const char* key, const std::string& def) const;
  bool boolean(const char* key, bool def) const;
  uint64_t uint(const char* key, uint64_t def) const;
  // A JSON object of string values ({"X-Token": "..."}); empty when absent.
  std::vector<std::pair<std::string, std::string>> string_map(const char* key) const;
  const nlohmann::json& json() const { return p_; }
  [[noreturn]] void fail(const char* key, const std::string& what) const;

 private:
  nlohmann::json p_;
  std::string section_;
};

// How an output renders an alert: `json_output`, `buffered` and `extra_fields` (an
// object of name -> value added to output_fields in JSON, appended as " name=value"
// to the text line).
struct LineSettings {
  bool json = false;
  bool buffered = false;
  std::vector<std::pair<std::string, std::string>> extra_fields;
};
LineSettings line_settings(const Params& p);

// Render `a` into `out` (replaced, no newline).
void render_line(const LineSettings& s, const sdk::Alert& a, std::string* out);

// Falco's alert JSON for `a` with the extra fields merged (used by the HTTP output,
// which always sends JSON unless json_output is false).
std::string render_json(const LineSettings& s, const sdk::Alert& a);

}  // namespace saker::outputs
